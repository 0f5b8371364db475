/**
 * The forums' storage ports: what the forum and registration services, the reminder planner and
 * the reminder runner need kept, owned by them. src/store/forums.ts and src/store/reminders.ts
 * implement them on MongoDB / FerretDB (the only code that knows the models and the database's
 * limits); test/support/memory-forum-store.ts implements them in memory for unit specs.
 *
 * Exclusivity is not the stores' business: every write that decides a seat or a waitlist place
 * runs under the forum's keyed lock (core/keyed-lock.ts, decided by a unique insert), so a
 * conditional write here needs no compare-and-set of its own (FerretDB has none).
 */
import type { DocId } from '../../store/ids.js';
import type { Channel } from '../../core/messages.js';
import type { ContactDoc } from '../../core/store/contacts.js';
import type { ForumDoc } from './forum-model.js';
import type { RegistrationDoc, RegistrationStatus } from './registration-model.js';
import type { ReminderDoc, ReminderKind, ReminderStatus } from './reminder-model.js';

export type { DocId };

/** Which forums to read. Every given condition must hold; bounds are on `startAt`. */
export interface ForumQuery {
  status?: ForumDoc['status'];
  ids?: DocId[];
  /** `startAt > startsAfter`. */
  startsAfter?: Date;
  /** `startAt >= startsFrom`. */
  startsFrom?: Date;
  /** `startAt < startsBefore`. */
  startsBefore?: Date;
  /** `startAt <= startsBy`. */
  startsBy?: Date;
  /** `registrationDeadline > deadlineAfter` (sign-ups still open). */
  deadlineAfter?: Date;
  /** By `startAt`: 1 soonest first, -1 latest first; unsorted when absent. */
  sort?: 1 | -1;
  limit?: number;
}

/** The fields of a new forum. */
export type NewForum = Omit<ForumDoc, '_id' | 'cancelledAt' | 'createdAt' | 'updatedAt'>;

/** The forums themselves. */
export interface ForumStore {
  create(fields: NewForum): Promise<ForumDoc>;
  get(id: DocId): Promise<ForumDoc | null>;
  exists(id: DocId): Promise<boolean>;
  find(q: ForumQuery): Promise<ForumDoc[]>;
  /**
   * Sets `set` on the forum if it is still scheduled (and adds 1 to `sequence` when
   * `bumpSequence`); returns it as written, or null (absent or cancelled). Caller holds the lock.
   */
  updateScheduled(id: DocId, set: Partial<ForumDoc>, bumpSequence: boolean): Promise<ForumDoc | null>;
  /** Marks a scheduled forum cancelled at `now`; null when absent or cancelled already. Caller holds the lock. */
  cancelScheduled(id: DocId, now: Date): Promise<ForumDoc | null>;
  /** Adds 1 to the forum's `waitSeq` and returns the new number (the next waitlist place). Caller holds the lock. */
  nextWaitSeq(id: DocId): Promise<number>;
}

/** Which registrations to read. Every given condition must hold. */
export interface RegistrationQuery {
  ids?: DocId[];
  forumIds?: DocId[];
  contactKey?: string;
  statuses?: RegistrationStatus[];
  /** Only those marked present. */
  attended?: boolean;
}

/** The fields of a new registration (the service picks the code). */
export type NewRegistration = Omit<RegistrationDoc, '_id' | 'createdAt' | 'updatedAt'>;

