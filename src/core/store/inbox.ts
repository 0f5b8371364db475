import { Schema, type Connection, type Model } from 'mongoose';
import type { Channel, InboundMessage } from '../messages.js';

/**
 * Durable inbox: every inbound update is stored here before the webhook answers 200, and removed
 * once handled. The collection holds only work in progress, so it stays small.
 *
 * Why the ids are strings (`<channel>:<platform id>`): inserts on a unique `_id` are atomic on
 * every backend (a redelivery fails to insert), and FerretDB's SQLite backend finds a document by
 * `_id` alone about ten times faster than by other fields (it still walks the collection).
 */
export interface InboxDoc {
  /** `<channel>:<externalId>` */
  _id: string;
  channel: Channel;
  externalId: string;
  userKey: string;
  message: InboundMessage;
  /**
   * `accepting`: stored by a webhook that has not yet checked the id against `processed_updates`
   * (invisible to drains, so a redelivery of a message handled already is never handled again);
   * `pending`: to be handled; `failed`: given up on, kept for a developer.
   */
  status: 'accepting' | 'pending' | 'failed';
  /** The `accept` call that stored it (matches `ProcessedDoc.by` when that call recorded the id). */
  acceptId?: string;
  attempts: number;
  lastError?: string;
  occurredAt: Date;
  receivedAt: Date;
}

/**
 * A platform id already accepted: redeliveries are dropped. Insert-only (`at` = when accepted;
 * `outcome` = `accepted`, or `done` / `failed` for ids recorded when handled); pruned by a job.
 */
export interface ProcessedDoc {
  /** `<channel>:<externalId>` */
  _id: string;
  at: Date;
  outcome: 'accepted' | 'done' | 'failed';
  /** The `accept` call that recorded it (see `InboxDoc.acceptId`). */
  by?: string;
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
    message: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true, default: 'pending' },
    acceptId: { type: String },
    attempts: { type: Number, default: 0 },
    lastError: { type: String },
    occurredAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'inbound_updates', versionKey: false },
);
inboxSchema.index({ channel: 1, userKey: 1, status: 1, occurredAt: 1 });

const processedSchema = new Schema<ProcessedDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    outcome: { type: String, required: true },
    by: { type: String },
  },
  { collection: 'processed_updates', versionKey: false },
);
processedSchema.index({ at: 1 });

export type InboxModel = Model<InboxDoc>;
export type ProcessedModel = Model<ProcessedDoc>;
export const inboxModel = (conn: Connection): InboxModel =>
  conn.models['Inbox'] as InboxModel | undefined ?? conn.model<InboxDoc>('Inbox', inboxSchema);
export const processedModel = (conn: Connection): ProcessedModel =>
  conn.models['Processed'] as ProcessedModel | undefined ?? conn.model<ProcessedDoc>('Processed', processedSchema);
