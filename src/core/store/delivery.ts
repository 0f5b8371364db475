import { Schema, type Connection, type Model } from 'mongoose';

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
