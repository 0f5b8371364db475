/**
 * Plans reminders: one document per (kind, forum, contact, offset), written with an upsert so
 * planning twice is harmless. Planning again (the forum moved, a cancelled person signs up again)
 * bumps `generation`, which is part of the outbox key, so the new reminder is a new message and
 * an old one can never be mistaken for it.
 */
import type { ForumDoc } from './forum-model.js';
import type { RegistrationDoc } from './registration-model.js';
import type { DocId, ReminderKey, ReminderStore, ReminderTarget } from './store.js';

const HOUR = 3_600_000;

export class ReminderPlanner {
  constructor(
    private readonly reminders: ReminderStore,
    private readonly opts: { residentOffsetsHours: number[]; staffOffsetHours: number },
  ) {}

  /** Plans (or re-plans) a registrant's reminders. Those already due are skipped: the confirmation or notice said it. */
  async planResident(reg: Pick<RegistrationDoc, '_id' | 'forumId' | 'contactKey' | 'channel' | 'userKey'>, forum: Pick<ForumDoc, 'startAt'>, now: Date): Promise<void> {
    for (const offset of this.opts.residentOffsetsHours) {
      await this.plan(
        { kind: 'resident', forumId: reg.forumId, contactKey: reg.contactKey, offsetHours: offset },
        { channel: reg.channel, userKey: reg.userKey, registrationId: reg._id },
        new Date(forum.startAt.getTime() - offset * HOUR),
        now,
      );
    }
  }

  /** Plans (or re-plans) the staff's attendee-list reminder for a forum. */
  async planStaff(forum: Pick<ForumDoc, '_id' | 'startAt'>, now: Date): Promise<void> {
    const offset = this.opts.staffOffsetHours;
    await this.plan(
      { kind: 'staff', forumId: forum._id, contactKey: 'staff', offsetHours: offset },
      { channel: null, userKey: null, registrationId: null },
      new Date(forum.startAt.getTime() - offset * HOUR),
      now,
    );
  }

  /** Plans today's staff digest (`day` = YYYY-MM-DD in WIB) unless it exists. Returns true when new. */
  planDigest(day: string, now: Date): Promise<boolean> {
    return this.reminders.planDigest(day, now);
  }

  /** Stops a registrant's reminders that have not been handed to the outbox yet. */
  skipForRegistration(registrationId: DocId, outcome: string): Promise<number> {
    return this.reminders.skipUnhanded({ registrationId }, outcome);
  }

  /** Stops every reminder of a forum that has not been handed to the outbox yet. */
  skipForForum(forumId: DocId, outcome: string): Promise<number> {
    return this.reminders.skipUnhanded({ forumId }, outcome);
  }

  private plan(key: ReminderKey, target: ReminderTarget, dueAt: Date, now: Date): Promise<void> {
    return this.reminders.plan(key, target, dueAt, dueAt.getTime() <= now.getTime());
  }
}
