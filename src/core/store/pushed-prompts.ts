/**
 * Pushed prompts (core/pushed-prompts.ts: what they are and why they are kept apart from the
 * session) in `pushed_prompts`, one document per push (`_id` = the push's id, `who` =
 * `channel:userKey`); a person's latest is the one with the latest `at`.
 *
 * Why one per push and not one per person: recording is then an insert on a unique `_id`, which
 * FerretDB answers from its primary key and which concurrent pushes share one statement for
 * (group commit). A replace by person is a read-then-write that walks the whole collection on
 * FerretDB: during a 10,000-person reminder fan-out that was the database's largest cost.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { driverCollection } from '../../db/driver.js';
import { retryTransient } from '../../db/retry.js';
import type { Channel } from '../messages.js';
import { promptExpiry, type ExpectedReply, type PushedPrompt, type PushedPromptStore } from '../pushed-prompts.js';
import { insertCommit, type GroupCommit } from './group-commit.js';

interface PushedPromptDoc {
  /** The push's id (`PushedPrompt.id`). */
  _id: string;
  /** `channel:userKey` of the person it was pushed to. */
  who: string;
  flow: string;
  step: string;
  data: PushedPrompt['data'];
  at: Date;
  expiresAt: Date;
}

const schema = new Schema<PushedPromptDoc>(
  {
    _id: { type: String, required: true },
    who: { type: String, required: true },
    flow: { type: String, required: true },
    step: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'pushed_prompts', minimize: false, versionKey: false },
);
// A person's latest push (MongoDB; FerretDB's SQLite backend ignores secondary indexes for reads).
schema.index({ who: 1, at: -1 });

type PushedPromptModel = Model<PushedPromptDoc>;
const model = (conn: Connection): PushedPromptModel =>
  (conn.models['PushedPrompt'] as PushedPromptModel | undefined) ?? conn.model<PushedPromptDoc>('PushedPrompt', schema);

const whoOf = (channel: Channel, userKey: string): string => `${channel}:${userKey}`;

const toPrompt = (doc: PushedPromptDoc): PushedPrompt => ({
  id: doc._id,
  flow: doc.flow,
  step: doc.step,
  data: doc.data ?? {},
  at: new Date(doc.at),
  expiresAt: new Date(doc.expiresAt),
});

export class MongoPushedPrompts implements PushedPromptStore {
  private readonly model: PushedPromptModel;
  private readonly inserts: GroupCommit<PushedPromptDoc, boolean>;

  constructor(conn: Connection) {
    this.model = model(conn);
    this.inserts = insertCommit<PushedPromptDoc>((docs) => driverCollection<PushedPromptDoc>(this.model).insertMany(docs, { ordered: false }), retryTransient);
  }

  async init(): Promise<void> {
    await this.model.createCollection();
    await this.model.createIndexes();
  }

  /** Remembers the prompt just pushed to a person; the same push recorded again is a no-op. */
  async record(channel: Channel, userKey: string, id: string, expect: ExpectedReply, now: Date): Promise<void> {
    await this.inserts.submit({
      _id: id,
      who: whoOf(channel, userKey),
      flow: expect.flow,
      step: expect.step,
      data: expect.data,
      at: now,
      expiresAt: promptExpiry(expect, now),
    });
  }

  async latest(channel: Channel, userKey: string): Promise<PushedPrompt | null> {
    const [doc] = await retryTransient(() => this.model.find({ who: whoOf(channel, userKey) }).sort({ at: -1, _id: -1 }).limit(1).lean<PushedPromptDoc[]>());
    return doc ? toPrompt(doc) : null;
  }

  /** Every person's latest prompt not yet expired at `now` (one read; for a sole writer's memory). */
  async latestOfEveryone(now: Date): Promise<Map<string, PushedPrompt>> {
    const docs = await retryTransient(() => this.model.find({ expiresAt: { $gt: now } }).lean<PushedPromptDoc[]>());
    const out = new Map<string, PushedPrompt>();
    for (const doc of docs) {
      const seen = out.get(doc.who);
      if (!seen || new Date(doc.at).getTime() >= seen.at.getTime()) out.set(doc.who, toPrompt(doc));
    }
    return out;
  }

  /** Drops prompts past their expiry (a daily prune). Returns how many. */
  async prune(now: Date): Promise<number> {
    const r = await retryTransient(() => this.model.deleteMany({ expiresAt: { $lt: now } }));
    return r.deletedCount ?? 0;
  }
}
