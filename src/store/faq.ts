/**
 * The FAQ's store on MongoDB / FerretDB: collections `faq_entries`, `faq_unanswered`,
 * `faq_forwarded`, `faq_asked`, `faq_unanswered_resolved`, implementing the port of
 * src/domain/faq/store.ts. Whatever must happen once is decided by an insert on a unique key
 * (FerretDB's updates are read-then-write, so a conditional update is not exclusive there).
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../core/errors.js';
import { insertCommit, type GroupCommit } from '../core/store/group-commit.js';
import { ensureIndexes } from '../core/store/index.js';
import { driverCollection } from '../db/driver.js';
import { retryTransient } from '../db/retry.js';
import type { AskedDoc, EntryFieldsPatch, FaqEntryDoc, FaqStore, ForwardedQuestionDoc, ForwardRequest, UnansweredDoc, UnansweredResolutionDoc } from '../domain/faq/store.js';
import type { FaqEntry } from '../domain/faq/types.js';

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

const askedSchema = new Schema<AskedDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true }, outcome: { type: String, required: true } },
  { collection: 'faq_asked', versionKey: false },
);
askedSchema.index({ at: 1 });

const resolutionSchema = new Schema<UnansweredResolutionDoc>(
  { _id: { type: String, required: true }, kind: { type: String, required: true }, entryId: { type: String }, by: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'faq_unanswered_resolved', versionKey: false },
);

/** The FAQ's mongoose models (known to this file only). */
interface FaqModels {
  entries: Model<FaqEntryDoc>;
  unanswered: Model<UnansweredDoc>;
  forwarded: Model<ForwardedRow>;
  asked: Model<AskedDoc>;
  resolutions: Model<UnansweredResolutionDoc>;
}

