import { Schema, type Connection, type Model } from 'mongoose';
import { driverCollection } from '../../db/driver.js';
import { retryTransient } from '../../db/retry.js';
import { HANDLED_IDS_KEPT, sessionId, type FlowData, type HistoryEntry, type SessionDoc, type SessionFields, type SessionStore } from '../session-store.js';
import { insertCommit, type GroupCommit } from './group-commit.js';

export { HANDLED_IDS_KEPT, sessionId, type FlowData, type HistoryEntry, type SessionDoc };

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    userKey: { type: String, required: true },
    flow: { type: String, default: null },
    step: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: {} },
    history: { type: Schema.Types.Mixed, default: [] },
    offeredChoices: { type: Schema.Types.Mixed, default: [] },
    memory: { type: Schema.Types.Mixed, default: {} },
    resumePrompt: { type: Schema.Types.Mixed, default: null },
    stateVersion: { type: Number, default: 1 },
    lastActivityAt: { type: Date, default: () => new Date() },
    handledIds: { type: [String], default: [] },
    version: { type: Number, default: 0 },
  },
  { collection: 'sessions', minimize: false, versionKey: false },
);

export type SessionModel = Model<SessionDoc>;
export const sessionModel = (conn: Connection): SessionModel =>
  conn.models['Session'] as SessionModel | undefined ?? conn.model<SessionDoc>('Session', sessionSchema);

/**
 * `SessionStore` on `sessions`. A read or an update names `_id` (with `version` only when asked):
 * `_id` alone is the one filter FerretDB answers from its primary key. First sessions of several
 * people go out as one unordered insert (group commit).
 */
export class MongoSessionStore implements SessionStore {
  private readonly inserts: GroupCommit<SessionDoc, boolean>;

  constructor(private readonly sessions: SessionModel) {
    this.inserts = insertCommit<SessionDoc>((docs) => driverCollection<SessionDoc>(sessions).insertMany(docs, { ordered: false }), retryTransient);
  }

  get(id: string): Promise<SessionDoc | null> {
    return this.sessions.findById(id).lean<SessionDoc>();
  }

  async update(id: string, fields: SessionFields, expectedVersion?: number): Promise<boolean> {
    const filter = expectedVersion === undefined ? { _id: id } : { _id: id, version: expectedVersion };
    const saved = await this.sessions.updateOne(filter, { $set: fields, $inc: { version: 1 } });
    return saved.modifiedCount === 1;
  }

  create(doc: SessionDoc): Promise<boolean> {
    return this.inserts.submit(doc);
  }
}
