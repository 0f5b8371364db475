/**
 * Staff console, dashboard (`inject` against the real app on FerretDB): complaints filed through
 * the webhooks and handled by staff at known times, a rating, a forum with attendance and FAQ
 * questions give figures whose expected values are worked out by hand below; the page and its
 * CSVs show exactly those; staff (below head) may not see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/domain/complaints/access.js';
import { isComplaintsModule } from '../../src/features/complaints.js';
import { median } from '../../src/domain/complaints/stats.js';
import { auditModel } from '../../src/store/console-models.js';
import { weekKey, windowOf } from '../../src/http/console/dashboard-data.js';
import { tgText } from '../support/payloads/telegram.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, fileOnTelegram, fileOnWhatsApp, toMondayMorning } from './complaints-support.js';
import { ConsoleClient, createAccount } from './console-support.js';
import { createForum, forumsOf, HOUR } from './forums-support.js';

const STAFF: Viewer = { channel: 'telegram', userKey: '9001', chatId: '-100500', isStaff: true, name: 'Sri' };
/** The CSV body without its byte-order mark, as lines. */
const lines = (csv: string) => csv.replace(/^\uFEFF/, '').trim().split('\r\n');

describe('Staff console: dashboard', () => {
  let h: Harness;
  let head: ConsoleClient;
  let week = '';

  beforeAll(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
    toMondayMorning(h); // Monday 09:00 WIB: all of it happens in one week
    week = weekKey(h.clock.now(), 'Asia/Jakarta');
    const complaints = h.app.modules.find(isComplaintsModule)!;
    const a = await fileOnTelegram(h, 4201, { description: 'Lampu PJU di Jl. Kelud Raya mati sejak Jumat malam.', category: 'pju' });
    const b = await fileOnTelegram(h, 4202, { description: 'Lampu PJU di Jl. Papandayan padam dua hari.', category: 'pju', kelurahan: 'lempongsari' });
    await fileOnWhatsApp(h, '6281377770001', { description: 'Sampah di dekat pasar tidak diangkut seminggu.', category: 'sampah' });
    const at = () => h.clock.now();
    // a: accepted after 2 h, done after 6 h; b: done after 4 h (first response = close). The third stays open.
    h.clock.advance(2 * HOUR);
    expect((await complaints.service.changeStatus(a, 'diterima', STAFF, undefined, 'dash-a1', at())).kind).toBe('changed');
    h.clock.advance(2 * HOUR);
    expect((await complaints.service.changeStatus(b, 'selesai', STAFF, 'Lampu sudah diganti.', 'dash-b1', at())).kind).toBe('changed');
    h.clock.advance(2 * HOUR);
    expect((await complaints.service.changeStatus(a, 'selesai', STAFF, 'Sudah menyala.', 'dash-a2', at())).kind).toBe('changed');
    expect((await complaints.service.rate(a, { channel: 'telegram', userKey: '4201', chatId: '4201', isStaff: false }, 5, at())).kind).toBe('rated');
    // A forum that took place this week: 2 registered, 1 present.
    const forum = await createForum(h, { startAt: new Date(at().getTime() + HOUR), registrationDeadline: new Date(at().getTime() + HOUR), capacity: 10 });
    const fs = forumsOf(h.app).services;
    for (const [userKey, name] of [['4301', 'Ani'], ['4302', 'Bayu']] as const) {
      const r = await fs.registrations.signUp({ forumId: String(forum._id), channel: 'telegram', userKey, name, kelurahan: 'Sampangan', lang: 'id', waitlist: false }, at());
      expect(r.kind).toBe('registered');
    }
    expect((await fs.forums.markAttendance(forum._id, 'Ani', at())).kind).toBe('marked');
    h.clock.advance(3 * HOUR);
    // One FAQ question asked through the webhook (answered).
    expect((await h.postTelegram(tgText({ userId: 4401, text: 'berapa batas usia maksimal daftar cpns?' }))).statusCode).toBe(200);
    await h.settle();
    await createAccount(h, 'kepala', 'head', { name: 'Bu Kepala' });
    await createAccount(h, 'sri', 'staff', { name: 'Sri Wahyuni' });
    head = new ConsoleClient(h);
    await head.signIn('kepala');
  }, 180_000);
  afterAll(async () => h?.close());

  it('is for the head of office and admin only', async () => {
    const sri = new ConsoleClient(h);
    await sri.signIn('sri');
    expect((await sri.get('/console/dashboard')).statusCode).toBe(403);
    expect((await sri.get('/console/dashboard/summary.csv')).statusCode).toBe(403);
    expect((await sri.get('/console/complaints')).body).not.toContain('/console/dashboard');
  });

  it('shows the headline figures and one chart canvas per chart, with its data for the script', async () => {
    const res = await head.get('/console/dashboard');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<dt>Pengaduan masuk</dt><dd>3</dd>');
    expect(res.body).toContain('<dt>Ditutup dalam target</dt><dd>100% (2 dari 2)</dd>');
    expect(res.body).toContain(`<dt>Median waktu tanggapan pertama</dt><dd>${median([2, 4])!.toFixed(1)} jam</dd>`);
    expect(res.body).toContain('<dt>Median waktu sampai ditutup</dt><dd>5.0 jam</dd>');
    expect(res.body).toContain('<dt>Rata-rata penilaian</dt><dd>5.0 dari 5 (1 penilaian)</dd>');
    expect(res.body).toContain('<dt>Kehadiran forum</dt><dd>50% (1 dari 2 terdaftar)</dd>');
    expect(res.body).toContain('<dt>Pertanyaan diajukan</dt><dd>1</dd>');
    for (const id of ['complaints-category', 'complaints-kelurahan', 'complaints-ratings', 'complaints-assignee', 'forums', 'questions']) {
      expect(res.body).toMatch(new RegExp(`<canvas id="chart-${id}" data-chart="[^"]+"`));
    }
    expect(res.body).toContain('<script src="/console/assets/chart.umd.min.js" defer></script>');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const js = await head.get('/console/assets/chart.umd.min.js');
    expect(js.statusCode).toBe(200);
    expect(js.body).toContain('Chart');
  });

  it('offers each chart\'s numbers as CSV, audited', async () => {
    const weeks = windowOf(h.clock.now(), 8, 'Asia/Jakarta').weeks;
    expect(weeks.at(-1)).toBe(week);
    const cat = lines((await head.get('/console/dashboard/complaints-category.csv?weeks=8')).body);
    expect(cat[0]).toBe('"minggu (Senin)","Penerangan jalan","Kebersihan & sampah"');
    expect(cat).toHaveLength(9);
    expect(cat.at(-1)).toBe(`"${week}","2","1"`);
    expect(cat[1]).toBe(`"${weeks[0]}","0","0"`);
    const kel = lines((await head.get('/console/dashboard/complaints-kelurahan.csv')).body);
    expect(kel[0]).toBe('"minggu (Senin)","Lempongsari","Petompon"');
    expect(kel.at(-1)).toBe(`"${week}","2","1"`);
    const assignee = lines((await head.get('/console/dashboard/complaints-assignee.csv')).body);
    expect(assignee).toEqual(['"petugas","terbuka"', '"Belum ditugaskan","1"']);
    const ratings = lines((await head.get('/console/dashboard/complaints-ratings.csv')).body);
    expect(ratings.at(-1)).toBe('"5","1"');
    const forums = lines((await head.get('/console/dashboard/forums.csv')).body);
    expect(forums.at(-1)).toBe(`"${week}","1","2","1"`);
    const questions = lines((await head.get('/console/dashboard/questions.csv')).body);
    expect(questions.at(-1)).toBe(`"${week}","1","0","0"`);
    const summary = lines((await head.get('/console/dashboard/summary.csv')).body);
    expect(summary).toContain('"Ditutup dalam target","100% (2 dari 2)"');
    expect((await head.get('/console/dashboard/nothing.csv')).statusCode).toBe(404);
    expect((await auditModel(h.app.conn).find({ action: 'dashboard.export' }).lean()).length).toBe(7);
  });
});
