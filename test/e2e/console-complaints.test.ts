/**
 * Staff console complaint pages over HTTP (`inject`): photos from GridFS only through the console
 * and only for who may see the ticket; location; confidential tickets refused to staff on every
 * URL; the queue's counts, overdue-first order, date range and pages; a form sent twice acts once.
 */
import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintModel, type ComplaintRow as ComplaintDoc } from '../../src/store/complaint-models.js';
import { auditModel } from '../../src/store/console-models.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, fileOnTelegram, telegramUser, ticketIn, toMondayMorning } from './complaints-support.js';
import { ConsoleClient, createAccount } from './console-support.js';

const PHOTO = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes of a broken street light', 'latin1');
const DAY = 86_400_000;

describe('Staff console complaint pages', () => {
  let h: Harness;
  let withPhoto: string;
  let secret: string;
  let staff: ConsoleClient;
  let senior: ConsoleClient;
  const complaints = () => complaintModel(h.app.conn);

  beforeAll(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
    toMondayMorning(h);
    h.tg.addFile('tg-photo-console', PHOTO);
    const u = telegramUser(h, 5001, 'Sari');
    await u.tap('m:complaint');
    await u.tap('complaint:cat:pju');
    await u.tap('complaint:kel:sampangan');
    await u.location(-7.0241, 110.3957);
    await u.say('Lampu jalan di depan SD Sampangan mati, tiangnya miring hampir roboh.');
    await u.photo('tg-photo-console', PHOTO.length);
    await u.tap('complaint:photo:next');
    await u.tap('complaint:id:named');
    await u.tap('complaint:phone:skip');
    await u.tap('complaint:submit');
    withPhoto = ticketIn(u.last());
    secret = await fileOnTelegram(h, 5002, { description: 'Petugas loket meminta imbalan untuk mempercepat KTP.', category: 'pungli', identity: 'rahasia' });
    await createAccount(h, 'sri', 'staff', { name: 'Sri Wahyuni' });
    await createAccount(h, 'dewi', 'senior', { name: 'Dewi Lestari' });
    await createAccount(h, 'admin', 'admin', { name: 'Admin' });
    staff = new ConsoleClient(h);
    await staff.signIn('sri');
    senior = new ConsoleClient(h);
    await senior.signIn('dewi');
  }, 120_000);
  afterAll(async () => h.close());

  it('shows the location with coordinates and a map link, and serves the photo from GridFS through the console only', async () => {
    const page = await staff.get(`/console/complaints/${withPhoto}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('-7.024100, 110.395700');
    expect(page.body).toContain('https://maps.google.com/?q=-7.024100,110.395700');
    const c = (await complaints().findOne({ ticketNo: withPhoto }).lean())!;
    const url = `/console/complaints/${withPhoto}/photos/${String(c.photos[0]!.fileId)}`;
    expect(page.body).toContain(`src="${url}"`);
    expect(page.body).not.toContain('api.telegram.org');
    const photo = await staff.getBytes(url);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.body.equals(PHOTO)).toBe(true);
    const stranger = await new ConsoleClient(h).get(url);
    expect(stranger.statusCode).toBe(303);
    expect(String(stranger.headers['location'])).toContain('/console/login');
    expect((await staff.get(`/console/complaints/${withPhoto}/photos/${new Types.ObjectId().toHexString()}`)).statusCode).toBe(404);
  });

  it('refuses a confidential ticket to staff on the page, its action URLs, and to the admin role; senior staff act on it', async () => {
    expect((await staff.get(`/console/complaints/${secret}`)).statusCode).toBe(403);
    const page = await senior.get(`/console/complaints/${secret}`);
    expect(page.statusCode).toBe(200);
    const key = /name="key" value="([^"]+)"/.exec(page.body)![1]!;
    const csrf = ConsoleClient.csrfIn((await staff.get('/console/complaints')).body);
    const refused = await staff.post(`/console/complaints/${secret}/status`, { _csrf: csrf, key, to: 'diterima', note: '' });
    expect(refused.statusCode).toBe(403);
    expect((await complaints().findOne({ ticketNo: secret }).lean())?.status).toBe('baru');
    const admin = new ConsoleClient(h);
    await admin.signIn('admin');
    expect((await admin.get(`/console/complaints/${secret}`)).statusCode).toBe(403);
    const ok = await senior.post(`/console/complaints/${secret}/status`, { _csrf: ConsoleClient.csrfIn(page.body), key, to: 'diterima', note: 'Kami tangani.' });
    expect(ok.statusCode).toBe(303);
    expect((await complaints().findOne({ ticketNo: secret }).lean())?.status).toBe('diterima');
  });

  it('exports the CSV of the chat\'s /ekspor for a date range, confidential tickets only for senior staff, and audits it', async () => {
    const day = DateTime.fromJSDate(h.clock.now()).setZone('Asia/Jakarta').toISODate()!;
    const csv = await staff.getBytes(`/console/complaints.csv?from=${day}&to=${day}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(csv.headers['content-disposition'])).toContain(`pengaduan-${day}-`);
    const text = csv.body.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain(withPhoto);
    expect(text).not.toContain(secret);
    expect((await senior.getBytes(`/console/complaints.csv?from=${day}&to=${day}`)).body.toString('utf8')).toContain(secret);
    const rows = await auditModel(h.app.conn).find({ action: 'complaint.export', 'actor.account': 'sri' }).lean();
    expect(rows[0]?.after).toMatchObject({ rows: 1 });
  });

  it('acts once when the same form is sent twice (its one-time key is the domain idempotency key)', async () => {
    const page = await staff.get(`/console/complaints/${withPhoto}`);
    const form = { _csrf: ConsoleClient.csrfIn(page.body), key: /action="[^"]+\/note">[\s\S]*?name="key" value="([^"]+)"/.exec(page.body)![1]!, note: 'Sekali saja.' };
    await staff.post(`/console/complaints/${withPhoto}/note`, form);
    await staff.post(`/console/complaints/${withPhoto}/note`, form);
    const c = await complaints().findOne({ ticketNo: withPhoto }).lean();
    expect(c?.thread.filter((t) => t.text === 'Sekali saja.')).toHaveLength(1);
  });

  describe('the queue', () => {
    beforeAll(async () => {
      // 30 more tickets written straight to the collection: the queue is a read of it.
      const base = (await complaints().findOne({ ticketNo: withPhoto }).lean<ComplaintDoc>())!;
      const now = h.clock.now().getTime();
      const docs = Array.from({ length: 30 }, (_, i) => {
        const createdAt = new Date(now - (i + 1) * DAY);
        return {
          ...base,
          _id: new Types.ObjectId(),
          ticketNo: `GJM-2026-${String(900 + i).padStart(5, '0')}`,
          submitKey: `seed-${i}`,
          kelurahan: i % 2 ? 'lempongsari' : 'petompon',
          category: i % 3 ? 'jalan' : 'sampah',
          status: i < 3 ? ('selesai' as const) : ('baru' as const),
          // Three open ones are past their response target; the rest are not yet.
          responseDueAt: new Date(i >= 3 && i < 6 ? now - DAY : now + 3 * DAY),
          escalatedResponseAt: i === 3 ? new Date(now) : null,
          photos: [],
          thread: [],
          history: [{ status: 'baru' as const, at: createdAt, key: `seed-${i}` }],
          createdAt,
          updatedAt: createdAt,
        };
      });
      await complaints().insertMany(docs);
    });

    it('lists overdue tickets first, counts each filter value, and pages by 25', async () => {
      const p1 = await staff.get('/console/complaints');
      const order = [...p1.body.matchAll(/<td><a href="\/console\/complaints\/(GJM-[\d-]+)">/g)].map((m) => m[1]);
      expect(order.slice(0, 3).sort()).toEqual(['GJM-2026-00903', 'GJM-2026-00904', 'GJM-2026-00905']);
      expect(order).toHaveLength(25);
      expect(p1.body).toContain('Terlambat saja (3)');
      // 27 open seeded + the photo ticket; the confidential one is not counted for staff.
      expect(p1.body).toContain('28 tiket · halaman 1 dari 2');
      expect(p1.body).toContain('<option value="sampah">Kebersihan &amp; sampah (9)</option>');
      expect(p1.body).not.toContain(secret);
      const p2 = await staff.get('/console/complaints?page=2');
      expect([...p2.body.matchAll(/<td><a href="\/console\/complaints\/(GJM-[\d-]+)">/g)]).toHaveLength(3);
      const late = await staff.get('/console/complaints?overdue=1');
      expect(late.body).toContain('3 tiket');
    });

    it('gives the head of office the escalated tickets; the filter means nothing for staff', async () => {
      await createAccount(h, 'kepala', 'head', { name: 'Kepala Kantor' });
      const head = new ConsoleClient(h);
      await head.signIn('kepala');
      const res = await head.get('/console/complaints?escalated=1');
      expect(res.body).toContain('Eskalasi ke kepala kantor (1)');
      expect([...res.body.matchAll(/<td><a href="\/console\/complaints\/(GJM-[\d-]+)">/g)].map((m) => m[1])).toEqual(['GJM-2026-00903']);
      const asStaff = await staff.get('/console/complaints?escalated=1');
      expect(asStaff.body).not.toContain('Eskalasi ke kepala kantor');
      expect(asStaff.body).toContain('28 tiket');
    });

    it('filters by kelurahan, status and date range (WIB days)', async () => {
      const from = new Date(h.clock.now().getTime() - 5 * DAY + 3_600_000).toISOString().slice(0, 10);
      const res = await staff.get(`/console/complaints?status=all&kelurahan=petompon&from=${from}`);
      const tickets = [...res.body.matchAll(/<td><a href="\/console\/complaints\/(GJM-[\d-]+)">/g)].map((m) => m[1]);
      expect(tickets.length).toBeGreaterThan(0);
      const docs = await complaints().find({ ticketNo: { $in: tickets } }).lean();
      expect(docs.every((d) => d.kelurahan === 'petompon')).toBe(true);
      const start = DateTime.fromISO(from, { zone: 'Asia/Jakarta' }).toJSDate();
      expect(docs.every((d) => new Date(d.createdAt) >= start)).toBe(true);
      const older = await complaints().countDocuments({ kelurahan: 'petompon', createdAt: { $lt: start } });
      expect(older).toBeGreaterThan(0);
      const done = await staff.get('/console/complaints?status=selesai');
      expect(done.body).toContain('3 tiket');
    });
  });

  it("forwards to an agency and records the agency's answer, closing the ticket; the Telegram reporter hears of both", async () => {
    h.tg.clear();
    const keyOf = (body: string, action: string) => new RegExp(`action="[^"]+/${action}">[\\s\\S]*?name="key" value="([^"]+)"`).exec(body)![1]!;
    let page = await staff.get(`/console/complaints/${withPhoto}`);
    let res = await staff.post(`/console/complaints/${withPhoto}/forward`, { _csrf: ConsoleClient.csrfIn(page.body), key: keyOf(page.body, 'forward'), agency: 'pln', ref: 'PLN-12', note: '' });
    expect(res.headers['location']).toContain('msg=forwarded');
    page = await staff.get(`/console/complaints/${withPhoto}`);
    expect(page.body).toContain('Jawaban instansi');
    res = await staff.post(`/console/complaints/${withPhoto}/agency-answer`, { _csrf: ConsoleClient.csrfIn(page.body), key: keyOf(page.body, 'agency-answer'), answer: 'Tiang sudah diganti PLN.', then: 'selesai' });
    expect(res.headers['location']).toContain('msg=agency-answer');
    await h.settle();
    const got = h.tg.sentTexts(5001).join('\n');
    expect(got).toContain('Diteruskan ke instansi terkait');
    expect(got).toContain('Tiang sudah diganti PLN.');
    expect((await complaints().findOne({ ticketNo: withPhoto }).lean())?.status).toBe('selesai');
  });
});
