/**
 * Leases on top of the `leases` collection.
 *
 * Concurrency (why it is safe): `acquire` inserts `{_id: name}`; the unique `_id` lets exactly
 * one contender succeed, on MongoDB and on FerretDB (whose updates are read-then-write and so are
 * no compare-and-set). An expired lease is deleted only if it still has the owner and expiry we
 * read, then the insert decides again between contenders.
 */
import { retryTransient } from '../db/retry.js';
import { isDuplicateKey } from './errors.js';
import type { LeaseModel } from './store/leases.js';

export class Leases {
  constructor(
    private readonly model: LeaseModel,
    private readonly clock: () => Date,
  ) {}

  /** Takes `name` for `ms` milliseconds; false when someone else holds it. */
  async acquire(name: string, owner: string, ms: number): Promise<boolean> {
    for (let round = 0; round < 2; round++) {
      const now = this.clock();
      try {
        await retryTransient(() => this.model.create({ _id: name, owner, until: new Date(now.getTime() + ms) }));
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await retryTransient(() => this.model.findById(name).lean());
      if (held && held.until.getTime() > now.getTime()) return false;
      if (held) await retryTransient(() => this.model.deleteOne({ _id: name, owner: held.owner, until: held.until }));
    }
    return false;
  }

  /** Extends a lease we hold; false when it is no longer ours. */
  async renew(name: string, owner: string, ms: number): Promise<boolean> {
    const r = await retryTransient(() => this.model.updateOne({ _id: name, owner }, { $set: { until: new Date(this.clock().getTime() + ms) } }));
    return r.matchedCount === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await retryTransient(() => this.model.deleteOne({ _id: name, owner }));
  }
}
