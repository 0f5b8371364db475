/**
 * The rules of one reminder attempt, shared by the resident lane, the staff lane and the
 * reconciler: its number and outbox key, when it should not go out at all, and the one failure
 * decision (which failures are final — a blocked contact, a closed WhatsApp window, a refused
 * message — and when another attempt is worth it, after what delay).
 */
import type { ForumDoc } from './forum-model.js';
import type { RegistrationDoc } from './registration-model.js';
import type { ReminderDoc } from './reminder-model.js';

const HOUR = 3_600_000;

/** The outbox reports the outcome of every reminder message under this topic. */
export const REPORT_TOPIC = 'forum-reminders';

/** What one run did (for logs and tests). */
export interface RunSummary {
  handedOff: number;
  sent: number;
  failed: number;
  skipped: number;
  retried: number;
}

export const emptySummary = (): RunSummary => ({ handedOff: 0, sent: 0, failed: 0, skipped: 0, retried: 0 });

/** Why an attempt did not reach the person. */
export interface AttemptError {
  code: string;
  message: string;
}

/** Outbox error codes after which another attempt cannot succeed. */
const FINAL: Record<string, string> = {
  '403': 'blocked', // Telegram: bot was blocked by the user
  blocked: 'blocked', // outbox: cancelled because the person blocked the bot
  '131047': 'outside-window', // WhatsApp: more than 24 hours since the person wrote
  '131026': 'undeliverable', // WhatsApp: not on WhatsApp / cannot receive
  '131051': 'rejected',
  '131009': 'rejected', // a parameter over its limit
  '131008': 'rejected',
  '100': 'rejected',
  '190': 'rejected', // access token expired: retrying does not fix it
  '400': 'rejected',
  '401': 'rejected',
  '404': 'rejected',
  'no-channel': 'rejected',
  'callback-data-too-long': 'rejected',
};

/** Final outcome name for a failure code, or undefined when a later attempt may succeed. */
export function finalFailure(code: string | undefined): string | undefined {
  return code === undefined ? undefined : FINAL[code];
}

/** Delay before attempt `attempts + 1`: 5, 10, 20, 40 … minutes, at most 2 hours. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 2 * 3_600_000);
}

/** What to record after an attempt failed. */
export type AfterFailure =
  | { status: 'failed'; outcome: string; lastError: AttemptError }
  | { status: 'retry'; nextAttemptAt: Date; lastError: AttemptError };

/**
 * The one failure decision: a final failure, or the last allowed attempt, is recorded failed;
 * anything else is tried again after a growing delay.
 */
export function afterFailure(failure: AttemptError, attempt: number, maxAttempts: number, now: Date, retryBaseMs: number): AfterFailure {
  const final = finalFailure(failure.code);
  if (final || attempt >= maxAttempts) return { status: 'failed', outcome: final ?? 'max-attempts', lastError: failure };
  return { status: 'retry', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempt, retryBaseMs)), lastError: failure };
}

/** The failure of a handed-off message whose outbox record says nothing (it vanished). */
export const MISSING: AttemptError = { code: 'missing', message: 'the queued message was not found in the outbox' };

/**
 * Number of the current attempt (1-based): finished attempts + 1. It is derived from `tries`,
 * which only moves when an attempt has finished and failed, never from the claim's `attempts`
 * counter: two instances that both believe they claimed the same reminder (a server whose
 * updates are not atomic, a lease that expired under a slow holder) then compute the same key,
 * and the outbox queues it once.
 */
export function attemptNo(r: Pick<ReminderDoc, 'tries'>): number {
  return (r.tries ?? 0) + 1;
}

/** The outbox key of a resident reminder's current attempt (the notifier adds `:0`, one per reply). */
export function residentKey(r: Pick<ReminderDoc, '_id' | 'generation' | 'tries'>): string {
  return `forum-reminder:${String(r._id)}:g${r.generation}:a${attemptNo(r)}`;
}

/**
 * Why a claimed reminder should not go out, if it should not: the forum is cancelled, over or
 * moved; for a resident, the seat was given up, or a nearer reminder is due too (only that one goes).
 */
export function skipReason(r: ReminderDoc, forum: ForumDoc | undefined, registration: RegistrationDoc | undefined, now: Date, residentOffsetsHours: readonly number[]): string | undefined {
  if (!forum || forum.status !== 'scheduled') return 'forum-cancelled';
  if (forum.startAt.getTime() <= now.getTime()) return 'stale';
  if (forum.startAt.getTime() - r.offsetHours * HOUR !== r.dueAt.getTime()) return 'replanned';
  if (r.kind === 'resident') {
    if (!registration || registration.status !== 'registered') return 'registration-cancelled';
    // Down across two due times (e.g. 24 h and 2 h): only the nearer reminder goes out.
    const nearer = residentOffsetsHours.some((o) => o < r.offsetHours && forum.startAt.getTime() - o * HOUR <= now.getTime());
    if (nearer) return 'superseded';
  }
  return undefined;
}
