/**
 * A short lease on one forum document that serialises seat decisions (sign-up, cancel and
 * promotion, capacity changes).
 *
 * Why: FerretDB (and the embedded default) has no multi-document transactions, and "count the
 * registered, then add one" is a race between two instances. Holding this lease while counting
 * and writing makes the decision for one forum happen one at a time everywhere. The seat count
 * itself is never stored, only counted from the registrations, so nothing can drift; a holder
 * that crashes loses the lease when `lockUntil` passes.
 */
import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import { ForumBusyError, ForumNotFoundError } from './errors.js';
import type { ForumModel } from './forum-model.js';

export interface ForumLockOptions {
  /** How long a holder may keep the lock (default 10 s). */
  leaseMs?: number;
  /** How long to wait for a busy lock before giving up (default 5 s, real time). */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ForumLock {
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly forums: ForumModel,
    private readonly clock: () => Date,
    opts: ForumLockOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 10_000;
    this.waitMs = opts.waitMs ?? 5_000;
  }

  /** Runs `fn` while holding the forum's lease. Throws {@link ForumNotFoundError} / {@link ForumBusyError}. */
  async with<T>(forumId: Types.ObjectId, fn: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const giveUpAt = Date.now() + this.waitMs;
    for (;;) {
      const now = this.clock();
      const got = await this.forums
        .findOneAndUpdate(
          { _id: forumId, $or: [{ lockUntil: null }, { lockUntil: { $lt: now } }] },
          { $set: { lockOwner: owner, lockUntil: new Date(now.getTime() + this.leaseMs) } },
          { new: true },
        )
        .lean();
      if (got) break;
      if (!(await this.forums.exists({ _id: forumId }))) throw new ForumNotFoundError(String(forumId));
      if (Date.now() > giveUpAt) throw new ForumBusyError(String(forumId));
      await sleep(15 + Math.random() * 35);
    }
    try {
      return await fn();
    } finally {
      await this.forums.updateOne({ _id: forumId, lockOwner: owner }, { $set: { lockOwner: null, lockUntil: null } });
    }
  }
}
