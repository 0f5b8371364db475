/**
 * The complaints' storage port: tickets with their history and thread, ticket numbers, and the
 * read models of the queue, the dashboard and the daily summary. Owned by the complaints domain;
 * src/store/complaints.ts implements it on MongoDB / FerretDB (the only code that knows the
 * models and the database's limits), test/support/memory-complaint-store.ts in memory.
 *
 * What the store guarantees and what it does not:
 * - `nextTicketNo` and `insert` are safe to call from several instances at once: a number is
 *   handed out once, and a submission (by its `submitKey`) is stored once.
 * - `update` is a plain write. Whatever decides on a ticket's state (a status change, a thread
 *   entry by key, an assignment, a rating) reads and writes it under the ticket's keyed lock
 *   (core/keyed-lock.ts), held by the domain (transition.ts, service.ts, ticket-actions.ts).
 */
import type { KeyedLock } from '../../core/keyed-lock.js';
import type { Channel } from '../../core/messages.js';
import type { ComplaintStatus, Identity } from './catalog.js';
import type { ComplaintDoc, HistoryEntry, ThreadEntry } from './types.js';

/** The reporter a question is about (their chat identity). */
export interface ReporterRef {
  channel: Channel;
  userKey: string;
}

/** Statuses a ticket must be in, or must not be in. */
export type StatusFilter = { in: readonly ComplaintStatus[] } | { notIn: readonly ComplaintStatus[] };

/** Which tickets: every field given must hold (absent fields do not filter). */
export interface TicketQuery {
  reporter?: ReporterRef;
  status?: StatusFilter;
  /** Leave out tickets with this identity (`rahasia` for viewers without clearance). */
  identityNot?: Identity;
  /** Filed at or after. */
  createdFrom?: Date;
  /** Filed before. */
  createdBefore?: Date;
  /** Filed at or before. */
  createdAtOrBefore?: Date;
  /** Last changed at or after. */
  updatedFrom?: Date;
  /** Same description (see text.ts `sameTextHash`). */
  textHash?: string;
  ticketNo?: string;
  /** Staff not yet alerted (`staffAlertedAt` unset). */
  staffNotAlerted?: true;
  /** The given target is due at or before `at`. */
  due?: { target: 'responseDueAt' | 'resolutionDueAt'; atOrBefore: Date };
  /** The head of office was not yet alerted of this target's breach. */
  notEscalated?: EscalationField;
  /** Words that must all appear (case-insensitive) in the description, the address or the place name. */
  words?: readonly string[];
}

/** The field recording when the head of office was alerted of a breached target. */
export type EscalationField = 'escalatedResponseAt' | 'escalatedResolutionAt';

/** Order and size of a result. */
export interface FindOptions {
  /** Field and direction (1 oldest first, -1 newest first). */
  sort?: { by: 'createdAt' | 'updatedAt'; dir: 1 | -1 };
  limit?: number;
}

/** Fields a change may set (never the id, the number or the submission key). */
export type ComplaintFields = Partial<Omit<ComplaintDoc, '_id' | 'ticketNo' | 'submitKey'>>;

/** One write to a ticket: fields to set or remove, and a history and/or thread entry to append. */
export interface ComplaintChange {
  set?: ComplaintFields;
  unset?: ReadonlyArray<'rating' | 'forward'>;
  pushHistory?: HistoryEntry;
  pushThread?: ThreadEntry;
}

/** A ticket to store: everything but its id. */
export type NewComplaint = Omit<ComplaintDoc, '_id'>;

/**
 * The lock that serialises decisions about one ticket across instances: core's KeyedLock
 * (`complaint:<id>`, a lease taken by a unique insert), or an in-process one in unit tests.
 */
export type TicketLock = Pick<KeyedLock, 'with'>;

/** Where the complaints are kept. */
export interface ComplaintStore {
  /** Creates what the store needs (collections, indexes) before traffic. */
  init(): Promise<void>;

  /**
   * The next free ticket number of `year` (`GJM-<year>-<5 digits>`), handed out to this caller
   * only and never again, even across instances. A number whose submission then fails is skipped.
   */
  nextTicketNo(year: number, now: Date): Promise<string>;
  /**
   * Stores a new ticket. Once per `submitKey`: when a ticket with that key is already stored (a
   * retried message racing the first), that ticket is returned and nothing is written.
   */
  insert(doc: NewComplaint): Promise<ComplaintDoc>;

  byId(id: string): Promise<ComplaintDoc | null>;
  byTicketNo(ticketNo: string): Promise<ComplaintDoc | null>;
  bySubmitKey(key: string): Promise<ComplaintDoc | null>;
  /** The tickets with these ids (in no particular order; missing ones left out). */
  byIds(ids: readonly string[]): Promise<ComplaintDoc[]>;

  /** Tickets matching `q`. */
  find(q: TicketQuery, o?: FindOptions): Promise<ComplaintDoc[]>;
  /** Tickets matching `q`, with only `fields` (and `_id`) read: the read models' slim rows. */
  findFields<K extends keyof ComplaintDoc>(q: TicketQuery, fields: readonly K[], o?: FindOptions): Promise<Array<Pick<ComplaintDoc, K | '_id'>>>;
  /** How many tickets match `q`. */
  count(q: TicketQuery): Promise<number>;

  /**
   * Applies `change` to ticket `id` and returns it as written, or null when there is no such
   * ticket. Not conditional: the caller decides under the ticket's keyed lock.
   */
  update(id: string, change: ComplaintChange): Promise<ComplaintDoc | null>;
  /** Sets the rating when the ticket has none yet; null when it has one (or does not exist). */
  setRatingIfNone(id: string, rating: NonNullable<ComplaintDoc['rating']>, now: Date): Promise<ComplaintDoc | null>;
  /** Adds a comment to the reporter's rating of their ticket, when rated and not yet commented; true when added. */
  addRatingComment(ticketNo: string, reporter: ReporterRef, comment: string): Promise<boolean>;
  /** Records that staff were alerted of a new ticket. */
  markStaffAlerted(id: string, at: Date): Promise<void>;
  /** Records that the head of office was alerted of a breach, unless already recorded. */
  markEscalated(id: string, field: EscalationField, at: Date): Promise<void>;
}
