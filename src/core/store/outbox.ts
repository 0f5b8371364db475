import { Schema, type Connection, type Model } from 'mongoose';
import type { Channel, Reply } from '../messages.js';

/**
 * Outbound messages. Three collections, each written in the way that is cheap and atomic on
 * MongoDB and on FerretDB (whose SQLite backend walks the whole collection for any read, and uses
 * an index only to check a unique key on insert):
 *
 * - `outbound_messages`: the queue — only messages not finished yet, keyed by their idempotency key;
 * - `outbound_claims`: one insert per send attempt (`<key>#a<attempt>`); the unique `_id` makes
 *   exactly one process the sender of an attempt;
 * - `outbound_log`: one record per finished message (sent / failed / cancelled), keyed like the queue;
 * - `outbound_reports`: for messages queued with a `report` topic, the outcome again, until the
 *   producer (e.g. forum reminders) has read and acknowledged it. It holds only unread outcomes, so
 *   a producer reads a few documents instead of looking keys up in the ever-growing log.
 */
export interface OutboxDoc {
  /** The idempotency key: the same reply is never queued twice. */
  _id: string;
  channel: Channel;
  chatId: string;
  userKey?: string;
  reply: Reply;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: { code: string; message: string };
  /** Topic to report the outcome to (`outbound_reports`); absent for ordinary replies. */
  report?: string;
  createdAt: Date;
}

/** The outcome of a finished message, kept until its producer acknowledges it. */
export interface OutboxReportDoc {
  /** The message's idempotency key. */
  _id: string;
  topic: string;
  status: 'sent' | 'failed' | 'cancelled';
  lastError?: { code: string; message: string };
  finishedAt: Date;
}

export interface OutboxClaimDoc {
  _id: string;
  owner: string;
  until: Date;
}

export interface OutboxLogDoc {
  _id: string;
  channel: Channel;
  chatId: string;
  userKey?: string;
  reply: Reply;
  status: 'sent' | 'failed' | 'cancelled';
  attempts: number;
  lastError?: { code: string; message: string };
  platformMessageIds: string[];
  createdAt: Date;
  finishedAt: Date;
}

const errorShape = { code: String, message: String };

const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    userKey: { type: String },
    reply: { type: Schema.Types.Mixed, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: { type: errorShape, default: undefined, _id: false },
    report: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'outbound_messages', versionKey: false, minimize: false },
);
outboxSchema.index({ channel: 1, nextAttemptAt: 1 });
outboxSchema.index({ channel: 1, chatId: 1, createdAt: 1 });

const claimSchema = new Schema<OutboxClaimDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { collection: 'outbound_claims', versionKey: false },
);
claimSchema.index({ until: 1 });

const logSchema = new Schema<OutboxLogDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    userKey: { type: String },
    reply: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    lastError: { type: errorShape, default: undefined, _id: false },
    platformMessageIds: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    finishedAt: { type: Date, required: true },
  },
  { collection: 'outbound_log', versionKey: false, minimize: false },
);
logSchema.index({ channel: 1, chatId: 1, createdAt: 1 });
logSchema.index({ finishedAt: 1 });

const reportSchema = new Schema<OutboxReportDoc>(
  {
    _id: { type: String, required: true },
    topic: { type: String, required: true },
    status: { type: String, required: true },
    lastError: { type: errorShape, default: undefined, _id: false },
    finishedAt: { type: Date, required: true },
  },
  { collection: 'outbound_reports', versionKey: false },
);
reportSchema.index({ topic: 1 });

export type OutboxModel = Model<OutboxDoc>;
export type OutboxReportModel = Model<OutboxReportDoc>;
export type OutboxClaimModel = Model<OutboxClaimDoc>;
export type OutboxLogModel = Model<OutboxLogDoc>;
export const outboxModel = (conn: Connection): OutboxModel =>
  conn.models['Outbox'] as OutboxModel | undefined ?? conn.model<OutboxDoc>('Outbox', outboxSchema);
export const outboxClaimModel = (conn: Connection): OutboxClaimModel =>
  conn.models['OutboxClaim'] as OutboxClaimModel | undefined ?? conn.model<OutboxClaimDoc>('OutboxClaim', claimSchema);
export const outboxLogModel = (conn: Connection): OutboxLogModel =>
  conn.models['OutboxLog'] as OutboxLogModel | undefined ?? conn.model<OutboxLogDoc>('OutboxLog', logSchema);

export const outboxReportModel = (conn: Connection): OutboxReportModel =>
  conn.models['OutboxReport'] as OutboxReportModel | undefined ?? conn.model<OutboxReportDoc>('OutboxReport', reportSchema);
