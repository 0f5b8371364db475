/**
 * Plans reminders: one document per (kind, forum, contact, offset), written with an upsert so
 * planning twice is harmless. Planning again (the forum moved, a cancelled person signs up again)
 * bumps `generation`, which is part of the outbox key, so the new reminder is a new message and
 * an old one can never be mistaken for it.
 */
import type { Types } from 'mongoose';
import { isDuplicateKey } from '../../core/errors.js';
import type { ForumDoc } from './forum-model.js';
import type { RegistrationDoc } from './registration-model.js';
import type { ReminderDoc, ReminderModel } from './reminder-model.js';

const HOUR = 3_600_000;

export class ReminderPlanner {
  constructor(
    private readonly reminders: ReminderModel,
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
  async planDigest(day: string, now: Date): Promise<boolean> {
    const res = await this.reminders.updateOne(
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

  /** Stops a registrant's reminders that have not been handed to the outbox yet. */
  async skipForRegistration(registrationId: Types.ObjectId, outcome: string): Promise<number> {
    return this.skip({ registrationId }, outcome);
  }

  /** Stops every reminder of a forum that has not been handed to the outbox yet. */
  async skipForForum(forumId: Types.ObjectId, outcome: string): Promise<number> {
    return this.skip({ forumId }, outcome);
  }

  private async skip(scope: { registrationId: Types.ObjectId } | { forumId: Types.ObjectId }, outcome: string): Promise<number> {
    const res = await this.reminders.updateMany(
      { ...scope, $or: [{ status: 'pending' }, { status: 'sending', handedOffAt: null }] },
      { $set: { status: 'skipped', outcome, leaseOwner: null, leaseUntil: null } },
    );
    return res.modifiedCount;
  }

  private async plan(
    key: Pick<ReminderDoc, 'kind' | 'forumId' | 'contactKey' | 'offsetHours'>,
    target: Pick<ReminderDoc, 'channel' | 'userKey' | 'registrationId'>,
    dueAt: Date,
    now: Date,
  ): Promise<void> {
    const late = dueAt.getTime() <= now.getTime();
    const write = () => this.reminders.updateOne(
      key,
      {
        $set: {
          ...target,
          dueAt,
          status: late ? 'skipped' : 'pending',
          attempts: 0,
          tries: 0,
          nextAttemptAt: dueAt,
          leaseOwner: null,
          leaseUntil: null,
          handedOffAt: null,
          outboxKeys: [],
          ...(late ? { outcome: 'due-before-planned' } : {}),
        },
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
}