function faqModels(conn: Connection): FaqModels {
  const get = <T>(name: string, schema: Schema<T>): Model<T> => (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
  return {
    entries: get('FaqEntry', entrySchema),
    unanswered: get('FaqUnanswered', unansweredSchema),
    forwarded: get('FaqForwarded', forwardedSchema),
    asked: get('FaqAsked', askedSchema),
    resolutions: get('FaqUnansweredResolution', resolutionSchema),
  };
}

const HEX_ID = /^[a-f0-9]{24}$/;
const toForwarded = (r: ForwardedRow): ForwardedQuestionDoc => ({ ...r, _id: String(r._id) });

/** The FAQ store on a mongoose connection. */
export class MongoFaqStore implements FaqStore {
  private readonly models: FaqModels;
  /** One row per typed question, written together with the other questions asked meanwhile. */
  private readonly askedWrites: GroupCommit<AskedDoc, boolean>;

  constructor(conn: Connection) {
    this.models = faqModels(conn);
    this.askedWrites = insertCommit<AskedDoc>((docs) => driverCollection<AskedDoc>(this.models.asked).insertMany(docs, { ordered: false }), retryTransient);
  }

  async init(): Promise<void> {
    const m = this.models;
    await ensureIndexes([m.entries, m.unanswered, m.forwarded, m.asked, m.resolutions]);
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

  entry(id: string): Promise<FaqEntryDoc | null> {
    return this.models.entries.findOne({ id }).lean<FaqEntryDoc>().exec();
  }

  async changedSince(at: Date): Promise<boolean> {
    return (await this.models.entries.exists({ updatedAt: { $gt: at } })) !== null;
  }

  async editEntry(id: string, patch: EntryFieldsPatch, staff: string, now: Date): Promise<boolean> {
    const set: Record<string, unknown> = { editedByStaff: true, editedBy: staff, updatedAt: now };
    for (const lang of ['id', 'en'] as const) {
      if (patch.answer?.[lang] !== undefined) set[`answer.${lang}`] = patch.answer[lang];
      if (patch.appliesTo?.[lang] !== undefined) set[`appliesTo.${lang}`] = patch.appliesTo[lang];
    }
    if (patch.source !== undefined) set['source'] = patch.source;
    if (patch.year !== undefined) set['year'] = patch.year;
    const r = await this.models.entries.updateOne({ id }, { $set: set });
    return r.matchedCount > 0;
  }

  async addPhrasing(id: string, question: string, staff: string, now: Date): Promise<void> {
    await this.models.entries.updateOne({ id }, { $push: { 'questions.id': question }, $set: { editedByStaff: true, editedBy: staff, updatedAt: now } });
  }

  async addEntry(entry: FaqEntryDoc): Promise<void> {
    await this.models.entries.create(entry);
  }

  async countUnanswered(key: string, example: string, now: Date): Promise<void> {
    await this.models.unanswered.updateOne({ key }, { $inc: { count: 1 }, $set: { lastAskedAt: now }, $setOnInsert: { example } }, { upsert: true });
  }

  topUnanswered(limit?: number): Promise<UnansweredDoc[]> {
    const q = this.models.unanswered.find().sort({ count: -1, lastAskedAt: -1 });
    return (limit === undefined ? q : q.limit(limit)).lean<UnansweredDoc[]>().exec();
  }

  unanswered(key: string): Promise<UnansweredDoc | null> {
    return this.models.unanswered.findOne({ key }).lean<UnansweredDoc>().exec();
  }

  recordAsked(doc: AskedDoc): Promise<boolean> {
    // Once per inbound message: the insert on its unique _id decides, a redelivery collides.
    return this.askedWrites.submit(doc);
  }

  askedBetween(from: Date, to: Date): Promise<Array<Pick<AskedDoc, 'at' | 'outcome'>>> {
    return this.models.asked.find({ at: { $gte: from, $lt: to } }, { at: 1, outcome: 1 }).lean<AskedDoc[]>().exec();
  }

  async pruneAskedBefore(before: Date): Promise<number> {
    const { deletedCount } = await this.models.asked.deleteMany({ at: { $lt: before } });
    return deletedCount;
  }

  async claimResolution(claim: UnansweredResolutionDoc): Promise<boolean> {
    try {
      // Exclusive on FerretDB too: only an insert on a unique _id is atomic there.
      await this.models.resolutions.create(claim);
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false;
    }
  }

  async setResolutionEntry(key: string, entryId: string): Promise<void> {
    await this.models.resolutions.updateOne({ _id: key }, { $set: { entryId } });
  }

  async releaseResolution(key: string): Promise<void> {
    await this.models.resolutions.deleteOne({ _id: key });
  }

  resolution(key: string): Promise<UnansweredResolutionDoc | null> {
    return this.models.resolutions.findById(key).lean<UnansweredResolutionDoc>().exec();
  }

  resolutions(): Promise<UnansweredResolutionDoc[]> {
    return this.models.resolutions.find().lean<UnansweredResolutionDoc[]>().exec();
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

  async forwardedList(status: 'open' | 'answered' | 'all', limit: number): Promise<ForwardedQuestionDoc[]> {
    const rows = await this.models.forwarded
      .find(status === 'all' ? {} : { status })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<ForwardedRow[]>();
    return rows.map(toForwarded);
  }

  async forwardedCounts(): Promise<{ open: number; answered: number }> {
    const rows = await this.models.forwarded.find({}, { status: 1 }).lean<Array<{ status: 'open' | 'answered' }>>();
    return { open: rows.filter((f) => f.status === 'open').length, answered: rows.filter((f) => f.status === 'answered').length };
  }

  async answer(id: string, answer: string, staff: string, now: Date): Promise<ForwardedQuestionDoc | null> {
    if (!HEX_ID.test(id)) return null;
    const r = await this.models.forwarded
      .findOneAndUpdate({ _id: id, status: 'open' }, { $set: { status: 'answered', answer, answeredBy: staff, answeredAt: now } }, { new: true })
      .lean<ForwardedRow>();
    return r ? toForwarded(r) : null;
  }
}
