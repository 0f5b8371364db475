/**
 * What a reminder's fields become when it is planned and when a send claim's outcome is folded
 * into it: one rule for every store (src/store/, and the in-memory one of the unit specs).
 */
import type { ReminderDoc } from './reminder-model.js';

/** A reminder (re)planned for `dueAt`: nothing tried, nobody holding it; skipped when planned after it was due. */
export function plannedState(dueAt: Date, late: boolean): Pick<ReminderDoc, 'dueAt' | 'status' | 'attempts' | 'tries' | 'nextAttemptAt' | 'leaseOwner' | 'leaseUntil' | 'handedOffAt' | 'outboxKeys'> {
  return { dueAt, status: late ? 'skipped' : 'pending', attempts: 0, tries: 0, nextAttemptAt: dueAt, leaseOwner: null, leaseUntil: null, handedOffAt: null, outboxKeys: [] };
}

/** The outcome of reminders planned too late to send. */
export const LATE_OUTCOME = 'due-before-planned';

/**
 * A reminder once a claim's outcome `set` is folded in: released, and an attempt counted when the
 * claim was a fresh one (one that took over an expired legacy claim is not counted again).
 */
export function foldedState(doc: Pick<ReminderDoc, 'status' | 'attempts'>, set: Partial<ReminderDoc>): Partial<ReminderDoc> {
  return { attempts: doc.status === 'pending' ? doc.attempts + 1 : doc.attempts, leaseOwner: null, leaseUntil: null, handedOffAt: null, outboxKeys: [], ...set };
}
