import { Schema, type Connection, type Model, type Types } from 'mongoose';
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
  _id: Types.ObjectId;
  kind: ReminderKind;
  forumId: Types.ObjectId | null;
  /** `channel:userKey` of a resident, `staff`, or `staff:YYYY-MM-DD` for a digest. */
  contactKey: string;
  offsetHours: number;
  /** Resident reminders: where it goes (channel is also the fan-out lane). */
  channel: Channel | null;
  userKey: string | null;
  registrationId: Types.ObjectId | null;
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

const reminderSchema = new Schema<ReminderDoc>(
  {
    kind: { type: String, required: true },
    forumId: { type: Schema.Types.ObjectId, default: null },
    contactKey: { type: String, required: true },
    offsetHours: { type: Number, required: true },
    channel: { type: String, default: null },
    userKey: { type: String, default: null },
    registrationId: { type: Schema.Types.ObjectId, default: null },
    generation: { type: Number, default: 0 },
    dueAt: { type: Date, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    tries: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    handedOffAt: { type: Date, default: null },
    outboxKeys: { type: [String], default: [] },
    lastError: { type: Schema.Types.Mixed },
    outcome: { type: String },
    sentAt: { type: Date },
  },
  { collection: 'forum_reminders', timestamps: true, versionKey: false, minimize: false },
);
reminderSchema.index({ kind: 1, forumId: 1, contactKey: 1, offsetHours: 1 }, { unique: true });
reminderSchema.index({ status: 1, kind: 1, channel: 1, nextAttemptAt: 1 });
reminderSchema.index({ status: 1, leaseUntil: 1 });
reminderSchema.index({ forumId: 1, status: 1 });
reminderSchema.index({ registrationId: 1 });

export type ReminderModel = Model<ReminderDoc>;
export const reminderModel = (conn: Connection): ReminderModel =>
  (conn.models['ForumReminder'] as ReminderModel | undefined) ?? conn.model<ReminderDoc>('ForumReminder', reminderSchema);

/** Reminders of forums long over, moved out of `forum_reminders` (see reminder-archive.ts). */
const archiveSchema = new Schema<ReminderDoc>(reminderSchema.obj, { collection: 'forum_reminders_archive', timestamps: false, versionKey: false, minimize: false });
archiveSchema.index({ forumId: 1 });
export const reminderArchiveModel = (conn: Connection): ReminderModel =>
  (conn.models['ForumReminderArchive'] as ReminderModel | undefined) ?? conn.model<ReminderDoc>('ForumReminderArchive', archiveSchema);
