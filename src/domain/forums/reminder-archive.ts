/**
 * Moves reminders of forums that ended long ago (and old staff digests) from `forum_reminders` to
 * `forum_reminders_archive`, where staff counts still find them.
 *
 * Why: the runner reads `forum_reminders` every minute, and on FerretDB every read walks the whole
 * collection; without this, a year of forums would make each minute's read ever longer.
 */
import type { Types } from 'mongoose';
import { driverCollection, insertIgnoringDuplicates } from '../../db/driver.js';
import { retryTransient } from '../../db/retry.js';
import type { ForumModel } from './forum-model.js';
import type { ReminderDoc, ReminderModel } from './reminder-model.js';

const DAY = 86_400_000;

/** Reminders are archived this many days after their forum started (or their digest was due). */
export const REMINDER_ARCHIVE_DAYS = 30;

export async function archiveOldReminders(
  deps: { forums: ForumModel; reminders: ReminderModel; archive: ReminderModel },
  now: Date,
  afterDays = REMINDER_ARCHIVE_DAYS,
): Promise<number> {
  const cutoff = new Date(now.getTime() - afterDays * DAY);
  const ended = await deps.forums.find({ startAt: { $lt: cutoff } }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>();
  const filter = { $or: [{ forumId: { $in: ended.map((f) => f._id) } }, { kind: 'digest', dueAt: { $lt: cutoff } }] };
  const old = await retryTransient(() => deps.reminders.find(filter).lean<ReminderDoc[]>());
  if (old.length === 0) return 0;
  // Copy first, then delete: a crash in between leaves a copy in both, which the next run's
  // insert skips (same `_id`) before deleting the original.
  await insertIgnoringDuplicates(() => driverCollection<ReminderDoc>(deps.archive).insertMany(old, { ordered: false }));
  await retryTransient(() => deps.reminders.deleteMany(filter));
  return old.length;
}
