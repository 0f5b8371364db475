import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Bilingual, FaqEntry } from './types.js';

/** A knowledge-base entry in MongoDB: content from `flows/content/faq/` or written by staff. */
export interface FaqEntryDoc extends FaqEntry {
  /** `content` = seeded from the reviewed files; `staff` = added by staff. */
  origin: 'content' | 'staff';
  /** Set when staff edited the entry: seeding then leaves it alone. */
  editedByStaff: boolean;
  editedBy?: string;
  updatedAt: Date;
}

/** A question the bot could not answer, counted by its normalised text. */
export interface UnansweredDoc {
  key: string;
  /** The first way it was asked (masked of NIK/phones). */
  example: string;
  count: number;
  lastAskedAt: Date;
}

/** A question forwarded to staff ("Tidak terjawab?") and its answer. */
export interface ForwardedQuestionDoc {
  _id: Types.ObjectId;
  channel: string;
  userKey: string;
  text: string;
  lang: 'id' | 'en';
  status: 'open' | 'answered';
  answer?: string;
  answeredBy?: string;
  createdAt: Date;
  answeredAt?: Date;
  /** The inbound message that asked for forwarding (idempotency). */
  requestKey: string;
}

/** What happened to one question typed to the FAQ (one row per inbound message, for the dashboard). */
export interface AskedDoc {
  /** The inbound message's idempotency key: a redelivered message is counted once. */
  _id: string;
  at: Date;
  outcome: 'answered' | 'ambiguous' | 'unanswered';
}

/** An unanswered question staff turned into knowledge (one per normalised text: the insert decides). */
export interface UnansweredResolutionDoc {
  /** The unanswered question's `key` (its normalised text). */
  _id: string;
  /** `entry` = a new entry was written; `phrasing` = added as a way of asking an existing entry. */
  kind: 'entry' | 'phrasing';
  /** The entry it became (a new entry's id is set once written). */
  entryId?: string;
  by: string;
  at: Date;
}

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

const forwardedSchema = new Schema<ForwardedQuestionDoc>(
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

export interface FaqModels {
  entries: Model<FaqEntryDoc>;
  unanswered: Model<UnansweredDoc>;
  forwarded: Model<ForwardedQuestionDoc>;
  asked: Model<AskedDoc>;
  resolutions: Model<UnansweredResolutionDoc>;
}

export function faqModels(conn: Connection): FaqModels {
  const get = <T>(name: string, schema: Schema<T>): Model<T> => (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
  return {
    entries: get('FaqEntry', entrySchema),
    unanswered: get('FaqUnanswered', unansweredSchema),
    forwarded: get('FaqForwarded', forwardedSchema),
    asked: get('FaqAsked', askedSchema),
    resolutions: get('FaqUnansweredResolution', resolutionSchema),
  };
}

export type { Bilingual };