/** People's places at forums. Unique per (forum, contact) and per code. */
export interface RegistrationStore {
  get(id: DocId): Promise<RegistrationDoc | null>;
  find(q: RegistrationQuery): Promise<RegistrationDoc[]>;
  /** The person's registration at a forum, in any status. */
  ofContact(forumId: DocId, contactKey: string): Promise<RegistrationDoc | null>;
  /** The person's most recently changed registration, at any forum. */
  latestOf(contactKey: string): Promise<RegistrationDoc | null>;
  countRegistered(forumId: DocId): Promise<number>;
  /** Waitlisted people of the forum with a lower `waitSeq` (ahead in the queue). */
  countWaitlistedBefore(forumId: DocId, waitSeq: number): Promise<number>;
  /** Inserts a registration; undefined when its code or (forum, contact) is taken already. */
  insert(fields: NewRegistration): Promise<RegistrationDoc | undefined>;
  /** Re-activates a cancelled registration: `set`, and forgets when it was cancelled, attended or promoted. */
  reactivate(id: DocId, set: Partial<RegistrationDoc>): Promise<RegistrationDoc | null>;
  /** Cancels the person's (`contactKey`) registration if still active; null otherwise. Caller holds the lock. */
  cancelActive(id: DocId, contactKey: string, now: Date): Promise<RegistrationDoc | null>;
  /** Gives the seat to the waitlisted person with the lowest `waitSeq`; null when nobody waits. Caller holds the lock. */
  promoteFirst(forumId: DocId, now: Date): Promise<RegistrationDoc | null>;
  markAttended(id: DocId, now: Date): Promise<RegistrationDoc | null>;
}

/** A reminder's identity: one per (kind, forum, contact, offset). */
export type ReminderKey = Pick<ReminderDoc, 'kind' | 'forumId' | 'contactKey' | 'offsetHours'>;

/** Where a reminder goes (resident reminders; null for staff ones). */
export type ReminderTarget = Pick<ReminderDoc, 'channel' | 'userKey' | 'registrationId'>;

/** Which not-yet-handed-off reminders to stop. */
export type SkipScope = { registrationId: DocId } | { forumId: DocId } | { forumIds: DocId[]; except: string[] };

/** The reminders (`forum_reminders` and its archive). Claims and results are the ledger's (reminder-ledger.ts). */
export interface ReminderStore {
  /**
   * Plans the reminder of `key` afresh (upsert): due at `dueAt`, attempts and outcome reset,
   * `generation` bumped; `late` plans it skipped (`due-before-planned`). Two planners at once
   * both apply: the later write wins.
   */
  plan(key: ReminderKey, target: ReminderTarget, dueAt: Date, late: boolean): Promise<void>;
  /** Plans the digest of `day` (YYYY-MM-DD, WIB), due `now`, unless it exists; true when new. */
  planDigest(day: string, now: Date): Promise<boolean>;
  /** Marks skipped (with `outcome`) the scope's reminders pending, or claimed but not handed off; returns how many. */
  skipUnhanded(scope: SkipScope, outcome: string): Promise<number>;
  /**
   * Reminders of `kinds` due at `now` (pending, `nextAttemptAt <= now`) or claimed by an old-style
   * lease that ran out before `leaseExpiredBefore`, earliest first, at most `limit`.
   */
  due(kinds: ReminderKind[], now: Date, leaseExpiredBefore: Date, limit: number): Promise<ReminderDoc[]>;
  /** Forums with resident or staff reminders pending or sending and due by `now`. */
  overdueForums(now: Date): Promise<DocId[]>;
  /** Marks skipped (`stale`) pending digests of another day than `today`. */
  skipStaleDigests(today: string): Promise<number>;
  /** Status and outcome of every reminder of a forum (or all), archived ones included. */
  outcomes(forumId?: DocId): Promise<Array<{ status: ReminderStatus; outcome?: string }>>;
  /**
   * Moves the reminders of forums that started before `cutoff`, and digests due before it, to the
   * archive (counted by `outcomes` still). Returns how many moved.
   */
  archiveBefore(cutoff: Date): Promise<number>;
}

/** A contact as a resident reminder needs it: where to send, blocked, the WhatsApp window. */
export type ReminderContact = Pick<ContactDoc, '_id' | 'chatId' | 'blocked' | 'lastInboundAt'>;

/** The contacts reminders go to (read only; core's contacts). */
export interface ReminderContacts {
  /** Contacts on `channels`; only those of `userKeys` when given (all of the channels otherwise). */
  find(channels: Channel[], userKeys?: string[]): Promise<ReminderContact[]>;
}
