/**
 * A short exclusive lease per forum that serialises seat decisions (sign-up, cancel and
 * promotion, capacity changes) across every instance.
 *
 * Why: FerretDB (and the embedded default) has no multi-document transactions, and "count the
 * registered, then add one" is a race between two instances. Its updates are read-then-write, so
 * a conditional `findOneAndUpdate` on the forum document is NOT exclusive there (two contenders
 * can both read "free" and both write). The lease is therefore taken by inserting
 * `{_id: "forum:<id>"}` into `leases` (see `core/leases.ts`): an insert on a unique `_id` lets
 * exactly one contender win on MongoDB and on FerretDB alike. The seat count itself is never
 * stored, only counted from the registrations under the lease, so nothing can drift; a holder
 * that crashes loses the lease when it expires.
 *
 * Contenders in the same process queue on an in-memory chain first, so a burst of sign-ups for one
 * forum costs one database poller per instance, not one per person.
 */
import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Leases } from '../../core/leases.js';
import { ForumBusyError } from './errors.js';

export interface ForumLockOptions {
  /** How long a holder may keep the lease before others may take it over (default 30 s). */
  leaseMs?: number;
  /** How long to wait for a lease held by another instance before giving up (default 20 s, real time). */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ForumLock {
  private readonly leaseMs: number;
  private readonly waitMs: number;
  /** Per forum, the tail of this process's queue of holders. */
  private readonly local = new Map<string, Promise<unknown>>();

  constructor(
    private readonly leases: Leases,
    opts: ForumLockOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.waitMs = opts.waitMs ?? 20_000;
  }

  /** Runs `fn` while holding the forum's lease. Throws {@link ForumBusyError} when it cannot be had in time. */
  async with<T>(forumId: Types.ObjectId, fn: () => Promise<T>): Promise<T> {
    const key = String(forumId);
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
    const name = `forum:${key}`;
    const owner = randomUUID();
    const giveUpAt = Date.now() + this.waitMs;
    let pause = 10;
    while (!(await this.leases.acquire(name, owner, this.leaseMs))) {
      if (Date.now() > giveUpAt) throw new ForumBusyError(key);
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
