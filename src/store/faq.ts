/**
 * The FAQ's store on MongoDB / FerretDB: collections `faq_entries`, `faq_unanswered`,
 * `faq_forwarded`, implementing the port of src/domain/faq/store.ts.
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../core/errors.js';
import { ensureIndexes } from '../core/store/index.js';
import type { FaqEntryDoc, FaqStore, ForwardedQuestionDoc, ForwardRequest, UnansweredDoc } from '../domain/faq/store.js';
import type { FaqEntry, Lang } from '../domain/faq/types.js';

/** A forwarded question as stored (ObjectId `_id`). */
type ForwardedRow = Omit<ForwardedQuestionDoc, '_id'> & { _id: Types.ObjectId };

/** Fields of an entry that come from the reviewed content files. */
const CONTENT_FIELDS = ['topic', 'track', 'title', 'questions', 'keywords', 'answer', 'source', 'sourceUrls', 'appliesTo', 'year'] as const;


const bilingual = { id: { type: String, required: true }, en: { type: String, required: true } };

const entrySchema = new Schema<FaqEntryDoc>(
  {
    id: { type: String, required: true },
    topic: { type: String, required: true },
    track: { type: String, required: true },
    title: bilingual,
    questions: { id: [String], en: [String] },
    keywords: [String],
    answer: bilingual,
    source: { type: String, required: true },
    sourceUrls: [String],
    appliesTo: bilingual,
    year: { type: Number, required: true },
    origin: { type: String, required: true },
    editedByStaff: { type: Boolean, default: false },
    editedBy: { type: String },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'faq_entries', versionKey: false },
);
entrySchema.index({ id: 1 }, { unique: true });

const unansweredSchema = new Schema<UnansweredDoc>(
  {
    key: { type: String, required: true },
    example: { type: String, required: true },
    count: { type: Number, required: true },
    lastAskedAt: { type: Date, required: true },
  },
  { collection: 'faq_unanswered', versionKey: false },
);
unansweredSchema.index({ key: 1 }, { unique: true });
unansweredSchema.index({ count: -1 });

const forwardedSchema = new Schema<ForwardedRow>(
  {
    channel: { type: String, required: true },
    userKey: { type: String, required: true },
    text: { type: String, required: true },
    lang: { type: String, required: true },
    status: { type: String, required: true },
    answer: { type: String },
    answeredBy: { type: String },
    createdAt: { type: Date, required: true },
    answeredAt: { type: Date },
    requestKey: { type: String, required: true },
  },
  { collection: 'faq_forwarded', versionKey: false },
);
forwardedSchema.index({ requestKey: 1 }, { unique: true });
forwardedSchema.index({ status: 1, createdAt: -1 });

/** The FAQ's mongoose models (tests read them directly). */
export interface FaqModels {
  entries: Model<FaqEntryDoc>;
  unanswered: Model<UnansweredDoc>;
  forwarded: Model<ForwardedRow>;
}

export function faqModels(conn: Connection): FaqModels {
  const get = <T>(name: string, schema: Schema<T>): Model<T> => (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
  return {
    entries: get('FaqEntry', entrySchema),
    unanswered: get('FaqUnanswered', unansweredSchema),
    forwarded: get('FaqForwarded', forwardedSchema),
  };
}

const HEX_ID = /^[a-f0-9]{24}$/;
const toForwarded = (r: ForwardedRow): ForwardedQuestionDoc => ({ ...r, _id: String(r._id) });

/** The FAQ store on a mongoose connection. */
export class MongoFaqStore implements FaqStore {
  readonly models: FaqModels;

  constructor(conn: Connection) {
    this.models = faqModels(conn);
  }

  async init(): Promise<void> {
    await ensureIndexes([this.models.entries, this.models.unanswered, this.models.forwarded]);
  }

  async putContentEntry(e: FaqEntry, now: Date): Promise<'written' | 'unchanged' | 'staff-edit'> {
    const set: Record<string, unknown> = { origin: 'content', updatedAt: now };
    for (const f of CONTENT_FIELDS) set[f] = e[f] ?? null;
    try {
      const r = await this.models.entries.updateOne({ id: e.id, editedByStaff: { $ne: true } }, { $set: set, $setOnInsert: { editedByStaff: false } }, { upsert: true });
      return r.upsertedCount || r.modifiedCount ? 'written' : 'unchanged';
    } catch (err) {
      // The entry exists and was edited by staff: the filter did not match, the insert collided.
      if (!isDuplicateKey(err)) throw err;
      return 'staff-edit';
    }
  }

  entries(): Promise<FaqEntryDoc[]> {
    return this.models.entries.find().sort({ id: 1 }).lean<FaqEntryDoc[]>().exec();
  }

  async changedSince(at: Date): Promise<boolean> {
    return (await this.models.entries.exists({ updatedAt: { $gt: at } })) !== null;
  }

  async editAnswer(id: string, lang: Lang, answer: string, staff: string, now: Date): Promise<boolean> {
    const r = await this.models.entries.updateOne({ id }, { $set: { [`answer.${lang}`]: answer, editedByStaff: true, editedBy: staff, updatedAt: now } });
    return r.matchedCount > 0;
  }

  async addEntry(entry: FaqEntryDoc): Promise<void> {
    await this.models.entries.create(entry);
  }

  async countUnanswered(key: string, example: string, now: Date): Promise<void> {
    await this.models.unanswered.updateOne({ key }, { $inc: { count: 1 }, $set: { lastAskedAt: now }, $setOnInsert: { example } }, { upsert: true });
  }

  topUnanswered(limit: number): Promise<UnansweredDoc[]> {
    return this.models.unanswered.find().sort({ count: -1, lastAskedAt: -1 }).limit(limit).lean<UnansweredDoc[]>().exec();
  }

  async forward(q: ForwardRequest, now: Date): Promise<ForwardedQuestionDoc> {
    try {
      // Idempotent by a unique insert on `requestKey`: a redelivered message forwards once.
      const doc = await this.models.forwarded.create({ ...q, status: 'open', createdAt: now });
      return toForwarded(doc.toObject());
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.models.forwarded.findOne({ requestKey: q.requestKey }).lean<ForwardedRow>();
      if (!existing) throw err;
      return toForwarded(existing);
    }
  }

  async forwarded(id: string): Promise<ForwardedQuestionDoc | null> {
    if (!HEX_ID.test(id)) return null;
    const r = await this.models.forwarded.findById(id).lean<ForwardedRow>();
    return r ? toForwarded(r) : null;
  }

  async answer(id: string, answer: string, staff: string, now: Date): Promise<ForwardedQuestionDoc | null> {
    if (!HEX_ID.test(id)) return null;
    const r = await this.models.forwarded
      .findOneAndUpdate({ _id: id, status: 'open' }, { $set: { status: 'answered', answer, answeredBy: staff, answeredAt: now } }, { new: true })
      .lean<ForwardedRow>();
    return r ? toForwarded(r) : null;
  }
}
