/**
 * Outbound messages as stored, and the port the outbox keeps them through; core/store/outbox.ts
 * implements it on MongoDB / FerretDB.
 */
import type { Channel, Reply } from './messages.js';

/**
 * Outbound messages, kept in four collections (core/store/outbox.ts says why each is written as it is):
 *
 * - `outbound_messages`: the queue — only messages not finished yet, keyed by their idempotency key;
 * - `outbound_claims`: one insert per send attempt (`<key>#a<attempt>`); the unique `_id` makes
 *   exactly one process the sender of an attempt;
 * - `outbound_log`: one record per finished message (sent / failed / cancelled), keyed like the queue;
 * - `outbound_reports`: for messages queued with a `report` topic, the outcome again, until the
 *   producer (e.g. forum reminders) has read and acknowledged it. It holds only unread outcomes, so
 *   a producer reads a few documents instead of looking keys up in the ever-growing log.
 */
export interface OutboxDoc {
  /** The idempotency key: the same reply is never queued twice. */
  _id: string;
  channel: Channel;
  chatId: string;
  userKey?: string;
  reply: Reply;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: { code: string; message: string };
  /** Topic to report the outcome to (`outbound_reports`); absent for ordinary replies. */
  report?: string;
  createdAt: Date;
}

/** The outcome of a finished message, kept until its producer acknowledges it. */
export interface OutboxReportDoc {
  /** The message's idempotency key. */
  _id: string;
  topic: string;
  status: 'sent' | 'failed' | 'cancelled';
  lastError?: { code: string; message: string };
  finishedAt: Date;
}

export interface OutboxClaimDoc {
  _id: string;
  owner: string;
  until: Date;
}

export interface OutboxLogDoc {
  _id: string;
  channel: Channel;
  chatId: string;
  userKey?: string;
  reply: Reply;
  status: 'sent' | 'failed' | 'cancelled';
  attempts: number;
  lastError?: { code: string; message: string };
  platformMessageIds: string[];
  createdAt: Date;
  finishedAt: Date;
}

/** A finished message's outcome as the log holds it (what a later attempt needs to know). */
export type OutboxLogOutcome = Pick<OutboxLogDoc, 'status' | 'lastError' | 'finishedAt'>;

/**
 * Where the outbox keeps its queue, send claims, log and reports. Each method is one database
 * command and is NOT retried unless said so: callers wrap what must survive a transient conflict
 * in `retryTransient` themselves, around one statement or a whole step.
 *
 * The `add…` methods are inserts on a unique `_id`, written together with whatever else is being
 * added at the same moment (group commit, one unordered insert per batch); each resolves true when
 * its document was written and false when its `_id` was there already, and retries the batch on a
 * transient conflict (a document the first try wrote then counts as there already). That insert
 * is the only thing here that is exclusive between processes.
 */
export interface OutboxStore {
  /** Queues a message; false when its key is queued already (left as it is). */
  addMessage(doc: OutboxDoc): Promise<boolean>;
  /** Claims one send attempt (`<key>#a<attempt>`); false when it is claimed already: exactly one process sends an attempt. */
  addClaim(claim: OutboxClaimDoc): Promise<boolean>;
  /** Records a finished message; false when it is recorded already (the first record stays). */
  addLog(record: OutboxLogDoc): Promise<boolean>;
  /** Keeps an outcome for its producer; false when it is kept already. */
  addReport(report: OutboxReportDoc): Promise<boolean>;

  /** How message `key` finished, or null when the log has no record of it. */
  logOf(key: string): Promise<OutboxLogOutcome | null>;
  /** The claim `id` (`<key>#a<attempt>`), or null. */
  claimOf(id: string): Promise<OutboxClaimDoc | null>;

  /** Every queued message's channel and chat (one walk of the queue). */
  queuedChats(): Promise<Array<Pick<OutboxDoc, 'channel' | 'chatId'>>>;
  /** A chat's queued messages, oldest first, at most `limit`. */
  chatQueue(channel: Channel, chatId: string, limit: number): Promise<OutboxDoc[]>;
  /** A chat's queued messages other than `exceptKey` (any order, no limit). */
  chatQueueExcept(channel: Channel, chatId: string, exceptKey: string): Promise<OutboxDoc[]>;
  /** Messages of `channel` due at `now` (`nextAttemptAt` at or before it), oldest first, at most `limit`. */
  due(channel: Channel, now: Date, limit: number): Promise<OutboxDoc[]>;

  /**
   * Sets `attempts` of message `key` only while it is still `fromAttempts` (an attempt in doubt
   * counted once). Read-then-write on FerretDB: a guard against a stale count, not an exclusion.
   */
  countAttempt(key: string, fromAttempts: number, attempts: number): Promise<void>;
  /** Records a failed attempt on queued message `key` (and when to try again, if given). */
  recordAttempt(key: string, set: { attempts: number; lastError: { code: string; message: string }; nextAttemptAt?: Date }): Promise<void>;
  /** Removes these messages from the queue (missing ones are skipped), in one command. */
  deleteMessages(ids: readonly string[]): Promise<void>;
}
