import { Schema, type Connection, type Model } from 'mongoose';

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
