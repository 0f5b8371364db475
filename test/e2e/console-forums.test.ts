/**
 * Staff console, forums (`inject` against the real app on FerretDB): the head of office creates,
 * moves and cancels a forum; residents who signed up through the Telegram and WhatsApp webhooks
 * hear of it on their own channel; staff check people in by code and by tapping a name; roles,
 * CSRF and the audit log hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModel } from '../../src/store/console-models.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { ConsoleClient, createAccount } from './console-support.js';
import { forumsOf, setClock, telegramUser, whatsappUser } from './forums-support.js';

const FORM = {
  title: 'Forum Warga Lempongsari: Air Bersih',
  topic: 'Jadwal distribusi air bersih musim kemarau',
  kelurahan: 'Lempongsari',
  venue: 'Aula Kelurahan Lempongsari',
  date: '2026-12-10',
  time: '09:00',
  duration: '120',
  capacity: '1',
  deadline: '',
};

describe('Staff console: forums', () => {
  let h: Harness;
  let head: ConsoleClient;
  let staff: ConsoleClient;
  let forumId = '';
  const auditRows = (action: string) => auditModel(h.app.conn).find({ action }).lean();
  const regOf = (contactKey: string) => forumsOf(h.app).models.registrations.findOne({ contactKey }).lean();

  beforeAll(async () => {
    h = await startHarness();
    setClock(h, '2026-12-01T02:00:00Z'); // Tuesday 1 December 2026, 09:00 WIB
    await createAccount(h, 'kepala', 'head', { name: 'Bu Kepala' });
    await createAccount(h, 'sri', 'staff', { name: 'Sri Wahyuni' });
    await createAccount(h, 'dewi', 'senior', { name: 'Dewi Lestari' });
    head = new ConsoleClient(h);
    staff = new ConsoleClient(h);
    await head.signIn('kepala');
    await staff.signIn('sri');
  });
  afterAll(async () => h?.close());

  it('refuses forum creation to staff (form and POST), and a POST without its CSRF token', async () => {
    expect((await staff.get('/console/forums/new')).statusCode).toBe(403);
    const list = await staff.get('/console/forums');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('/console/forums/new');
    expect((await staff.post('/console/forums', { _csrf: ConsoleClient.csrfIn(list.body), key: crypto.randomUUID(), ...FORM })).statusCode).toBe(403);
    expect((await head.post('/console/forums', { key: crypto.randomUUID(), ...FORM })).statusCode).toBe(403);
    expect(await forumsOf(h.app).models.forums.countDocuments()).toBe(0);
    expect((await auditRows('csrf.refused')).length).toBeGreaterThanOrEqual(1);
    expect((await auditRows('forbidden')).map((r) => r.target)).toContain('path:/console/forums');
  });

  it('creates a forum once even when the form is sent twice, audited, and lists it with its seats', async () => {
    const form = await head.get('/console/forums/new');
    const key = /name="key" value="([^"]+)"/.exec(form.body)![1]!;
    const bad = await head.post('/console/forums', { _csrf: ConsoleClient.csrfIn(form.body), key, ...FORM, date: '2026-11-01' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Waktu mulai sudah lewat');
    const first = await head.post('/console/forums', { _csrf: ConsoleClient.csrfIn(form.body), key, ...FORM });
    const again = await head.post('/console/forums', { _csrf: ConsoleClient.csrfIn(form.body), key, ...FORM });
    expect(first.statusCode).toBe(303);
    expect(again.headers['location']).toBe(`${String(first.headers['location']).split('?')[0]}?msg=saved`);
    const forums = await forumsOf(h.app).models.forums.find().lean();
    expect(forums).toHaveLength(1);
    forumId = String(forums[0]!._id);
    expect(forums[0]).toMatchObject({ title: FORM.title, capacity: 1, startAt: new Date('2026-12-10T02:00:00Z'), registrationDeadline: new Date('2026-12-10T02:00:00Z') });
    expect(await auditRows('forum.create')).toMatchObject([{ actor: { account: 'kepala' }, target: `forum:${forumId}` }]);
    const list = await staff.get('/console/forums');
    expect(list.body).toContain(FORM.title);
    expect(list.body).toMatch(/<td>0\/1<\/td><td>0<\/td><td>0<\/td>/);
  });

  it('shows registrants and the waitlist as residents signed up in chat, without phone numbers', async () => {
    const budi = telegramUser(h, 5101, 'Budi');
    await budi.tap(`forum:f:${forumId}`);
    await budi.tap(`forum:join:${forumId}`);
    await budi.say('Budi Santoso');
    await budi.say('lempongsari');
    await budi.say('0812-3456-7890');
    expect(budi.lastText()).toMatch(/Kode pendaftaran Anda: FW-/);
    const sari = whatsappUser(h, '6281222223333');
    await sari.say('mau ikut forum warga');
    await sari.list(`forum:f:${forumId}`);
    await sari.button(`forum:wait:${forumId}`, 'Daftar tunggu');
    await sari.button('forum:name:profile', 'Sari Wulandari');
    await sari.list('forum:kel:lempongsari', 'Lempongsari');
    expect((await regOf('whatsapp:6281222223333'))?.status).toBe('waitlisted');

    const page = await staff.get(`/console/forums/${forumId}`);
    expect(page.body).toContain('1/1 terisi · 1 daftar tunggu · 0 hadir');
    expect(page.body).toContain('Budi Santoso');
    expect(page.body).toContain('Sari Wulandari');
    expect(page.body).not.toContain('6281234567890');
    expect(page.body).not.toContain('6281222223333');
    expect(page.body).not.toContain('forum-edit'); // staff: no edit, no cancel, no CSV
    expect(page.body).not.toContain('forum-cancel');
    expect((await staff.get(`/console/forums/${forumId}/csv`)).statusCode).toBe(403);
  });

  it('moves the forum: both residents are told on their own channel, and the move is audited', async () => {
    const edit = await head.get(`/console/forums/${forumId}/edit`);
    expect(edit.body).toContain('value="2026-12-10"');
    const res = await head.post(`/console/forums/${forumId}`, { _csrf: ConsoleClient.csrfIn(edit.body), ...FORM, date: '2026-12-12', time: '13:30' });
    expect(res.statusCode).toBe(303);
    expect(res.headers['location']).toContain('msg=forum-moved');
    await h.settle();
    expect(h.tg.sentTexts(5101).join('\n')).toContain('dipindah jadwalnya');
    expect(h.tg.sentTexts(5101).join('\n')).toContain('Sabtu, 12 Desember 2026 pukul 13.30 WIB');
    expect(h.wa.sentTexts('6281222223333').join('\n')).toContain('dipindah jadwalnya');
    const [row] = await auditRows('forum.move');
    expect(row).toMatchObject({ actor: { account: 'kepala' }, before: { startAt: new Date('2026-12-10T02:00:00Z') }, after: { startAt: new Date('2026-12-12T06:30:00Z'), told: 2 } });
  });

  it('lets staff check people in by registration code and by tapping the name', async () => {
    const budi = await regOf('telegram:5101');
    const page = await staff.get(`/console/forums/${forumId}`);
    const wrong = await staff.post(`/console/forums/${forumId}/checkin`, { _csrf: ConsoleClient.csrfIn(page.body), code: 'FW-XXXXXX' });
    expect(wrong.statusCode).toBe(404);
    const byCode = await staff.post(`/console/forums/${forumId}/checkin`, { _csrf: ConsoleClient.csrfIn(page.body), code: budi!.code.toLowerCase() });
    expect(byCode.statusCode).toBe(200);
    expect(byCode.body).toContain(`Budi Santoso (${budi!.code}) tercatat hadir.`);
    expect(byCode.body).toContain('1/1 terisi · 1 daftar tunggu · 1 hadir');
    const tapAgain = await staff.post(`/console/forums/${forumId}/checkin`, { _csrf: ConsoleClient.csrfIn(page.body), registration: String(budi!._id) });
    expect(tapAgain.body).toContain('sudah tercatat hadir');
    // A waitlisted person cannot be checked in, by tap or code.
    const sari = await regOf('whatsapp:6281222223333');
    expect((await staff.post(`/console/forums/${forumId}/checkin`, { _csrf: ConsoleClient.csrfIn(page.body), registration: String(sari!._id) })).statusCode).toBe(404);
    expect((await regOf('telegram:5101'))?.attendedAt).toBeInstanceOf(Date);
    expect(await auditRows('forum.checkin')).toMatchObject([{ actor: { account: 'sri' }, after: { registration: budi!.code } }]);
  });

  it('gives senior staff the CSV (with the phone numbers the chat export has)', async () => {
    const dewi = new ConsoleClient(h);
    await dewi.signIn('dewi');
    const csv = await dewi.get(`/console/forums/${forumId}/csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('"Budi Santoso","Lempongsari","6281234567890","telegram","terdaftar"');
    expect(csv.body).toContain('"Sari Wulandari"');
  });

  it('cancels the forum: every registrant is told, and it can no longer be changed', async () => {
    const page = await head.get(`/console/forums/${forumId}`);
    const res = await head.post(`/console/forums/${forumId}/cancel`, { _csrf: ConsoleClient.csrfIn(page.body) });
    expect(res.headers['location']).toContain('msg=forum-cancelled');
    await h.settle();
    expect(h.tg.sentTexts(5101).join('\n')).toContain('dibatalkan');
    expect(h.wa.sentTexts('6281222223333').join('\n')).toContain('dibatalkan');
    expect(await auditRows('forum.cancel')).toMatchObject([{ after: { status: 'cancelled', told: 2 } }]);
    const after = await head.get(`/console/forums/${forumId}`);
    expect(after.body).toContain('dibatalkan');
    expect(after.body).not.toContain('forum-edit');
    const edit = await head.post(`/console/forums/${forumId}`, { _csrf: ConsoleClient.csrfIn(page.body), ...FORM });
    expect(edit.statusCode).toBe(409);
  });
});
