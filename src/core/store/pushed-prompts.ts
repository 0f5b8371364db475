/**
 * Pushed prompts (core/pushed-prompts.ts: what they are and why they are kept apart from the
 * session) in `pushed_prompts`, one document per person (`_id` = `channel:userKey`).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Channel } from '../messages.js';
import type { ExpectedReply, PushedPrompt, PushedPromptStore } from '../pushed-prompts.js';

interface PushedPromptDoc extends PushedPrompt {
  _id: string;
}

const schema = new Schema<PushedPromptDoc>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true },
    flow: { type: String, required: true },
    step: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'pushed_prompts', minimize: false, versionKey: false },
);

type PushedPromptModel = Model<PushedPromptDoc>;
const model = (conn: Connection): PushedPromptModel =>
  (conn.models['PushedPrompt'] as PushedPromptModel | undefined) ?? conn.model<PushedPromptDoc>('PushedPrompt', schema);

const DEFAULT_TTL_HOURS = 72;

export class MongoPushedPrompts implements PushedPromptStore {
  private readonly model: PushedPromptModel;

  constructor(conn: Connection) {
    this.model = model(conn);
  }

  async init(): Promise<void> {
    await this.model.createCollection();
  }

  /** Remembers the prompt just pushed to a person (replacing any earlier one). */
  async record(channel: Channel, userKey: string, id: string, expect: ExpectedReply, now: Date): Promise<void> {
    const doc: PushedPromptDoc = {
      _id: `${channel}:${userKey}`,
      id,
      flow: expect.flow,
      step: expect.step,
      data: expect.data,
      at: now,
      expiresAt: new Date(now.getTime() + (expect.ttlHours ?? DEFAULT_TTL_HOURS) * 3_600_000),
    };
    await this.model.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }

  async latest(channel: Channel, userKey: string): Promise<PushedPrompt | null> {
    const doc = await this.model.findById(`${channel}:${userKey}`).lean<PushedPromptDoc>();
    if (!doc) return null;
    return { id: doc.id, flow: doc.flow, step: doc.step, data: doc.data ?? {}, at: new Date(doc.at), expiresAt: new Date(doc.expiresAt) };
  }

  /** Drops prompts past their expiry (a daily prune). Returns how many. */
  async prune(now: Date): Promise<number> {
    const r = await this.model.deleteMany({ expiresAt: { $lt: now } });
    return r.deletedCount ?? 0;
  }
}
