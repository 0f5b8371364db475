import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Channel, InboundMessage } from '../messages.js';

/**
 * Durable inbox: every inbound update is stored here before the webhook answers 200.
 * The unique (channel, externalId) index is also the "processed updates" record that drops
 * redeliveries. Items are pruned by a job after {@link INBOX_RETENTION_DAYS}.
 */
export interface InboxDoc {
  _id: Types.ObjectId;
  channel: Channel;
  externalId: string;
  userKey: string;
  message: InboundMessage;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  lastError?: string;
  occurredAt: Date;
  receivedAt: Date;
  processedAt?: Date;
}

/** WhatsApp retries for up to 7 days; keep ids twice as long. */
export const INBOX_RETENTION_DAYS = 14;

const inboxSchema = new Schema<InboxDoc>(
  {
    channel: { type: String, required: true },
    externalId: { type: String, required: true },
    userKey: { type: String, required: true },
    message: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    lastError: { type: String },
    occurredAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    processedAt: { type: Date },
  },
  { collection: 'inbound_updates', versionKey: false },
);
inboxSchema.index({ channel: 1, externalId: 1 }, { unique: true });
inboxSchema.index({ channel: 1, userKey: 1, status: 1, occurredAt: 1 });
inboxSchema.index({ status: 1, receivedAt: 1 });

export type InboxModel = Model<InboxDoc>;
export const inboxModel = (conn: Connection): InboxModel =>
  conn.models['Inbox'] as InboxModel | undefined ?? conn.model<InboxDoc>('Inbox', inboxSchema);
