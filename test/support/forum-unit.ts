/**
 * The forums' registration service, reminder planner and reminder runner built on the in-memory
 * ports (memory-forum-store.ts) and the fake outbox (fake-reminder-outbox.ts), with a clock the
 * spec moves: for unit specs that read like the rules they check, without a database or sleeping.
 */
import { DateTime } from 'luxon';
import pino from 'pino';
import type { Channel } from '../../src/core/messages.js';
import type { ForumDoc } from '../../src/domain/forums/forum-model.js';
import type { RegistrationDoc } from '../../src/domain/forums/registration-model.js';
import { RegistrationService, type SignUpResult } from '../../src/domain/forums/registration-service.js';
import { ReminderPlanner } from '../../src/domain/forums/reminder-plan.js';
import { ReminderRunner } from '../../src/domain/forums/reminder-runner.js';
import { TestClock } from './clock.js';
import { FakeReminderOutbox } from './fake-reminder-outbox.js';
import { memoryForumStores } from './memory-forum-store.js';
import { MemoryKeyedLock } from './memory-keyed-lock.js';

export const TZ = 'Asia/Jakarta';
export const HOUR = 3_600_000;
/** A moment given in WIB (`2026-03-09T08:00`). */
export const wib = (iso: string): Date => DateTime.fromISO(iso, { zone: TZ }).toJSDate();

export function forumUnit(start = wib('2026-03-09T08:00')) {
  const clock = new TestClock(start);
  const stores = memoryForumStores(clock.now);
  const outbox = new FakeReminderOutbox(clock.now);
  const logger = pino({ level: 'silent' });
  const planner = new ReminderPlanner(stores.reminders, { residentOffsetsHours: [24, 2], staffOffsetHours: 2 });
  const promoted: Array<{ forum: ForumDoc; registration: Pick<RegistrationDoc, '_id' | 'name'> }> = [];
  const registrations = new RegistrationService({
    forums: stores.forums,
    registrations: stores.registrations,
    lock: new MemoryKeyedLock(),
    planner,
    notices: {
      promoted: async (forum, registration) => {
        promoted.push({ forum, registration });
        return 'queued';
      },
    },
    logger,
  });

  /** One service instance's reminder runner (several share the stores like instances share a database). */
  const runner = (o: { leaseMs?: number; maxAttempts?: number } = {}) =>
    new ReminderRunner({
      ...stores,
      outcomes: outbox,
      planner,
      notifier: outbox,
      logger,
      clock: clock.now,
      tz: TZ,
      template: { name: 'forum_reminder', language: 'id' },
      maxAttempts: o.maxAttempts ?? 3,
      residentOffsetsHours: [24, 2],
      lanes: ['telegram', 'whatsapp'],
      leaseMs: o.leaseMs ?? 120_000,
    });

  /** Staff create a forum (its staff reminder is planned, as ForumService.create does). */
  async function createForum(o: { startAt: Date; capacity?: number; title?: string; deadline?: Date }): Promise<ForumDoc> {
    const forum = await stores.forums.create({
      title: o.title ?? 'Forum Warga Petompon',
      topic: 'Sampah dan drainase',
      kelurahan: 'Petompon',
      venue: 'Balai Kelurahan Petompon',
      startAt: o.startAt,
      durationMinutes: 120,
      capacity: o.capacity ?? 50,
      registrationDeadline: o.deadline ?? new Date(o.startAt.getTime() - HOUR),
      status: 'scheduled',
      sequence: 0,
      waitSeq: 0,
      createdBy: 'telegram:staff1',
    });
    await planner.planStaff(forum, clock.now());
    return forum;
  }

  /**
   * A person who wrote to the bot (`wroteAt`, default now: WhatsApp's window open) signs up
   * (taking a waitlist place when full).
   */
  async function signUp(forum: ForumDoc, channel: Channel, userKey: string, name: string, o: { wroteAt?: Date; blocked?: boolean } = {}): Promise<SignUpResult> {
    if (!stores.contacts.list.some((c) => c._id === `${channel}:${userKey}`)) {
      stores.contacts.list.push({ _id: `${channel}:${userKey}`, channel, userKey, chatId: userKey, blocked: o.blocked ?? false, lastInboundAt: o.wroteAt ?? clock.now() });
    }
    return registrations.signUp({ forumId: String(forum._id), channel, userKey, name, kelurahan: 'Petompon', lang: 'id', waitlist: true }, clock.now());
  }

  /** The stored reminder of a registration at an offset. */
  const reminderOf = (forum: ForumDoc, channel: Channel, userKey: string, offsetHours: number) =>
    stores.reminders.byKey({ kind: 'resident', forumId: forum._id, contactKey: `${channel}:${userKey}`, offsetHours });

  return { clock, stores, outbox, planner, registrations, promoted, runner, createForum, signUp, reminderOf };
}
