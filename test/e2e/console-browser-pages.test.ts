/**
 * Forums, questions and the dashboard of the staff console in a real browser (Playwright driving
 * Debian's Chromium) against the real app on FerretDB with the fake Telegram and WhatsApp
 * servers: residents act through the webhooks, staff on the web; screenshots go to test/artifacts/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekKey } from '../../src/http/console/dashboard-data.js';
import { openConsoleBrowser, type ConsoleBrowser } from '../support/browser.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { createAccount, PASSWORD } from './console-support.js';
import { forumsOf, setClock, telegramUser, whatsappUser } from './forums-support.js';

const TITLE = 'Forum Warga Bendungan: Taman Kota';
const QUESTION = 'bolehkah membawa kucing ke lokasi tes?';

describe('Staff console in a browser: forums, questions, dashboard', () => {
  let h: Harness;
  let b: ConsoleBrowser;
  let forumId = '';

  beforeAll(async () => {
    h = await startHarness();
    setClock(h, '2026-12-01T02:00:00Z'); // Tuesday 1 December 2026, 09:00 WIB
    await createAccount(h, 'kepala', 'head', { name: 'Bu Kepala' });
    await createAccount(h, 'sri', 'staff', { name: 'Sri Wahyuni' });
    b = await openConsoleBrowser(h);
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  it('the head of office creates a forum, which appears in the list', async () => {
    await b.signIn('kepala', PASSWORD);
    await b.page.goto(`${b.base}/console/forums`);
    await b.page.click('a[href="/console/forums/new"]');
    await b.page.fill('#f-title', TITLE);
    await b.page.fill('#f-topic', 'Rencana taman kota di bantaran sungai');
    await b.page.selectOption('#f-kelurahan', 'Bendungan');
    await b.page.fill('#f-venue', 'Balai Kelurahan Bendungan');
    await b.page.fill('#f-date', '2026-12-10');
    await b.page.fill('#f-time', '09:00');
    await b.page.fill('#f-capacity', '20');
    await b.screenshot('forum-new');
    await Promise.all([b.page.waitForURL(/\/console\/forums\/[0-9a-f]{24}\?msg=forum-created/), b.page.click('#forum-form button[type=submit]')]);
    forumId = new URL(b.page.url()).pathname.split('/').pop()!;
    await b.page.goto(`${b.base}/console/forums`);
    expect(await b.page.locator('#forums').innerText()).toContain(TITLE);
    await b.screenshot('forum-list');
  });

  it('moving it tells the registrant on Telegram', async () => {
    const budi = telegramUser(h, 5301, 'Budi');
    await budi.tap(`forum:f:${forumId}`);
    await budi.tap(`forum:join:${forumId}`);
    await budi.say('Budi Santoso');
    await budi.say('bendungan');
    await budi.tap('forum:phone:skip');
    expect(budi.lastText()).toMatch(/Kode pendaftaran Anda: FW-/);
    await b.page.goto(`${b.base}/console/forums/${forumId}`);
    await b.page.click('#forum-edit');
    await b.page.fill('#f-date', '2026-12-11');
    await b.page.fill('#f-time', '13:00');
    await Promise.all([b.page.waitForURL(/msg=forum-moved/), b.page.click('#forum-form button[type=submit]')]);
    expect(await b.page.locator('#forum-when').innerText()).toContain('Jumat, 11 Desember 2026 pukul 13.00 WIB');
    await h.settle();
    expect(budi.texts().join('\n')).toContain('dipindah jadwalnya');
  });

  it('staff check the registrant in by tapping the name', async () => {
    await b.signIn('sri', PASSWORD);
    await b.page.goto(`${b.base}/console/forums/${forumId}`);
    expect(await b.page.locator('#forum-edit').count()).toBe(0);
    await Promise.all([b.page.waitForLoadState('load'), b.page.click('#registered button:has-text("Hadir")')]);
    await expect.poll(() => b.page.locator('.flash').innerText()).toContain('Budi Santoso');
    expect(await b.page.locator('#forum-counts').innerText()).toContain('1 hadir');
    await b.screenshot('forum-checkin');
    const reg = await forumsOf(h.app).models.registrations.findOne({ contactKey: 'telegram:5301' }).lean();
    expect(reg?.attendedAt).toBeInstanceOf(Date);
  });

  it('an unanswered question answered on the web becomes an entry the bot answers with', async () => {
    const sari = whatsappUser(h, '6281333300001');
    await sari.say(QUESTION);
    expect(sari.texts().join('\n')).toContain('di luar');
    await b.page.goto(`${b.base}/console/questions/unanswered`);
    await b.page.click('#resolve-entry-0 >> xpath=.. >> summary');
    await b.page.fill('#resolve-entry-0 textarea[name=answer]', 'Tidak boleh. Hewan peliharaan tidak diizinkan masuk ke lokasi tes CAT BKN.');
    await b.page.fill('#resolve-entry-0 input[name=source]', 'Tata tertib peserta CAT BKN');
    await Promise.all([b.page.waitForURL(/msg=question-resolved/), b.page.click('#resolve-entry-0 button[type=submit]')]);
    expect(await b.page.locator('#resolved').innerText()).toContain(QUESTION);
    await b.screenshot('questions-unanswered');
    const wati = whatsappUser(h, '6281333300002', 'Wati');
    await wati.say(QUESTION);
    const answer = wati.texts().join('\n');
    expect(answer).toContain('Hewan peliharaan tidak diizinkan');
    expect(answer).toContain('Tata tertib peserta CAT BKN');
  });

  it('the dashboard draws its charts, and a chart\'s CSV downloads with the numbers', async () => {
    await b.signIn('kepala', PASSWORD);
    await b.page.goto(`${b.base}/console/dashboard`);
    await b.page.waitForSelector('canvas#chart-questions[data-drawn="1"]');
    expect(await b.page.locator('canvas[data-chart]').count()).toBe(await b.page.locator('canvas[data-drawn="1"]').count());
    await b.screenshot('dashboard');
    const [download] = await Promise.all([b.page.waitForEvent('download'), b.page.click('#csv-questions')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toBe('"minggu (Senin)","terjawab","perlu pilihan","tidak terjawab"');
    // This week: Sari's question (not answered), then Wati's (answered by the new entry).
    expect(csv.at(-1)).toBe(`"${weekKey(h.clock.now(), 'Asia/Jakarta')}","1","0","1"`);
  });
});
