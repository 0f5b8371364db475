import { Schema, type Connection, type Model } from 'mongoose';
import type { Channel, InboundMessage } from '../messages.js';

/**
 * Durable inbox, which is also the record of platform ids seen: every inbound update is inserted
 * here before the webhook answers 200 (a redelivery fails that insert on the unique `_id` and is
 * dropped: one command accepts and dedupes), then marked `done` once handled (in batches, its
 * message dropped) and kept for `INBOX_RETENTION_DAYS`, as platforms redeliver for days.
 *
 * Why the ids are strings (`<channel>:<platform id>`): inserts on a unique `_id` are atomic on
 * every backend, and FerretDB's SQLite backend finds a document by `_id` alone about ten times
 * faster than by other fields (it still walks the collection). Only the recovery sweep reads this
 * collection; the hot path hands accepted messages to the drain in memory.
 */
export interface InboxDoc {
  /** `<channel>:<externalId>` */
  _id: string;
  channel: Channel;
  externalId: string;
  userKey: string;
  /** The message; dropped once handled. */
  message?: InboundMessage;
  /** `pending`: to be handled; `done`: handled; `failed`: given up on, kept for a developer. */
  status: 'pending' | 'done' | 'failed';
  /** The `accept` batch that stored it (tells a retried insert from a redelivery). */
  acceptId: string;
  attempts: number;
  lastError?: string;
  occurredAt: Date;
  receivedAt: Date;
}

/** WhatsApp retries for up to 7 days; keep ids twice as long. */
export const INBOX_RETENTION_DAYS = 14;

export const inboxId = (channel: Channel, externalId: string): string => `${channel}:${externalId}`;

const inboxSchema = new Schema<InboxDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    externalId: { type: String, required: true },
    userKey: { type: String, required: true },
    message: { type: Schema.Types.Mixed },
    status: { type: String, required: true, default: 'pending' },
    acceptId: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    lastError: { type: String },
    occurredAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'inbound_updates', versionKey: false },
);
inboxSchema.index({ status: 1, receivedAt: 1 });

export type InboxModel = Model<InboxDoc>;
export const inboxModel = (conn: Connection): InboxModel =>
  conn.models['Inbox'] as InboxModel | undefined ?? conn.model<InboxDoc>('Inbox', inboxSchema);
