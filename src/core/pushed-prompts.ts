/**
 * Prompts the service pushed to a person outside a conversation (a rating request after
 * "selesai", a staff question via "Balas pelapor", a forum reminder), remembered so that the
 * person's next typed reply is read against that prompt ("5" after "beri nilai 1–5" is a rating).
 *
 * One record per person (`_id` = `channel:userKey`), the latest push wins. Kept apart from the
 * session on purpose: the session is written only by the person's own turn under their lease,
 * with a version check; a push comes from someone else's turn or a job, and FerretDB updates are
 * read-then-write, so a second writer of the session could silently undo the turn's write. Here
 * the only writer is the pusher, and the engine only reads.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Channel } from './messages.js';
import type { FlowData } from './store/sessions.js';

/** The step that reads a reply to a pushed prompt, and what it needs. */
export interface ExpectedReply {
  /** Flow and step whose `accepts` / `handle` read the reply. */
  flow: string;
  step: string;
  /** The step's data (e.g. `{ ticket }`). */
  data: FlowData;
  /** How long a reply is still read against this prompt (default 72 h). */
  ttlHours?: number;
}

/** A pushed prompt as stored. */
export interface PushedPrompt {
  /** Unique per push (the notification's idempotency key): a reply is read against it only once. */
  id: string;
  flow: string;
  step: string;
  data: FlowData;
  /** When it was pushed. */
  at: Date;
  expiresAt: Date;
}

/** What the engine needs: the latest prompt pushed to a person. */
export interface PushedPromptReader {
  latest(channel: Channel, userKey: string): Promise<PushedPrompt | null>;
}

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

export class PushedPrompts implements PushedPromptReader {
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
