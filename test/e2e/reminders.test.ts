import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Types } from 'mongoose';
import { startHarness, type Harness } from '../support/test-app.js';
import type { ForumDoc } from '../../src/domain/forums/forum-model.js';
import { archiveOldReminders } from '../../src/domain/forums/reminder-archive.js';
import { createForum, forumsOf, HOUR, setClock, STAFF_ENV, telegramUser, whatsappUser } from './forums-support.js';

const MINUTE = 60_000;

/** Signs a person up through the service (their contact exists because they wrote to us). */
async function signUp(h: Harness, forum: ForumDoc, channel: 'telegram' | 'whatsapp', userKey: string, name: string) {
  const r = await forumsOf(h.app).services.registrations.signUp(
    { forumId: String(forum._id), channel, userKey, name, kelurahan: 'Sampangan', lang: 'id', waitlist: false },
    h.clock.now(),
  );
  if (r.kind !== 'registered') throw new Error(`sign-up failed: ${r.kind}`);
  return r.registration;
}

/** Runs the jobs at the current test time, lets the outbox finish, and records outcomes. */
async function tick(h: Harness): Promise<void> {
  await h.app.runJobsOnce();
  await h.settle();
  await h.app.runJobsOnce();
  await h.settle();
}

const reminderOf = (h: Harness, registrationId: Types.ObjectId, offsetHours: number) =>
  forumsOf(h.app).models.reminders.findOne({ registrationId, offsetHours }).lean();

const tgTextsTo = (h: Harness, chatId: number) => h.tg.callsOf('sendMessage').filter((c) => c.params['chat_id'] === chatId && c.status === 200).map((c) => String(c.params['text']));

