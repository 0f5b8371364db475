/**
 * The reminder ledger's port: the reminders' claims and results (resident and staff alike), kept out of `forum_reminders`.
 *
 * Why: FerretDB's SQLite backend walks the whole collection for every updated document (even an
 * update by `_id`), so a few state writes per reminder on a collection as large as the number of
 * registrants cost O(n²). Here every per-reminder write is an insert with a unique `_id` into a
 * small collection, and `forum_reminders` is changed only in batches ("folds"): one read, one
 * delete and one insert per batch, whatever its size.
 *
 * - `forum_reminder_claims` (`_id` = `<reminderId>:g<generation>:a<attempt>`): the insert decides
 *   which instance delivers that attempt (a unique `_id` lets exactly one insert win, also on
 *   FerretDB whose updates are no compare-and-set). It carries a lease (`until`).
 * - `forum_reminder_results` (same `_id`): what the holder did with it — handed to the outbox
 *   (`handed`, its outcome comes from the outbox later), or a local outcome (skipped, failed, retry).
 * - `forum_reminder_folds` (`_id` = reminder id): a journal of folded documents, written before a
 *   batch is deleted from `forum_reminders` and re-inserted, so a crash in between loses nothing
 *   (`replayJournal` on restart).
 *
 * src/store/reminder-ledger.ts implements it on MongoDB / FerretDB; test/support/memory-forum-store.ts
 * in memory (a unique key in a map plays the unique `_id`).
 */
import type { DocId } from '../../store/ids.js';
import type { ReminderDoc } from './reminder-model.js';

/** A claim on one attempt of one reminder. */
export interface ClaimDoc {
  _id: string;
  reminderId: DocId;
  generation: number;
  attempt: number;
  owner: string;
  /** After this instant another instance may take the attempt over (the holder died). */
  until: Date;
  /** The claim batch it was made in (one insert): a folded batch is deleted by this tag, not by 100s of `_id`s. */
  chunk?: string;
}

/** What the holder of a claim did. `handed`: queued in the outbox (`outcome` `queued`/`template`). */
export interface ResultDoc {
  _id: string;
  reminderId: DocId;
  status: 'handed' | 'skipped' | 'failed' | 'retry';
  outcome: string;
  lastError?: { code: string; message: string };
  /** `retry`: when the next attempt may start. */
  nextAttemptAt?: Date;
  /**
   * `handed`: the outbox keys to read the outcome from; absent for a resident reminder, whose
   * one message has the key `forum-reminder:<_id>:0`. A staff reminder has one per staff chat.
   */
  keys?: string[];
  /** The claim's batch tag (see `ClaimDoc.chunk`). */
  chunk?: string;
}

/** The claim `_id` (and result `_id`) of a reminder's current attempt. */
export function claimId(r: Pick<ReminderDoc, '_id' | 'generation' | 'tries'>): string {
  return `${String(r._id)}:g${r.generation}:a${(r.tries ?? 0) + 1}`;
}

/** A change to fold into a reminder whose current attempt is `claim`. */
export interface Fold {
  claim: Pick<ClaimDoc, '_id' | 'reminderId' | 'generation' | 'attempt'>;
  set: Partial<ReminderDoc>;
}

/** Every open claim and result, by `_id`. */
export interface OpenAttempts {
  claims: Map<string, ClaimDoc>;
  results: Map<string, ResultDoc>;
}

/** Claims and results of reminder attempts, and the batched folding of finished ones into the reminders. */
export interface ReminderLedger {
  /** Every open claim and result (only attempts not folded yet). */
  open(): Promise<OpenAttempts>;
  /**
   * Claims `wanted` attempts; returns the ones this call won. Exactly one of any number of
   * concurrent callers (any instance) wins an attempt: the claim is a unique insert. `expired`
   * claims (their holder died before recording a result) are dropped first if still exactly as
   * read, then contended for again the same way.
   */
  claim(wanted: ClaimDoc[], expired: ClaimDoc[]): Promise<ClaimDoc[]>;
  /** Records what happened to claimed attempts; a result already there is kept. */
  record(results: ResultDoc[]): Promise<void>;
  /**
   * Applies `folds` to the reminders, then drops the folded attempts' claims and results
   * (`open`: as `open()` read them). Only a reminder still at the claimed generation and attempt
   * changes (a re-plan meanwhile is a new reminder). A crash midway loses nothing
   * (`replayJournal`), and folding the same outcomes again changes nothing. Returns how many changed.
   */
  fold(folds: Fold[], now: Date, open: OpenAttempts): Promise<number>;
  /** After a crash mid-fold: puts back reminders a fold had taken out. Returns how many. */
  replayJournal(): Promise<number>;
}
