/**
 * The forum reminder runner on the in-memory ports: the resident lane, the staff lane and the
 * reconciler, with the clock moved by hand. End-to-end behaviour on FerretDB through the webhooks
 * is in test/e2e/reminders.test.ts; this is the rulebook.
 */
import { describe, expect, it } from 'vitest';
import { claimId } from '../../src/domain/forums/reminder-ledger.js';
import { forumUnit, HOUR, wib } from '../support/forum-unit.js';

const MINUTE = 60_000;

describe('resident reminders', () => {
  it('goes out 24 h before the forum, once per registrant, and counts as sent when the outbox delivered it', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    await u.signUp(forum, 'telegram', '101', 'Budi');
    await u.signUp(forum, 'whatsapp', '6281100000002', 'Sari'); // wrote now: the window is closed in 2 days
    const runner = u.runner();

    expect((await runner.runDueReminders(u.clock.now())).handedOff).toBe(0); // nothing due yet

    u.clock.advance(forum.startAt.getTime() - 24 * HOUR - u.clock.now().getTime());
    expect((await runner.runDueReminders(u.clock.now())).handedOff).toBe(2);
    const queued = u.outbox.queued('forum-reminder:');
    expect(queued.map((m) => m.reply.kind).sort()).toEqual(['template', 'text']);
    expect(queued.every((m) => m.key.endsWith(':g1:a1:0'))).toBe(true);

    // While the outbox is still sending, a later run queues nothing again.
    u.clock.advance(MINUTE);
    expect((await runner.runDueReminders(u.clock.now())).handedOff).toBe(0);
    expect(u.outbox.queued('forum-reminder:')).toHaveLength(2);

    u.outbox.finishAll();
    u.clock.advance(MINUTE);
    expect((await runner.runDueReminders(u.clock.now())).sent).toBe(2);
    expect(u.reminderOf(forum, 'telegram', '101', 24)).toMatchObject({ status: 'sent', outcome: 'delivered', attempts: 1 });
    expect(u.reminderOf(forum, 'whatsapp', '6281100000002', 24)).toMatchObject({ status: 'sent', outcome: 'template', attempts: 1 });
    expect(u.reminderOf(forum, 'telegram', '101', 2)).toMatchObject({ status: 'pending' }); // the 2 h one is still to come
    expect(u.stores.ledger.claims.size).toBe(0); // folded attempts leave the ledger
  });

  it('is queued once when two instances run at the same minute (a claim is won by one of them)', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    for (let i = 0; i < 30; i++) await u.signUp(forum, 'telegram', String(200 + i), `Warga ${i}`);
    const [a, b] = [u.runner(), u.runner()];

    u.clock.advance(forum.startAt.getTime() - 24 * HOUR - u.clock.now().getTime());
    const [sa, sb] = await Promise.all([a.runDueReminders(u.clock.now()), b.runDueReminders(u.clock.now())]);

    expect(sa.handedOff + sb.handedOff).toBe(30);
    expect(u.outbox.queued('forum-reminder:')).toHaveLength(30);
    expect(new Set(u.outbox.queued('forum-reminder:').map((m) => m.chatId)).size).toBe(30);
  });

  it('is tried again after 5 minutes under a new attempt key when sending failed, and stops for good once the person blocked the bot', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    await u.signUp(forum, 'telegram', '301', 'Tono');
    const runner = u.runner();
    u.clock.advance(forum.startAt.getTime() - 24 * HOUR - u.clock.now().getTime());
    await runner.runDueReminders(u.clock.now());
    const [first] = u.outbox.queued('forum-reminder:');
    u.outbox.finish(first!.key, { failed: '500' });

    const retried = await runner.runDueReminders(u.clock.now());
    expect(retried.retried).toBe(1);
    expect(u.reminderOf(forum, 'telegram', '301', 24)).toMatchObject({ status: 'pending', tries: 1, lastError: { code: '500' } });

    u.clock.advance(4 * MINUTE);
    await runner.runDueReminders(u.clock.now());
    expect(u.outbox.queued('forum-reminder:')).toHaveLength(1); // not before the backoff

    u.clock.advance(MINUTE);
    await runner.runDueReminders(u.clock.now());
    const second = u.outbox.queued('forum-reminder:').find((m) => m.state === 'queued')!;
    expect(second.key).toMatch(/:g1:a2:0$/);

    u.outbox.finish(second.key, { failed: '403' });
    expect((await runner.runDueReminders(u.clock.now())).failed).toBe(1);
    expect(u.reminderOf(forum, 'telegram', '301', 24)).toMatchObject({ status: 'failed', outcome: 'blocked', attempts: 2 });
  });

  it('is recorded failed (max-attempts) when the last allowed attempt fails', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    await u.signUp(forum, 'telegram', '302', 'Rina');
    const runner = u.runner({ maxAttempts: 1 });
    u.clock.advance(forum.startAt.getTime() - 24 * HOUR - u.clock.now().getTime());
    await runner.runDueReminders(u.clock.now());
    u.outbox.finish(u.outbox.queued('forum-reminder:')[0]!.key, { failed: '500' });

    await runner.runDueReminders(u.clock.now());
    expect(u.reminderOf(forum, 'telegram', '302', 24)).toMatchObject({ status: 'failed', outcome: 'max-attempts' });
  });

  it('is not sent to someone who cancelled, nor to a contact who blocked the bot', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    const gone = await u.signUp(forum, 'telegram', '401', 'Agus');
    await u.signUp(forum, 'telegram', '402', 'Dewi', { blocked: true });
    if (gone.kind !== 'registered') throw new Error(gone.kind);
    await u.registrations.cancel(String(gone.registration._id), 'telegram', '401', u.clock.now());

    u.clock.advance(forum.startAt.getTime() - 24 * HOUR - u.clock.now().getTime());
    const s = await u.runner().runDueReminders(u.clock.now());

    expect(s.handedOff).toBe(0);
    expect(u.reminderOf(forum, 'telegram', '401', 24)).toMatchObject({ status: 'skipped', outcome: 'registration-cancelled' });
    expect(u.outbox.queued('forum-reminder:')).toHaveLength(0);
    await u.runner().runDueReminders(u.clock.now()); // the reconciler folds the blocked attempt
    expect(u.reminderOf(forum, 'telegram', '402', 24)).toMatchObject({ status: 'failed', outcome: 'blocked' });
  });

  it('sends only the nearer reminder when the service was down across both due times', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    await u.signUp(forum, 'telegram', '501', 'Wati');

    u.clock.advance(forum.startAt.getTime() - 1 * HOUR - u.clock.now().getTime());
    await u.runner().runDueReminders(u.clock.now());
    await u.runner().runDueReminders(u.clock.now());

    expect(u.reminderOf(forum, 'telegram', '501', 24)).toMatchObject({ status: 'skipped', outcome: 'superseded' });
    expect(u.outbox.queued('forum-reminder:')).toHaveLength(1);
    expect(u.outbox.queued('forum-reminder:')[0]!.key).toContain(String(u.reminderOf(forum, 'telegram', '501', 2)!._id));
  });
});

