import type { DocId } from '../../store/ids.js';
import type { Channel } from '../../core/messages.js';

/**
 * - `resident`: a registrant, `offsetHours` before the forum.
 * - `staff`: the staff chats, with the attendee list, `offsetHours` before the forum.
 * - `digest`: the staff's daily 07:00 WIB digest (`contactKey` = `staff:YYYY-MM-DD`, no forum).
 */
export type ReminderKind = 'resident' | 'staff' | 'digest';

/**
 * - `pending`: waiting for `nextAttemptAt`.
 * - `sending`: claimed by an instance (`leaseUntil`), or handed to the outbox (`handedOffAt`) and
 *   waiting for the outbox's outcome.
 * - `sent` / `failed` / `skipped`: final; `outcome` and `lastError` say why.
 */
export type ReminderStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** One reminder to deliver once. Unique per (kind, forum, contact, offset). */
export interface ReminderDoc {
  _id: DocId;
  kind: ReminderKind;
  forumId: DocId | null;
  /** `channel:userKey` of a resident, `staff`, or `staff:YYYY-MM-DD` for a digest. */
  contactKey: string;
  offsetHours: number;
  /** Resident reminders: where it goes (channel is also the fan-out lane). */
  channel: Channel | null;
  userKey: string | null;
  registrationId: DocId | null;
  /** Bumped when the forum moves and the reminder is planned again; part of the outbox key. Default 0. */
  generation: number;
  /** When it is meant to go out. */
  dueAt: Date;
  status: ReminderStatus;
  /** Claims made (informational; a claim that repeats after an expired lease is not counted). Default 0. */
  attempts: number;
  /** Attempts that finished and failed; the current attempt is `tries + 1` (part of the outbox key). Default 0. */
  tries?: number;
  /** Not before this instant (dueAt, then backoff). */
  nextAttemptAt: Date;
  /** A claim by one instance; expires so a crash never holds a reminder forever. */
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** When the current attempt was queued in the outbox (its outcome is read from there). */
  handedOffAt: Date | null;
  /** Outbox keys of the current attempt. */
  outboxKeys: string[];
  lastError?: { code: string; message: string };
  /** Short machine-readable outcome: `delivered`, `template`, `blocked`, `outside-window`, `stale`, … */
  outcome?: string;
  sentAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}
