import { describe, expect, it } from 'vitest';
import { Leases, LingeringLeases } from '../../src/core/leases.js';
import { MemoryLeaseStore } from '../support/memory-lease-store.js';
import { TestClock } from '../support/clock.js';

describe('leases on the LeaseStore port', () => {
  it('lets exactly one of two contenders take a free lease', async () => {
    const store = new MemoryLeaseStore();
    const leases = new Leases(store, new TestClock().now);
    const [a, b] = await Promise.all([leases.acquire('conv:x', 'A', 30_000), leases.acquire('conv:x', 'B', 30_000)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(store.leases.get('conv:x')?.owner).toBe(a ? 'A' : 'B');
  });

  it('refuses a lease held by someone else until it expires, then takes it over', async () => {
    const clock = new TestClock();
    const store = new MemoryLeaseStore();
    const leases = new Leases(store, clock.now);
    expect(await leases.acquire('job', 'A', 10_000)).toBe(true);
    expect(await leases.acquire('job', 'B', 10_000)).toBe(false);
    clock.advance(10_001);
    expect(await leases.acquire('job', 'B', 10_000)).toBe(true);
    expect(store.leases.get('job')?.owner).toBe('B');
    // A no longer holds it: it can neither renew nor release B's lease.
    expect(await leases.renew('job', 'A', 10_000)).toBe(false);
    await leases.release('job', 'A');
    expect(store.leases.get('job')?.owner).toBe('B');
  });

  it('renews and releases only its own leases, several in one command', async () => {
    const clock = new TestClock();
    const store = new MemoryLeaseStore();
    const leases = new Leases(store, clock.now);
    for (const n of ['a', 'b', 'c']) await leases.acquire(n, 'A', 1000);
    await leases.acquire('d', 'B', 1000);
    clock.advance(500);
    expect(await leases.renew('a', 'A', 1000)).toBe(true);
    expect(store.leases.get('a')?.until.getTime()).toBe(clock.now().getTime() + 1000);
    const before = store.commands;
    await leases.releaseMany(['a', 'b', 'c', 'd'], 'A');
    expect(store.commands - before).toBe(1);
    expect([...store.leases.keys()]).toEqual(['d']);
  });

  it('keeps a lingering lease for the next message without a round trip, and releases it afterwards', async () => {
    const clock = new TestClock();
    const store = new MemoryLeaseStore();
    const errors: unknown[] = [];
    const lingering = new LingeringLeases(new Leases(store, clock.now), 'P', clock.now, 30_000, 5, (e) => errors.push(e));
    expect(await lingering.take('conv:x')).toBe(true);
    // A second drain of the same person in this process waits for the first.
    expect(await lingering.take('conv:x')).toBe(false);
    lingering.release('conv:x');
    const before = store.commands;
    expect(await lingering.take('conv:x')).toBe(true);
    expect(store.commands).toBe(before);
    expect(lingering.surelyHeld('conv:x')).toBe(true);
    lingering.release('conv:x');
    await lingering.flush(true);
    expect(store.leases.has('conv:x')).toBe(false);
    expect(errors).toEqual([]);
  });
});