describe('the reconciler and claims', () => {
  it('lets another instance take over an attempt whose holder died before handing it off, under the same outbox key', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    await u.signUp(forum, 'telegram', '601', 'Joko');
    u.clock.advance(forum.startAt.getTime() - 24 * HOUR - u.clock.now().getTime());
    const reminder = u.reminderOf(forum, 'telegram', '601', 24)!;
    // An instance claimed the attempt and died: no result recorded, its lease runs 2 minutes.
    await u.stores.ledger.claim([{ _id: claimId(reminder), reminderId: reminder._id, generation: reminder.generation, attempt: 1, owner: 'dead', until: new Date(u.clock.now().getTime() + 2 * MINUTE) }], []);
    const survivor = u.runner();

    expect((await survivor.runDueReminders(u.clock.now())).handedOff).toBe(0); // still held
    u.clock.advance(3 * MINUTE);
    expect((await survivor.runDueReminders(u.clock.now())).handedOff).toBe(1);
    expect(u.outbox.queued('forum-reminder:').map((m) => m.key)).toEqual([`forum-reminder:${String(reminder._id)}:g1:a1:0`]);
  });

  it('folds nothing into a reminder planned again meanwhile (the forum moved): the new plan is a new reminder', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    const r = await u.signUp(forum, 'telegram', '701', 'Sri');
    if (r.kind !== 'registered') throw new Error(r.kind);
    const runner = u.runner();
    u.clock.advance(forum.startAt.getTime() - 24 * HOUR - u.clock.now().getTime());
    await runner.runDueReminders(u.clock.now());

    const moved = { ...forum, startAt: wib('2026-03-14T09:00') };
    await u.planner.planResident(r.registration, moved, u.clock.now());
    u.outbox.finishAll();
    await runner.runDueReminders(u.clock.now());

    expect(u.reminderOf(forum, 'telegram', '701', 24)).toMatchObject({ status: 'pending', generation: 2, attempts: 0, dueAt: wib('2026-03-13T09:00') });
    expect(u.stores.ledger.claims.size).toBe(0);
  });
});

