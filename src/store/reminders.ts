/**
 * Reminders on MongoDB / FerretDB: `forum_reminders`, its archive `forum_reminders_archive`, and
 * the contacts the reminders go to, behind the ports of domain/forums/store.ts. Claims and results
 * of attempts are the ledger's (reminder-ledger.ts here).
 */
import { Schema, type Connection, type FilterQuery, type Model } from 'mongoose';
import { isDuplicateKey } from '../core/errors.js';
import type { Channel } from '../core/messages.js';
import type { ContactModel } from '../core/store/contacts.js';
import { driverCollection, insertIgnoringDuplicates } from '../db/driver.js';
import { retryTransient } from '../db/retry.js';
import type { ReminderDoc, ReminderKind, ReminderStatus } from '../domain/forums/reminder-model.js';
import type { ReminderContact, ReminderContacts, ReminderKey, ReminderStore, ReminderTarget, SkipScope } from '../domain/forums/store.js';
import type { ForumModel } from './forums.js';
import type { DocId } from './ids.js';
import { LATE_OUTCOME, plannedState } from '../domain/forums/reminder-state.js';

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

/** Reminders of forums long over, moved out of `forum_reminders` (see `archiveBefore`). */
const archiveSchema = new Schema<ReminderDoc>(reminderSchema.obj, { collection: 'forum_reminders_archive', timestamps: false, versionKey: false, minimize: false });
archiveSchema.index({ forumId: 1 });
export const reminderArchiveModel = (conn: Connection): ReminderModel =>
  (conn.models['ForumReminderArchive'] as ReminderModel | undefined) ?? conn.model<ReminderDoc>('ForumReminderArchive', archiveSchema);

/**
 * Due now, or claimed by an old-style lease (`leaseUntil` on the reminder itself) whose holder
 * let it run out before `t` without handing the message off.
 */
function dueFilter(now: Date, t: Date): FilterQuery<ReminderDoc> {
  return {
    $or: [
      { status: 'pending', nextAttemptAt: { $lte: now } },
      { status: 'sending', handedOffAt: null, leaseUntil: { $lt: t } },
    ],
  };
}

/** Not handed to the outbox yet: pending, or claimed and not handed off. */
const UNHANDED = [{ status: 'pending' }, { status: 'sending', handedOffAt: null }];

export class MongoReminderStore implements ReminderStore {
  constructor(
    readonly model: ReminderModel,
    readonly archive: ReminderModel,
    private readonly forums: ForumModel,
  ) {}

  async plan(key: ReminderKey, target: ReminderTarget, dueAt: Date, late: boolean): Promise<void> {
    const write = () => this.model.updateOne(
      key,
      {
        $set: { ...target, ...plannedState(dueAt, late), ...(late ? { outcome: LATE_OUTCOME } : {}) },
        $unset: { lastError: 1, sentAt: 1, ...(late ? {} : { outcome: 1 }) },
        $inc: { generation: 1 },
      },
      { upsert: true },
    );
    try {
      await write();
    } catch (err) {
      // Two planners inserted the same key at once: the other one won; apply ours on top.
      if (!isDuplicateKey(err)) throw err;
      await write();
    }
  }

  async planDigest(day: string, now: Date): Promise<boolean> {
    const res = await this.model.updateOne(
      { kind: 'digest', forumId: null, contactKey: `staff:${day}`, offsetHours: 0 },
      {
        $setOnInsert: {
          channel: null, userKey: null, registrationId: null, generation: 1, dueAt: now, status: 'pending', attempts: 0,
          nextAttemptAt: now, leaseOwner: null, leaseUntil: null, handedOffAt: null, outboxKeys: [],
        },
      },
      { upsert: true },
    );
    return res.upsertedCount > 0;
  }

  async skipUnhanded(scope: SkipScope, outcome: string): Promise<number> {
    const where: FilterQuery<ReminderDoc> = 'forumIds' in scope ? { forumId: { $in: scope.forumIds }, _id: { $nin: scope.except } } : { ...scope };
    const res = await this.model.updateMany({ ...where, $or: UNHANDED }, { $set: { status: 'skipped', outcome, leaseOwner: null, leaseUntil: null } });
    return res.modifiedCount;
  }

  due(kinds: ReminderKind[], now: Date, leaseExpiredBefore: Date, limit: number): Promise<ReminderDoc[]> {
    const kind = kinds.length === 1 ? kinds[0] : { $in: kinds };
    return retryTransient(() => this.model
      .find({ kind, ...dueFilter(now, leaseExpiredBefore) })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean<ReminderDoc[]>());
  }

  async overdueForums(now: Date): Promise<DocId[]> {
    const overdue = await this.model
      .find({ status: { $in: ['pending', 'sending'] }, kind: { $in: ['resident', 'staff'] }, nextAttemptAt: { $lte: now } }, { forumId: 1 })
      .lean<Array<{ forumId: DocId | null }>>();
    const ids = new Map<string, DocId>();
    for (const r of overdue) if (r.forumId) ids.set(String(r.forumId), r.forumId);
    return [...ids.values()];
  }

  async skipStaleDigests(today: string): Promise<number> {
    const res = await this.model.updateMany(
      { kind: 'digest', status: 'pending', contactKey: { $ne: `staff:${today}` } },
      { $set: { status: 'skipped', outcome: 'stale' } },
    );
    return res.modifiedCount;
  }

  async outcomes(forumId?: DocId): Promise<Array<{ status: ReminderStatus; outcome?: string }>> {
    const read = (model: ReminderModel) => model.find(forumId ? { forumId } : {}, { status: 1, outcome: 1 }).lean<Array<{ status: ReminderStatus; outcome?: string }>>();
    return (await Promise.all([read(this.model), read(this.archive)])).flat();
  }

  /**
   * Why an archive: the runner reads `forum_reminders` every minute, and on FerretDB every read
   * walks the whole collection; without it, a year of forums would make each minute's read ever
   * longer.
   */
  async archiveBefore(cutoff: Date): Promise<number> {
    const ended = await this.forums.find({ startAt: { $lt: cutoff } }, { _id: 1 }).lean<Array<{ _id: DocId }>>();
    const filter = { $or: [{ forumId: { $in: ended.map((f) => f._id) } }, { kind: 'digest', dueAt: { $lt: cutoff } }] };
    const old = await retryTransient(() => this.model.find(filter).lean<ReminderDoc[]>());
    if (old.length === 0) return 0;
    // Copy first, then delete: a crash in between leaves a copy in both, which the next run's
    // insert skips (same `_id`) before deleting the original.
    await insertIgnoringDuplicates(() => driverCollection<ReminderDoc>(this.archive).insertMany(old, { ordered: false }));
    await retryTransient(() => this.model.deleteMany(filter));
    return old.length;
  }
}

/** Core's contacts, read as the resident reminders need them. */
export class MongoReminderContacts implements ReminderContacts {
  constructor(private readonly contacts: ContactModel) {}

  find(channels: Channel[], userKeys?: string[]): Promise<ReminderContact[]> {
    return this.contacts
      .find(userKeys ? { channel: { $in: channels }, userKey: { $in: userKeys } } : { channel: { $in: channels } }, { chatId: 1, blocked: 1, lastInboundAt: 1 })
      .lean<ReminderContact[]>();
  }
}
