import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Delivery reports (sent/delivered/read/failed) per platform message id. Kept apart from the
 * outbox because a report may arrive before we have saved the id of the message it is about.
 */
export interface DeliveryDoc {
  channel: string;
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** sent 1 < delivered 2 < read 3 < failed 4; a report never moves a message backwards. */
  rank: number;
  at: Date;
  error?: { code: string; message: string };
}

const deliverySchema = new Schema<DeliveryDoc>(
  {
    channel: { type: String, required: true },
    messageId: { type: String, required: true },
    status: { type: String, required: true },
    rank: { type: Number, required: true },
    at: { type: Date, required: true },
    error: { type: Schema.Types.Mixed },
  },
  { collection: 'delivery_statuses', versionKey: false },
);
deliverySchema.index({ channel: 1, messageId: 1 }, { unique: true });

export type DeliveryModel = Model<DeliveryDoc>;
export const deliveryModel = (conn: Connection): DeliveryModel =>
  conn.models['Delivery'] as DeliveryModel | undefined ?? conn.model<DeliveryDoc>('Delivery', deliverySchema);
