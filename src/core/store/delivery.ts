import { Schema, type Connection, type Model } from 'mongoose';
import { retryTransient } from '../../db/retry.js';
import type { DeliveryReport, DeliveryStatus, DeliveryStore } from '../delivery-service.js';
import { isDuplicateKey } from '../errors.js';

/**
 * Delivery reports (sent/delivered/read/failed) per platform message id, one insert per status
 * (`_id` = `<channel>:<messageId>:<status>`). Insert-only, so reports arriving out of order or twice
 * need no read-modify-write; the current state is the furthest one stored.
 */
export interface DeliveryDoc {
  _id: string;
  channel: string;
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  error?: { code: string; message: string };
}

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    messageId: { type: String, required: true },
    status: { type: String, required: true },
    at: { type: Date, required: true },
    error: { type: Schema.Types.Mixed },
  },
  { collection: 'delivery_statuses', versionKey: false },
);
deliverySchema.index({ at: 1 });

export type DeliveryModel = Model<DeliveryDoc>;
export const deliveryModel = (conn: Connection): DeliveryModel =>
  conn.models['Delivery'] as DeliveryModel | undefined ?? conn.model<DeliveryDoc>('Delivery', deliverySchema);

/** `DeliveryStore` on `delivery_statuses`: an insert, and reads by `_id` (FerretDB's primary key). */
export class MongoDeliveryStore implements DeliveryStore {
  constructor(private readonly deliveries: DeliveryModel) {}

  async add(channel: string, r: DeliveryReport): Promise<boolean> {
    try {
      await retryTransient(() =>
        this.deliveries.create({ _id: `${channel}:${r.messageId}:${r.status}`, channel, messageId: r.messageId, status: r.status, at: r.at, ...(r.error ? { error: r.error } : {}) }),
      );
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false; // the same report delivered twice
    }
  }

  async get(channel: string, messageId: string, status: DeliveryStatus): Promise<DeliveryReport | null> {
    const d = await this.deliveries.findById(`${channel}:${messageId}:${status}`).lean();
    return d ? { messageId, status, at: d.at, ...(d.error ? { error: d.error } : {}) } : null;
  }
}