describe('Forum reminders, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: STAFF_ENV });
    setClock(h, '2026-11-30T02:00:00Z'); // Monday 09:00 WIB
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  it('sends the 24 h and 2 h reminders once each, by template on WhatsApp outside the 24-hour window, and the staff list 2 h before', async () => {
    const forum = await createForum(h, { title: 'Forum Warga Sampangan', startAt: new Date('2026-12-02T02:00:00Z') }); // Wed 09:00 WIB
    const budi = telegramUser(h, 3001, 'Budi');
    await budi.say('halo');
    const sari = whatsappUser(h, '6282222222222', 'Sari');
    await sari.say('halo');
    const rb = await signUp(h, forum, 'telegram', '3001', 'Budi Santoso');
    const rs = await signUp(h, forum, 'whatsapp', '6282222222222', 'Sari Wulandari');
    h.tg.clear();
    h.wa.clear();

    // Nothing is due yet.
    setClock(h, '2026-12-01T01:59:00Z');
    await tick(h);
    expect(tgTextsTo(h, 3001)).toEqual([]);

    // 24 hours before. Sari last wrote more than 24 hours ago: the approved template carries it.
    setClock(h, '2026-12-01T02:00:30Z');
    await tick(h);
    expect(tgTextsTo(h, 3001)).toHaveLength(1);
    expect(tgTextsTo(h, 3001)[0]).toContain('dimulai 24 jam lagi');
    expect(tgTextsTo(h, 3001)[0]).toContain(rb.code);
    const toSari = h.wa.sentTo('6282222222222');
    expect(toSari).toHaveLength(1);
    expect(toSari[0]?.type).toBe('template');
    const template = toSari[0]?.body['template'] as { name: string; language: { code: string }; components: Array<{ parameters: Array<{ text: string }> }> };
    expect(template.name).toBe('pengingat_forum');
    expect(template.language.code).toBe('id');
    expect(template.components[0]?.parameters.map((p) => p.text)).toEqual(['Sari Wulandari', 'Forum Warga Sampangan', 'Rabu, 2 Desember 2026 pukul 09.00 WIB', 'Aula Kelurahan Sampangan', rs.code]);
    expect(await reminderOf(h, rb._id, 24)).toMatchObject({ status: 'sent', outcome: 'delivered', attempts: 1 });
    expect(await reminderOf(h, rs._id, 24)).toMatchObject({ status: 'sent', outcome: 'template' });

    // Running again (another tick, another instance) sends nothing more.
    await tick(h);
    expect(tgTextsTo(h, 3001)).toHaveLength(1);
    expect(h.wa.sentTo('6282222222222')).toHaveLength(1);

    // Sari writes: inside the window the 2 h reminder is a normal message with a cancel button.
    setClock(h, '2026-12-01T23:00:00Z');
    await sari.say('terima kasih');
    h.wa.clear();
    setClock(h, '2026-12-02T00:00:10Z'); // 07:00 WIB, 2 hours before
    await tick(h);
    expect(tgTextsTo(h, 3001).join('\n')).toContain('dimulai 2 jam lagi');
    const twoHour = h.wa.sentTo('6282222222222');
    expect(twoHour).toHaveLength(1);
    expect(twoHour[0]?.type).toBe('interactive');
    expect(JSON.stringify(twoHour[0]?.body)).toContain(`forumku:c:${String(rs._id)}`);

    // Staff get the attendee list in every staff chat.
    const staffText = tgTextsTo(h, -100500).join('\n');
    expect(staffText).toContain('Daftar hadir:');
    expect(staffText).toContain('Budi Santoso');
    expect(staffText).toContain('Sari Wulandari');
    expect(staffText).toContain('Terdaftar 2/50');
    expect(h.wa.sentTexts('6281299990000').join('\n')).toContain('Daftar hadir:');
    const staffReminder = await forumsOf(h.app).models.reminders.findOne({ forumId: forum._id, kind: 'staff' }).lean();
    expect(staffReminder).toMatchObject({ status: 'sent', outcome: 'delivered' });

    // Staff can see the counts.
    const counts = await forumsOf(h.app).services.forums.reminderCounts(forum._id);
    expect(counts.byStatus.sent).toBe(5);
    expect(counts.byOutcome['template']).toBe(1);
  });

  it('tells a WhatsApp registrant outside the 24-hour window of a cancellation by its template', async () => {
    const forum = await createForum(h, { title: 'Forum Warga Bendan Ngisor', startAt: new Date('2026-12-09T02:00:00Z') }); // Wed 09:00 WIB
    const tono = whatsappUser(h, '6282333333333', 'Tono');
    await tono.say('halo');
    await signUp(h, forum, 'whatsapp', '6282333333333', 'Tono Wijaya');
    h.wa.clear();

    setClock(h, '2026-12-05T02:00:00Z'); // days after Tono last wrote
    const res = await forumsOf(h.app).services.forums.cancel(String(forum._id), h.clock.now());
    expect(res.kind).toBe('cancelled');
    await h.settle();
    const toTono = h.wa.sentTo('6282333333333');
    expect(toTono).toHaveLength(1);
    expect(toTono[0]?.type).toBe('template');
    const template = toTono[0]?.body['template'] as { name: string; components: Array<{ parameters: Array<{ text: string }> }> };
    expect(template.name).toBe('forum_dibatalkan');
    expect(template.components[0]?.parameters.map((p) => p.text)).toEqual(['Tono Wijaya', 'Forum Warga Bendan Ngisor', 'Rabu, 9 Desember 2026 pukul 09.00 WIB']);
  });

  it('sends the daily 07:00 WIB digest of the next 7 days with counts, once', async () => {
    setClock(h, '2026-12-03T00:00:00Z'); // Thursday 07:00 WIB
    const forum = await createForum(h, { title: 'Forum Bendungan', kelurahan: 'Bendungan', capacity: 30, startAt: new Date('2026-12-05T02:00:00Z') });
    const ani = telegramUser(h, 3101, 'Ani');
    await ani.say('halo');
    await signUp(h, forum, 'telegram', '3101', 'Ani');
    await createForum(h, { title: 'Forum Jauh', startAt: new Date('2026-12-20T02:00:00Z') });
    const digestJob = forumsOf(h.app).jobs!.find((j) => j.name === 'forum-staff-digest')!;
    expect(forumsOf(h.app).jobs!.find((j) => j.name === 'forum-reminders')?.cron).toBe('* * * * *');
    expect(digestJob.cron).toBe('0 7 * * *');
    await digestJob.run(h.clock.now());
    await h.settle();
    await digestJob.run(h.clock.now()); // a second instance at the same minute
    await tick(h);
    const digests = tgTextsTo(h, -100500).filter((t) => t.includes('Ringkasan forum warga'));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain('Forum Bendungan');
    expect(digests[0]).toContain('terdaftar 1/30 · daftar tunggu 0');
    expect(digests[0]).not.toContain('Forum Jauh');
  });

  it('honours a Telegram 429 retry_after and then delivers once', async () => {
    setClock(h, '2026-12-10T00:00:00Z');
    const forum = await createForum(h, { title: 'Forum Lempongsari', startAt: new Date('2026-12-11T03:00:00Z') });
    const user = telegramUser(h, 3201, 'Rudi');
    await user.say('halo');
    const reg = await signUp(h, forum, 'telegram', '3201', 'Rudi');
    h.tg.clear();
    setClock(h, '2026-12-10T03:00:05Z'); // 24 h before
    h.tg.failNext('sendMessage', { kind: 'rateLimited', retryAfter: 3 }, 1, { chatId: 3201 });
    await tick(h);
    expect(h.tg.callsOf('sendMessage').filter((c) => c.params['chat_id'] === 3201).map((c) => c.status)).toEqual([429]);
    // Handed to the outbox, which is waiting out the retry_after: nothing is recorded yet.
    expect(await reminderOf(h, reg._id, 24)).toMatchObject({ status: 'pending', attempts: 0 });
    h.clock.advance(3_500); // the retry_after has passed
    await tick(h);
    expect(h.tg.callsOf('sendMessage').filter((c) => c.params['chat_id'] === 3201).map((c) => c.status)).toEqual([429, 200]);
    expect(await reminderOf(h, reg._id, 24)).toMatchObject({ status: 'sent', outcome: 'delivered' });
  });

  it('records a 403 (bot blocked) and never retries that person', async () => {
    setClock(h, '2026-12-12T00:00:00Z');
    const forum = await createForum(h, { title: 'Forum Karangrejo', startAt: new Date('2026-12-13T03:00:00Z') });
    const user = telegramUser(h, 3301, 'Dewi');
    await user.say('halo');
    const reg = await signUp(h, forum, 'telegram', '3301', 'Dewi');
    h.tg.clear();
    setClock(h, '2026-12-12T03:00:05Z');
    h.tg.failNext('sendMessage', { kind: 'blocked' }, 1, { chatId: 3301 });
    await tick(h);
    expect(await reminderOf(h, reg._id, 24)).toMatchObject({ status: 'failed', outcome: 'blocked', attempts: 1 });
    // Later ticks, and the 2 h reminder, do not call Telegram for this person again.
    h.clock.advance(2 * HOUR);
    await tick(h);
    setClock(h, '2026-12-13T01:00:05Z');
    await tick(h);
    expect(h.tg.callsOf('sendMessage').filter((c) => c.params['chat_id'] === 3301).map((c) => c.status)).toEqual([403]);
    expect(await reminderOf(h, reg._id, 2)).toMatchObject({ status: 'failed', outcome: 'blocked' });
  });

  it('records a WhatsApp 131047 (window closed) as outside-window instead of retrying', async () => {
    setClock(h, '2026-12-14T00:00:00Z');
    const forum = await createForum(h, { title: 'Forum Gajahmungkur', startAt: new Date('2026-12-15T03:00:00Z') });
    const wa = whatsappUser(h, '6283333333333', 'Eko');
    await wa.say('halo');
    const reg = await signUp(h, forum, 'whatsapp', '6283333333333', 'Eko');
    h.wa.clear();
    setClock(h, '2026-12-14T03:00:05Z'); // we believe the window is open (written at 00:00), WhatsApp says not
    h.wa.failNext({ kind: 'reEngagement' }, 1, { to: '6283333333333' });
    await tick(h);
    h.clock.advance(HOUR);
    await tick(h);
    expect(await reminderOf(h, reg._id, 24)).toMatchObject({ status: 'failed', outcome: 'outside-window', attempts: 1 });
    expect(h.wa.rejected.filter((r) => r.code === 131047)).toHaveLength(1);
    expect(h.wa.sentTo('6283333333333')).toHaveLength(0);
  });

  it('after a restart: sends overdue reminders of forums not yet started, skips stale ones', async () => {
    setClock(h, '2026-12-16T00:00:00Z');
    const soon = await createForum(h, { title: 'Forum Besok', startAt: new Date('2026-12-17T02:00:00Z') });
    const gone = await createForum(h, { title: 'Forum Pagi Ini', startAt: new Date('2026-12-16T04:00:00Z'), registrationDeadline: new Date('2026-12-16T03:00:00Z') });
    const user = telegramUser(h, 3401, 'Fajar');
    await user.say('halo');
    const rSoon = await signUp(h, soon, 'telegram', '3401', 'Fajar');
    const rGone = await signUp(h, gone, 'telegram', '3401', 'Fajar');
    h.tg.clear();

    await h.app.close(); // down from 00:00 to 05:00 UTC: across both due times
    setClock(h, '2026-12-16T05:00:00Z');
    const app = await h.rebuild();
    await app.start();
    await h.settle();
    await app.runJobsOnce();

    expect(tgTextsTo(h, 3401).filter((t) => t.includes('Forum Besok'))).toHaveLength(1); // 24 h one, 3 h late
    expect(tgTextsTo(h, 3401).filter((t) => t.includes('Forum Pagi Ini'))).toHaveLength(0);
    expect(await reminderOf(h, rSoon._id, 24)).toMatchObject({ status: 'sent' });
    expect(await reminderOf(h, rGone._id, 2)).toMatchObject({ status: 'skipped', outcome: 'stale' });
  });

  it('a crash mid-send leaves nothing claimed forever and nothing sent twice', async () => {
    setClock(h, '2026-12-18T00:00:00Z');
    const forum = await createForum(h, { title: 'Forum Bendan Ngisor', startAt: new Date('2026-12-19T03:00:00Z') });
    const a = telegramUser(h, 3501, 'Gita');
    const b = telegramUser(h, 3502, 'Hadi');
    await a.say('halo');
    await b.say('halo');
    const ra = await signUp(h, forum, 'telegram', '3501', 'Gita');
    const rb = await signUp(h, forum, 'telegram', '3502', 'Hadi');
    h.tg.clear();
    setClock(h, '2026-12-18T03:00:05Z');
    const { reminders } = forumsOf(h.app).models;
    const dead = { status: 'sending', leaseOwner: 'crashed-instance', leaseUntil: new Date(h.clock.now().getTime() + 2 * MINUTE), attempts: 1 };
    // A: claimed, then the instance died before queuing anything.
    await reminders.updateOne({ registrationId: ra._id, offsetHours: 24 }, { $set: dead });
    // B: claimed and queued in the outbox, then the instance died before recording it.
    const rem = await reminders.findOneAndUpdate({ registrationId: rb._id, offsetHours: 24 }, { $set: dead }, { new: true }).lean();
    await h.app.notifier.toContact('telegram', '3502', [{ kind: 'text', text: 'Pengingat (dari instance yang mati)' }], { key: `forum-reminder:${String(rem!._id)}:g${rem!.generation}:a1` });
    await h.settle();
    expect(tgTextsTo(h, 3502)).toHaveLength(1);
    expect(tgTextsTo(h, 3501)).toHaveLength(0);

    await tick(h); // the lease has not expired yet: nobody takes them
    expect(tgTextsTo(h, 3501)).toHaveLength(0);
    h.clock.advance(3 * MINUTE); // the lease expires
    await tick(h);
    expect(tgTextsTo(h, 3501)).toHaveLength(1);
    expect(tgTextsTo(h, 3502)).toEqual(['Pengingat (dari instance yang mati)']); // queued before the crash; not a second one
    expect(await reminderOf(h, ra._id, 24)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await reminderOf(h, rb._id, 24)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('moves the reminders of a forum over for 30 days to the archive, where the counts still find them', async () => {
    const forum = await createForum(h, { title: 'Forum Warga Lempongsari', startAt: new Date(h.clock.now().getTime() + 3 * 24 * HOUR) });
    await signUp(h, forum, 'telegram', '3099', 'Warga Lempongsari');
    const reminders = forumsOf(h.app).models.reminders;
    const planned = await reminders.countDocuments({ forumId: forum._id });
    expect(planned).toBeGreaterThanOrEqual(3); // 24 h and 2 h for the resident, the staff list
    const before = await forumsOf(h.app).services.forums.reminderCounts(forum._id);

    h.clock.advance(20 * 24 * HOUR);
    const models = forumsOf(h.app).models;
    await archiveOldReminders(forumsOf(h.app).stores.reminders, h.clock.now());
    expect(await reminders.countDocuments({ forumId: forum._id })).toBe(planned); // not yet: 17 days after
    h.clock.advance(20 * 24 * HOUR);
    expect(await archiveOldReminders(forumsOf(h.app).stores.reminders, h.clock.now())).toBeGreaterThanOrEqual(planned);
    expect(await reminders.countDocuments({ forumId: forum._id })).toBe(0);
    expect(await models.reminderArchive.countDocuments({ forumId: forum._id })).toBe(planned);
    expect(await forumsOf(h.app).services.forums.reminderCounts(forum._id)).toEqual(before);
  });
});

describe('Two scheduler instances on one database', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: STAFF_ENV });
  });
  afterAll(async () => h.close());

  it('deliver 1,000 due reminders exactly once between them', { timeout: 180_000 }, async () => {
    const first = h.app;
    const now = h.clock.now();
    const m = forumsOf(first);
    // Starts 2 hours minus one minute from now: every 2 h reminder is due.
    const forum = await createForum(h, { capacity: 1000, startAt: new Date(now.getTime() + 2 * HOUR - MINUTE), registrationDeadline: new Date(now.getTime() + HOUR) });
    const people = Array.from({ length: 1000 }, (_, i) =>
      i < 700 ? { channel: 'whatsapp' as const, userKey: `62850${String(i).padStart(7, '0')}` } : { channel: 'telegram' as const, userKey: String(900000 + i) },
    );
    await first.store.contacts.insertMany(
      people.map((p) => ({ channel: p.channel, userKey: p.userKey, chatId: p.userKey, lang: 'id', langExplicit: false, blocked: false, isStaff: false, lastInboundAt: now })),
    );
    const regs = await m.models.registrations.insertMany(
      people.map((p, i) => ({ forumId: forum._id, contactKey: `${p.channel}:${p.userKey}`, channel: p.channel, userKey: p.userKey, name: `Warga ${i}`, kelurahan: 'Sampangan', lang: 'id', code: `FW-T${String(i).padStart(5, '0')}`, status: 'registered', waitSeq: null, registeredAt: now })),
    );
    const dueAt = new Date(forum.startAt.getTime() - 2 * HOUR);
    await m.models.reminders.insertMany(
      regs.map((r) => ({ kind: 'resident', forumId: forum._id, contactKey: r.contactKey, offsetHours: 2, channel: r.channel, userKey: r.userKey, registrationId: r._id, generation: 1, dueAt, status: 'pending', attempts: 0, nextAttemptAt: dueAt, leaseOwner: null, leaseUntil: null, handedOffAt: null, outboxKeys: [] })),
    );

    const second = await h.rebuild();
    const [s1, s2] = await Promise.all([forumsOf(first).reminders.runDueReminders(now), forumsOf(second).reminders.runDueReminders(now)]);
    for (let i = 0; i < 5; i++) {
      await Promise.all([first.outbox.idle(), second.outbox.idle()]);
      await Promise.all([first.outbox.flushDue(), second.outbox.flushDue()]);
    }
    await forumsOf(second).reminders.reconcile(now);

    expect(s1.handedOff + s2.handedOff).toBe(1000);
    const waCounts = new Map<string, number>();
    for (const msg of h.wa.messages) waCounts.set(msg.to ?? '', (waCounts.get(msg.to ?? '') ?? 0) + 1);
    const tgCounts = new Map<string, number>();
    for (const c of h.tg.callsOf('sendMessage').filter((x) => x.status === 200)) tgCounts.set(String(c.params['chat_id']), (tgCounts.get(String(c.params['chat_id'])) ?? 0) + 1);
    expect(waCounts.size).toBe(700);
    expect(tgCounts.size).toBe(300);
    expect([...waCounts.values(), ...tgCounts.values()].every((n) => n === 1)).toBe(true);
    expect(await m.models.reminders.countDocuments({ forumId: forum._id, status: 'sent' })).toBe(1000);
  });
});
