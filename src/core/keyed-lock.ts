/**
 * A short exclusive lease per key (`forum:<id>`, `complaint:<id>` …) that serialises decisions
 * about one record across every instance: a forum's seats (sign-up, cancel and promotion,
 * capacity changes), a ticket's status.
 *
 * Why: FerretDB (and the embedded default) has no multi-document transactions, and its updates
 * are read-then-write, so a conditional `findOneAndUpdate` is NOT exclusive there (two contenders
 * can both read "free" and both write). The lease is therefore taken by inserting
 * `{_id: "<prefix>:<key>"}` into `leases` (see `leases.ts`): an insert on a unique `_id` lets
 * exactly one contender win on MongoDB and on FerretDB alike. Whatever is decided under the lease
 * is read and written by its holder alone; a holder that crashes loses the lease when it expires.
 *
 * Contenders in the same process queue on an in-memory chain first, so a burst of sign-ups for one
 * forum costs one database poller per instance, not one per person.
 */
import { randomUUID } from 'node:crypto';
import type { Leases } from './leases.js';

/** The lease could not be had in time (another instance held it too long); the caller may retry. */
export class LockBusyError extends Error {
  override name = 'LockBusyError';
  constructor(readonly key: string) {
    super(`${key} is busy (lock not released in time)`);
  }
}

export interface KeyedLockOptions {
  /** How long a holder may keep the lease before others may take it over (default 30 s). */
  leaseMs?: number;
  /** How long to wait for a lease held by another instance before giving up (default 20 s, real time). */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class KeyedLock {
  private readonly leaseMs: number;
  private readonly waitMs: number;
  /** Per forum, the tail of this process's queue of holders. */
  private readonly local = new Map<string, Promise<unknown>>();

  constructor(
    private readonly leases: Leases,
    /** Names what is locked (`forum`, `complaint`): the lease is `<prefix>:<key>`. */
    private readonly prefix: string,
    opts: KeyedLockOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.waitMs = opts.waitMs ?? 20_000;
  }

  /** Runs `fn` while holding the key's lease. Throws {@link LockBusyError} when it cannot be had in time. */
  async with<T>(id: { toString(): string }, fn: () => Promise<T>): Promise<T> {
    const key = String(id);
    const before = this.local.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(() => this.holdLease(key, fn));
    const tail = mine.catch(() => undefined);
    this.local.set(key, tail);
    try {
      return await mine;
    } finally {
      // Drop the chain once nobody queued behind us, so the map does not grow with every forum.
      if (this.local.get(key) === tail) this.local.delete(key);
    }
  }

  private async holdLease<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = `${this.prefix}:${key}`;
    const owner = randomUUID();
    const giveUpAt = Date.now() + this.waitMs;
    let pause = 10;
    while (!(await this.leases.acquire(name, owner, this.leaseMs))) {
      if (Date.now() > giveUpAt) throw new LockBusyError(name);
      await sleep(pause + Math.random() * pause);
      pause = Math.min(pause * 2, 200);
    }
    try {
      return await fn();
    } finally {
      await this.leases.release(name, owner);
    }
  }
}
