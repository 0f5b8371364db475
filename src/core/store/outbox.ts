/**
 * The outbox's collections (`OutboxDoc` in core/outbox-store.ts lists them), each written in the
 * way that is cheap and atomic on MongoDB and on FerretDB (whose SQLite backend walks the whole
 * collection for any read, and uses an index only to check a unique key on insert): the queue holds
 * only unfinished messages, a send claim is an insert on a unique `_id`, the log and the reports
 * are insert-only.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { driverCollection } from '../../db/driver.js';
import { retryTransient } from '../../db/retry.js';
import type { Channel } from '../messages.js';
import type { OutboxClaimDoc, OutboxDoc, OutboxLogDoc, OutboxLogOutcome, OutboxReportDoc, OutboxStore } from '../outbox-store.js';
import { deleteEachById } from './by-id.js';
import { insertCommit, type GroupCommit } from './group-commit.js';

export type { OutboxClaimDoc, OutboxDoc, OutboxLogDoc, OutboxReportDoc };

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

/**
 * `OutboxStore` on the four collections above. Reads of one record go by `_id` (FerretDB's primary
 * key); the queue's reads by chat or due time walk the (small) queue; deletes go by
 * `deleteEachById` (by-id.ts). Each of the four inserts has its own group commit.
 */
export class MongoOutboxStore implements OutboxStore {
  private readonly messageWrites: GroupCommit<OutboxDoc, boolean>;
  private readonly claimWrites: GroupCommit<OutboxClaimDoc, boolean>;
  private readonly logWrites: GroupCommit<OutboxLogDoc, boolean>;
  private readonly reportWrites: GroupCommit<OutboxReportDoc, boolean>;

  constructor(private readonly m: { queue: OutboxModel; claims: OutboxClaimModel; log: OutboxLogModel; reports: OutboxReportModel }) {
    this.messageWrites = insertCommit<OutboxDoc>((docs) => driverCollection<OutboxDoc>(m.queue).insertMany(docs, { ordered: false }), retryTransient);
    this.claimWrites = insertCommit<OutboxClaimDoc>((docs) => driverCollection<OutboxClaimDoc>(m.claims).insertMany(docs, { ordered: false }), retryTransient);
    this.logWrites = insertCommit<OutboxLogDoc>((docs) => driverCollection<OutboxLogDoc>(m.log).insertMany(docs, { ordered: false }), retryTransient);
    this.reportWrites = insertCommit<OutboxReportDoc>((docs) => driverCollection<OutboxReportDoc>(m.reports).insertMany(docs, { ordered: false }), retryTransient);
  }

  addMessage(doc: OutboxDoc): Promise<boolean> {
    return this.messageWrites.submit(doc);
  }

  addClaim(claim: OutboxClaimDoc): Promise<boolean> {
    return this.claimWrites.submit(claim);
  }

  addLog(record: OutboxLogDoc): Promise<boolean> {
    return this.logWrites.submit(record);
  }

  addReport(report: OutboxReportDoc): Promise<boolean> {
    return this.reportWrites.submit(report);
  }

  logOf(key: string): Promise<OutboxLogOutcome | null> {
    return this.m.log.findById(key, { status: 1, lastError: 1, finishedAt: 1 }).lean<OutboxLogOutcome>();
  }

  claimOf(id: string): Promise<OutboxClaimDoc | null> {
    return this.m.claims.findById(id).lean<OutboxClaimDoc>();
  }

  queuedChats(): Promise<Array<Pick<OutboxDoc, 'channel' | 'chatId'>>> {
    return this.m.queue.find({}, { channel: 1, chatId: 1 }).lean<Array<Pick<OutboxDoc, 'channel' | 'chatId'>>>();
  }

  chatQueue(channel: Channel, chatId: string, limit: number): Promise<OutboxDoc[]> {
    return this.m.queue.find({ channel, chatId }).sort({ createdAt: 1 }).limit(limit).lean<OutboxDoc[]>();
  }

  chatQueueExcept(channel: Channel, chatId: string, exceptKey: string): Promise<OutboxDoc[]> {
    return this.m.queue.find({ channel, chatId, _id: { $ne: exceptKey } }).lean<OutboxDoc[]>();
  }

  due(channel: Channel, now: Date, limit: number): Promise<OutboxDoc[]> {
    return this.m.queue.find({ channel, nextAttemptAt: { $lte: now } }).sort({ createdAt: 1 }).limit(limit).lean<OutboxDoc[]>();
  }

  async countAttempt(key: string, fromAttempts: number, attempts: number): Promise<void> {
    await this.m.queue.updateOne({ _id: key, attempts: fromAttempts }, { $set: { attempts } });
  }

  async recordAttempt(key: string, set: { attempts: number; lastError: { code: string; message: string }; nextAttemptAt?: Date }): Promise<void> {
    await this.m.queue.updateOne({ _id: key }, { $set: set });
  }

  async deleteMessages(ids: readonly string[]): Promise<void> {
    await deleteEachById(this.m.queue, ids);
  }
}