describe('staff reminders', () => {
  it('sends the attendance list 2 h before the forum to every staff chat, sent when one of them got it', async () => {
    const u = forumUnit();
    u.outbox.staffTargets = [{ channel: 'telegram', chatId: '-1001' }, { channel: 'whatsapp', chatId: '6281199999999' }];
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    await u.signUp(forum, 'telegram', '801', 'Bambang');
    await u.signUp(forum, 'telegram', '802', 'Ani');
    const runner = u.runner();

    u.clock.advance(forum.startAt.getTime() - 2 * HOUR - u.clock.now().getTime());
    await runner.runDueReminders(u.clock.now());
    const lists = u.outbox.queued('forum-staff:');
    expect(lists.map((m) => m.chatId).sort()).toEqual(['-1001', '6281199999999']);
    const text = lists[0]!.reply.kind === 'text' ? lists[0]!.reply.text : '';
    expect(text.indexOf('Ani')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('Ani')).toBeLessThan(text.indexOf('Bambang')); // by name

    u.outbox.finish(lists.find((m) => m.channel === 'telegram')!.key, 'sent');
    u.outbox.finish(lists.find((m) => m.channel === 'whatsapp')!.key, { failed: '131047' });
    u.outbox.finishAll(); // the residents' 2 h reminders
    await runner.runDueReminders(u.clock.now());
    const staff = u.stores.reminders.byKey({ kind: 'staff', forumId: forum._id, contactKey: 'staff', offsetHours: 2 });
    expect(staff).toMatchObject({ status: 'sent', outcome: 'delivered-1-of-2' });
  });

  it('is skipped when no staff chat is set up', async () => {
    const u = forumUnit();
    u.outbox.staffTargets = [];
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    u.clock.advance(forum.startAt.getTime() - 2 * HOUR - u.clock.now().getTime());
    await u.runner().runDueReminders(u.clock.now());
    await u.runner().runDueReminders(u.clock.now());
    expect(u.stores.reminders.byKey({ kind: 'staff', forumId: forum._id, contactKey: 'staff', offsetHours: 2 })).toMatchObject({ status: 'skipped', outcome: 'no-staff-targets' });
  });

  it('plans and sends the 07:00 WIB digest once a day, whichever instance comes first', async () => {
    const u = forumUnit(wib('2026-03-09T06:30'));
    await u.createForum({ startAt: wib('2026-03-12T09:00'), title: 'Forum Warga Bendan Ngisor' });
    const [a, b] = [u.runner(), u.runner()];

    await a.runDailyDigest(u.clock.now()); // 06:30: nothing planned
    expect(u.outbox.queued('forum-digest:')).toHaveLength(0);

    u.clock.advance(30 * MINUTE);
    await Promise.all([a.runDailyDigest(u.clock.now()), b.runDailyDigest(u.clock.now())]);
    await a.runDailyDigest(u.clock.now());
    const digests = u.outbox.queued('forum-digest:');
    expect(digests).toHaveLength(1);
    expect(digests[0]!.reply.kind === 'text' && digests[0]!.reply.text).toContain('Forum Warga Bendan Ngisor');
  });
});

describe('after a restart', () => {
  it('skips reminders of forums already started, sends the others now, and plans a missed digest', async () => {
    const u = forumUnit(wib('2026-03-09T08:00'));
    const past = await u.createForum({ startAt: wib('2026-03-10T09:00'), title: 'Forum yang sudah lewat' });
    const soon = await u.createForum({ startAt: wib('2026-03-11T09:00'), title: 'Forum besok' });
    await u.signUp(past, 'telegram', '901', 'Lina');
    await u.signUp(soon, 'telegram', '902', 'Eko');

    // Down from Monday 08:00 to Tuesday 10:00: the first forum started, the second one's 24 h reminder is overdue.
    u.clock.advance(26 * HOUR);
    await u.runner().recover(u.clock.now());

    expect(u.reminderOf(past, 'telegram', '901', 2)).toMatchObject({ status: 'skipped', outcome: 'stale' });
    expect(u.outbox.queued('forum-reminder:').map((m) => m.chatId)).toEqual(['902']);
    expect(u.outbox.queued('forum-digest:')).toHaveLength(1);
  });
});
