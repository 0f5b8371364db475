/**
 * The inbox's collections: `inbound_updates` (live work, `InboxDoc`) and `inbound_seen` (platform
 * ids seen, `SeenDoc`); what they hold is described with `InboxDoc` (core/inbox-store.ts).
 *
 * Why two collections: FerretDB's SQLite backend walks the whole collection for any update or
 * delete (even by `_id`), so a record of fourteen days of messages that is also updated per
 * message costs more with every day kept. Here the big record is insert-only (an insert uses the
 * unique index), and what is updated and deleted stays small.
 *
 * Why the ids are strings (`<channel>:<platform id>`): inserts on a unique `_id` are atomic on
 * every backend. Only the recovery sweep reads these collections; the hot path hands accepted
 * messages to the drain in memory.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { INBOX_RETENTION_DAYS, inboxId, type InboxDoc } from '../inbox-store.js';

export { INBOX_RETENTION_DAYS, inboxId, type InboxDoc };

const inboxSchema = new Schema<InboxDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    externalId: { type: String, required: true },
    userKey: { type: String, required: true },
    message: { type: Schema.Types.Mixed, required: true },
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

/** A platform id seen (`inbound_seen`): a redelivery of it within the retention is dropped. */
export interface SeenDoc {
  /** `<channel>:<externalId>`, as the inbox's. */
  _id: string;
  receivedAt: Date;
  /** The `accept` batch that stored it (tells a retried insert from a redelivery). */
  acceptId: string;
}

const seenSchema = new Schema<SeenDoc>(
  {
    _id: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    acceptId: { type: String, required: true },
  },
  { collection: 'inbound_seen', versionKey: false },
);
seenSchema.index({ receivedAt: 1 });

export type SeenModel = Model<SeenDoc>;
export const seenModel = (conn: Connection): SeenModel => (conn.models['InboundSeen'] as SeenModel | undefined) ?? conn.model<SeenDoc>('InboundSeen', seenSchema);
