import { Schema, type Connection, type Model } from 'mongoose';
import { retryTransient } from '../../db/retry.js';
import { isDuplicateKey } from '../errors.js';
import type { LeaseRecord, LeaseStore } from '../leases.js';
import { deleteEachById } from './by-id.js';

/**
 * Exclusive leases (one person's conversation, one scheduled job run...). Taking a lease is an
 * insert on a unique `_id`, the one write that is atomic on MongoDB and on FerretDB alike;
 * releasing deletes it; an expired lease may be taken over.
 */
export interface LeaseDoc {
  _id: string;
  owner: string;
  until: Date;
}

const leaseSchema = new Schema<LeaseDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { collection: 'leases', versionKey: false },
);

export type LeaseModel = Model<LeaseDoc>;
export const leaseModel = (conn: Connection): LeaseModel =>
  conn.models['Lease'] as LeaseModel | undefined ?? conn.model<LeaseDoc>('Lease', leaseSchema);

/**
 * `LeaseStore` on the `leases` collection. Every statement names a single `_id` (answered from the
 * primary key on FerretDB), except `deleteMany`'s, which goes by `deleteEachById` (by-id.ts).
 */
export class MongoLeaseStore implements LeaseStore {
  constructor(private readonly model: LeaseModel) {}

  async insert(name: string, owner: string, until: Date): Promise<boolean> {
    try {
      await retryTransient(() => this.model.create({ _id: name, owner, until }));
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false;
    }
  }

  async get(name: string): Promise<LeaseRecord | null> {
    return retryTransient(() => this.model.findById(name).lean());
  }

  async deleteIfUnchanged(name: string, held: LeaseRecord): Promise<void> {
    await retryTransient(() => this.model.deleteOne({ _id: name, owner: held.owner, until: held.until }));
  }

  async extend(name: string, owner: string, until: Date): Promise<boolean> {
    const r = await retryTransient(() => this.model.updateOne({ _id: name, owner }, { $set: { until } }));
    return r.matchedCount === 1;
  }

  async delete(name: string, owner: string): Promise<void> {
    await retryTransient(() => this.model.deleteOne({ _id: name, owner }));
  }

  async deleteMany(names: readonly string[], owner: string): Promise<void> {
    await retryTransient(() => deleteEachById(this.model, names, { owner }));
  }

  async put(name: string, owner: string, until: Date): Promise<void> {
    await retryTransient(() => this.model.updateOne({ _id: name }, { $set: { owner, until } }, { upsert: true }));
  }

  async remove(name: string): Promise<void> {
    await retryTransient(() => this.model.deleteOne({ _id: name }));
  }
}
