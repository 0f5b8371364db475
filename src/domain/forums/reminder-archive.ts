/**
 * Moves reminders of forums that ended long ago (and old staff digests) out of the reminders the
 * runner reads every minute, into an archive where staff counts still find them (the store says
 * why that matters to it: `ReminderStore.archiveBefore`).
 */
import type { ReminderStore } from './store.js';

const DAY = 86_400_000;

/** Reminders are archived this many days after their forum started (or their digest was due). */
export const REMINDER_ARCHIVE_DAYS = 30;

export async function archiveOldReminders(reminders: Pick<ReminderStore, 'archiveBefore'>, now: Date, afterDays = REMINDER_ARCHIVE_DAYS): Promise<number> {
  return reminders.archiveBefore(new Date(now.getTime() - afterDays * DAY));
}
