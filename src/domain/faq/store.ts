/**
 * The FAQ's storage port: what the FAQ service, the staff's curation and the dashboard's read
 * model need kept (entries, unanswered questions and what staff made of them, questions typed,
 * questions forwarded to staff). Owned by the FAQ domain; src/store/faq.ts implements it on
 * MongoDB / FerretDB, test/support/memory-faq-store.ts in memory.
 */
import type { Bilingual, FaqEntry, Lang } from './types.js';

/** A knowledge-base entry as stored: content from `flows/content/faq/` or written by staff. */
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
  /** Its id (24 hex digits), used in the staff's "Jawab" button. */
  _id: string;
  channel: string;
  userKey: string;
  text: string;
  lang: Lang;
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

/** A question to forward. */
export interface ForwardRequest {
  channel: string;
  userKey: string;
  text: string;
  lang: Lang;
  requestKey: string;
}

/** Fields of an entry staff may change in one edit (each optional; a language at a time). */
export interface EntryFieldsPatch {
  answer?: Partial<Bilingual>;
  source?: string;
  appliesTo?: Partial<Bilingual>;
  year?: number;
}

/**
 * Where the FAQ keeps its data. Every method is safe to call from several instances at once;
 * where something must happen once (a forwarded question per message, a question counted per
 * message, an unanswered question resolved once) the store decides it atomically.
 */
export interface FaqStore {
  /** Creates what the store needs (collections, indexes) before traffic. */
  init(): Promise<void>;

  // --- entries ---
  /**
   * Writes a reviewed entry by its stable id unless staff edited it. `written`: inserted or
   * changed; `unchanged`: already so; `staff-edit`: left alone because staff edited it.
   */
  putContentEntry(entry: FaqEntry, now: Date): Promise<'written' | 'unchanged' | 'staff-edit'>;
  /** Every entry, ordered by id. */
  entries(): Promise<FaqEntryDoc[]>;
  /** One entry by id, or null. */
  entry(id: string): Promise<FaqEntryDoc | null>;
  /** Whether any entry changed after `at` (another instance, a staff edit). */
  changedSince(at: Date): Promise<boolean>;
  /**
   * Applies a staff edit and marks the entry edited by `staff` (seeding then leaves it alone);
   * false when there is no such entry.
   */
  editEntry(id: string, patch: EntryFieldsPatch, staff: string, now: Date): Promise<boolean>;
  /** Adds `question` as one more Indonesian way of asking entry `id`, marked edited by `staff`. */
  addPhrasing(id: string, question: string, staff: string, now: Date): Promise<void>;
  /** Adds a new entry (staff-written); fails when the id exists. */
  addEntry(entry: FaqEntryDoc): Promise<void>;

  // --- questions typed and unanswered ---
  /** Counts one more asking of the question `key`; the first asking's `example` is kept. */
  countUnanswered(key: string, example: string, now: Date): Promise<void>;
  /** The most asked unanswered questions, most asked (then latest) first; all of them without `limit`. */
  topUnanswered(limit?: number): Promise<UnansweredDoc[]>;
  /** One unanswered question by its key, or null. */
  unanswered(key: string): Promise<UnansweredDoc | null>;
  /** Records one typed question by its inbound message key, once: false when that key was already recorded. */
  recordAsked(doc: AskedDoc): Promise<boolean>;
  /** Typed questions with `from <= at < to`. */
  askedBetween(from: Date, to: Date): Promise<Array<Pick<AskedDoc, 'at' | 'outcome'>>>;
  /** Forgets typed questions older than `before`; returns how many went. */
  pruneAskedBefore(before: Date): Promise<number>;

  // --- resolutions of unanswered questions ---
  /**
   * Claims the resolution of unanswered question `claim._id`; exclusive across instances (two
   * staff answering at once: exactly one gets `true`).
   */
  claimResolution(claim: UnansweredResolutionDoc): Promise<boolean>;
  /** Records the entry a claimed resolution became. */
  setResolutionEntry(key: string, entryId: string): Promise<void>;
  /** Gives a claim up (the write it guarded failed), so the question can be answered again. */
  releaseResolution(key: string): Promise<void>;
  /** One resolution by question key, or null. */
  resolution(key: string): Promise<UnansweredResolutionDoc | null>;
  /** Every resolution. */
  resolutions(): Promise<UnansweredResolutionDoc[]>;

  // --- forwarded questions ---
  /** Stores a forwarded question once per `requestKey`; a repeat returns the stored one. */
  forward(q: ForwardRequest, now: Date): Promise<ForwardedQuestionDoc>;
  /** A forwarded question by id, or null (also for an id that is not 24 hex digits). */
  forwarded(id: string): Promise<ForwardedQuestionDoc | null>;
  /** Forwarded questions, newest first (`all`: any status). */
  forwardedList(status: 'open' | 'answered' | 'all', limit: number): Promise<ForwardedQuestionDoc[]>;
  /** How many forwarded questions are open and answered. */
  forwardedCounts(): Promise<{ open: number; answered: number }>;
  /** Records the answer of an open question; null when there is no open question with that id. */
  answer(id: string, answer: string, staff: string, now: Date): Promise<ForwardedQuestionDoc | null>;
}

export type { Bilingual };
