/**
 * The FAQ's storage port: what the FAQ service needs kept (entries, unanswered questions,
 * questions forwarded to staff), owned by the service; src/store/faq.ts implements it on MongoDB /
 * FerretDB, test/support/memory-faq-store.ts in memory.
 */
import type { FaqEntry, Lang } from './types.js';

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

/** A question to forward. */
export interface ForwardRequest {
  channel: string;
  userKey: string;
  text: string;
  lang: Lang;
  requestKey: string;
}

/** Where the FAQ keeps its data. Every method is safe to call from several instances at once. */
export interface FaqStore {
  /** Creates what the store needs (indexes) before traffic. */
  init(): Promise<void>;
  /**
   * Writes a reviewed entry by its stable id unless staff edited it. `written`: inserted or
   * changed; `unchanged`: already so; `staff-edit`: left alone because staff edited it.
   */
  putContentEntry(entry: FaqEntry, now: Date): Promise<'written' | 'unchanged' | 'staff-edit'>;
  /** Every entry, ordered by id. */
  entries(): Promise<FaqEntryDoc[]>;
  /** Whether any entry changed after `at` (another instance, a staff edit). */
  changedSince(at: Date): Promise<boolean>;
  /** Sets one language's answer and marks the entry edited by `staff`; false when there is no such entry. */
  editAnswer(id: string, lang: Lang, answer: string, staff: string, now: Date): Promise<boolean>;
  /** Adds a new entry (staff-written). */
  addEntry(entry: FaqEntryDoc): Promise<void>;
  /** Counts one more asking of the question `key`; the first asking's `example` is kept. */
  countUnanswered(key: string, example: string, now: Date): Promise<void>;
  /** The most asked unanswered questions, most asked (then latest) first. */
  topUnanswered(limit: number): Promise<UnansweredDoc[]>;
  /** Stores a forwarded question once per `requestKey`; a repeat returns the stored one. */
  forward(q: ForwardRequest, now: Date): Promise<ForwardedQuestionDoc>;
  /** A forwarded question by id, or null (also for an id that is not 24 hex digits). */
  forwarded(id: string): Promise<ForwardedQuestionDoc | null>;
  /** Records the answer of an open question; null when there is no open question with that id. */
  answer(id: string, answer: string, staff: string, now: Date): Promise<ForwardedQuestionDoc | null>;
}
