/**
 * The staff console in a real browser (Playwright driving Debian's Chromium), against the real
 * app on FerretDB with the fake Telegram and WhatsApp servers. Complaints are filed through the
 * webhooks as residents file them; staff handle them on the web; what the reporters' fake
 * platforms receive is checked. Screenshots of the main pages go to test/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintModel } from '../../src/store/complaint-models.js';
import { auditModel } from '../../src/store/console-models.js';
import { openConsoleBrowser, type ConsoleBrowser } from '../support/browser.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, fileOnTelegram, fileOnWhatsApp, telegramStaff, toMondayMorning } from './complaints-support.js';
import { createAccount, PASSWORD } from './console-support.js';

const ANON_WA = '6281377778888';
const ANON_NAME = 'Budi Santoso'; // the WhatsApp profile name the payload builder sends
const NAMED_TG = 4101;
const SECRET_TG = 4103;

describe('Staff console in a browser', { timeout: 90_000 }, () => {
  let h: Harness;
  let b: ConsoleBrowser;
  let named: string;
  let anon: string;
  let secret: string;
  const doc = (ticketNo: string) => complaintModel(h.app.conn).findOne({ ticketNo }).lean();

  beforeAll(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
    toMondayMorning(h);
    named = await fileOnTelegram(h, NAMED_TG, { description: 'Lampu PJU di Jl. Kelud Raya mati sejak Jumat malam, gelap sekali.', category: 'pju' });
    anon = await fileOnWhatsApp(h, ANON_WA, { description: 'Tumpukan sampah di dekat pasar tidak diangkut seminggu.', category: 'sampah', identity: 'anonim' });
    secret = await fileOnTelegram(h, SECRET_TG, { description: 'Ada oknum meminta uang untuk pengurusan surat pindah.', category: 'pungli', identity: 'rahasia' });
    await createAccount(h, 'sri', 'staff', { name: 'Sri Wahyuni', link: 'telegram:-100500:9001' });
    await createAccount(h, 'dewi', 'senior', { name: 'Dewi Lestari' });
    await createAccount(h, 'kunci', 'staff', { name: 'Akun Kunci' });
    await createAccount(h, 'admin', 'admin', { name: 'Admin Kantor' });
    b = await openConsoleBrowser(h);
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  it('signs in and shows the queue, without confidential tickets for staff; the page has no inline script or style', async () => {
    await b.page.goto(`${b.base}/console/login`);
    await b.screenshot('login');
    await b.signIn('sri', PASSWORD);
    expect(new URL(b.page.url()).pathname).toBe('/console/complaints');
    const text = await b.page.locator('#results').innerText();
    expect(text).toContain(named);
    expect(text).toContain(anon);
    expect(text).not.toContain(secret);
    const htmlText = await b.page.content();
    expect(htmlText).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(htmlText).not.toMatch(/\sstyle="/);
    await b.screenshot('queue-desktop');
    await b.page.setViewportSize({ width: 390, height: 844 });
    await b.screenshot('queue-phone');
    await b.page.setViewportSize({ width: 1280, height: 900 });
  });

  it('filters the queue by category (htmx, counts shown) and searches by ticket number and by words', async () => {
    await b.page.goto(`${b.base}/console/complaints`);
    await expect.poll(() => b.page.locator('#f-category option[value="pju"]').innerText(), { timeout: 15_000 }).toBe('Penerangan jalan (1)');
    await b.page.selectOption('#f-category', 'pju');
    await b.page.waitForURL(/category=pju/);
    await expect.poll(() => b.page.locator('#results').innerText(), { timeout: 15_000 }).not.toContain(anon);
    expect(await b.page.locator('#results').innerText()).toContain(named);
    await b.page.goto(`${b.base}/console/complaints?q=${anon}`);
    let results = await b.page.locator('#results').innerText();
    expect(results).toContain(anon);
    expect(results).not.toContain(named);
    await b.page.goto(`${b.base}/console/complaints?q=${encodeURIComponent('lampu kelud')}`);
    results = await b.page.locator('#results').innerText();
    expect(results).toContain(named);
    expect(results).not.toContain(anon);
  });

  it("never puts an anonymous reporter's number or name in a page", async () => {
    await b.page.goto(`${b.base}/console/complaints`);
    const queue = await b.page.content();
    await b.page.goto(`${b.base}/console/complaints/${anon}`);
    const ticket = await b.page.content();
    for (const htmlText of [queue, ticket]) {
      expect(htmlText).not.toContain(ANON_WA);
      expect(htmlText).not.toContain(ANON_NAME);
    }
    expect(ticket).toContain('identitas disembunyikan');
    await b.screenshot('ticket-anonymous');
  });

  it('changes the status on the web: the WhatsApp reporter receives it; the history shows the linked staff member', async () => {
    h.wa.clear();
    await b.page.goto(`${b.base}/console/complaints/${anon}`);
    await b.page.selectOption('#to', 'diterima');
    await b.page.fill('#status-note', 'Sudah kami teruskan ke petugas kebersihan kelurahan.');
    await Promise.all([b.page.waitForURL(/msg=status-changed/), b.page.click('#actions form[action$="/status"] button')]);
    expect(await b.page.locator('.flash').first().innerText()).toContain('Status diubah');
    await h.settle();
    const got = h.wa.sentTexts(ANON_WA).join('\n');
    expect(got).toContain(`Kabar pengaduan Anda ${anon}`);
    expect(got).toContain('Catatan petugas: Sudah kami teruskan ke petugas kebersihan kelurahan.');
    const c = await doc(anon);
    expect(c?.status).toBe('diterima');
    expect(c?.history.at(-1)?.by).toMatchObject({ channel: 'telegram', userKey: '-100500:9001', name: 'Sri Wahyuni', account: 'sri' });
    // The same person then acts from the staff group in chat: one identity in the history.
    const chat = telegramStaff(h, 9001);
    await chat.tap(`complaint-staff:diproses:${anon}`);
    await chat.say('-');
    const [web, fromChat] = (await doc(anon))!.history.slice(-2);
    expect(fromChat?.status).toBe('diproses');
    expect({ channel: fromChat?.by?.channel, userKey: fromChat?.by?.userKey }).toEqual({ channel: web?.by?.channel, userKey: web?.by?.userKey });
  });

  it('replies to a Telegram reporter from the web; an internal note is kept on the ticket and never sent', async () => {
    h.tg.clear();
    await b.page.goto(`${b.base}/console/complaints/${named}`);
    await b.page.click('summary:has-text("Balas pelapor")');
    await b.page.fill('#message', 'Mohon kirim foto tiang lampu yang mati, Bapak/Ibu.');
    await Promise.all([b.page.waitForURL(/msg=reply-sent/), b.page.click('#actions form[action$="/reply"] button')]);
    await b.page.click('summary:has-text("Catatan internal")');
    await b.page.fill('#note', 'Cek dulu jadwal tim PJU minggu ini.');
    await Promise.all([b.page.waitForURL(/msg=note-added/), b.page.click('#actions form[action$="/note"] button')]);
    await h.settle();
    const got = h.tg.sentTexts(NAMED_TG).join('\n');
    expect(got).toContain('Mohon kirim foto tiang lampu yang mati');
    expect(got).not.toContain('jadwal tim PJU');
    const thread = await b.page.locator('.thread').innerText();
    expect(thread).toContain('Cek dulu jadwal tim PJU minggu ini.');
    expect(thread).toContain('catatan internal, tidak dikirim');
    await b.screenshot('ticket-named');
  });

  it('assigns a ticket to a colleague, then to oneself ("assigned to me" filter), and forwards it to an agency, telling the reporter', async () => {
    h.tg.clear();
    await b.page.goto(`${b.base}/console/complaints/${named}`);
    await b.page.click('summary:has-text("Tugaskan ke rekan")');
    await b.page.selectOption('#assignee', 'dewi');
    await Promise.all([b.page.waitForURL(/msg=assigned/), b.page.click('#actions details form[action$="/assign"] button')]);
    expect((await doc(named))?.assignee).toMatchObject({ account: 'dewi', name: 'Dewi Lestari' });
    await b.page.goto(`${b.base}/console/complaints/${named}`);
    await Promise.all([b.page.waitForURL(/msg=assigned/), b.page.click('button:has-text("Tugaskan ke saya")')]);
    expect((await doc(named))?.assignee).toMatchObject({ account: 'sri', name: 'Sri Wahyuni' });
    await b.page.goto(`${b.base}/console/complaints?mine=1`);
    const mine = await b.page.locator('#results').innerText();
    expect(mine).toContain(named);
    expect(mine).toContain('Sri Wahyuni');
    expect(mine).not.toContain(anon);
    await b.page.goto(`${b.base}/console/complaints/${named}`);
    await b.page.click('summary:has-text("Teruskan ke instansi")');
    await b.page.selectOption('#agency', 'pln');
    await b.page.fill('#agency-ref', 'PLN-778');
    await Promise.all([b.page.waitForURL(/msg=forwarded/), b.page.click('#actions form[action$="/forward"] button')]);
    await h.settle();
    expect(h.tg.sentTexts(NAMED_TG).join('\n')).toContain('Diteruskan ke instansi terkait');
    expect((await doc(named))?.forward).toMatchObject({ agencyId: 'pln', agencyRef: 'PLN-778' });
  });

  it('refuses a confidential ticket to staff (page and direct URL: 403) and opens it for senior staff', async () => {
    const res = await b.page.goto(`${b.base}/console/complaints/${secret}`);
    expect(res?.status()).toBe(403);
    expect(await b.page.content()).not.toContain('oknum meminta uang');
    await b.signIn('dewi', PASSWORD);
    const ok = await b.page.goto(`${b.base}/console/complaints/${secret}`);
    expect(ok?.status()).toBe(200);
    expect(await b.page.content()).toContain('oknum meminta uang');
    await b.page.goto(`${b.base}/console/complaints?identity=rahasia`);
    expect(await b.page.locator('#results').innerText()).toContain(secret);
  });

  it('refuses a POST without its CSRF token, even from a signed-in page', async () => {
    await b.page.goto(`${b.base}/console/complaints/${named}`);
    const status = await b.page.evaluate(async (url) => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'message=tanpa+token&key=00000000-0000-4000-8000-000000000000' });
      return r.status;
    }, `${b.base}/console/complaints/${named}/reply`);
    expect(status).toBe(403);
    await h.settle();
    expect(h.tg.sentTexts(NAMED_TG).join('\n')).not.toContain('tanpa token');
  });

  it('locks an account out after wrong passwords in the browser', async () => {
    await b.context.clearCookies();
    for (let i = 0; i < 5; i++) {
      await b.page.goto(`${b.base}/console/login`);
      await b.page.fill('#username', 'kunci');
      await b.page.fill('#password', 'bukan-kata-sandinya');
      await Promise.all([b.page.waitForLoadState('load'), b.page.click('button[type=submit]')]);
    }
    expect(await b.page.locator('.flash').innerText()).toContain('Akun dikunci');
    await b.page.fill('#password', PASSWORD);
    await Promise.all([b.page.waitForLoadState('load'), b.page.click('button[type=submit]')]);
    expect(await b.page.locator('.flash').innerText()).toContain('sedang dikunci');
    expect(new URL(b.page.url()).pathname).toBe('/console/login');
  });

  it('lets an admin add a colleague on the Akun page, linked to a staff chat contact', async () => {
    await b.signIn('admin', PASSWORD);
    await b.page.goto(`${b.base}/console/accounts`);
    await b.page.fill('#username', 'agus');
    await b.page.fill('#name', 'Agus Prasetyo');
    await b.page.selectOption('#role', 'head');
    await b.page.fill('#link', 'whatsapp:6281299990000');
    await b.page.fill('#password', 'sandi-agus-panjang');
    await Promise.all([b.page.waitForURL(/msg=account-created/), b.page.click('form[action="/console/accounts"] button')]);
    const table = await b.page.locator('table').innerText();
    expect(table).toContain('Agus Prasetyo');
    expect(table).toContain('whatsapp:6281299990000');
    await b.screenshot('accounts');
    await b.signIn('agus', 'sandi-agus-panjang');
    expect(await b.page.locator('header nav').innerText()).toContain('Log audit');
  });

  it('has written an audit row for every web action, with who, what, before and after', async () => {
    const rows = await auditModel(h.app.conn).find({ 'actor.account': 'sri', action: /^complaint\./ }).lean();
    const actions = rows.map((r) => `${r.action} ${r.target}`);
    expect(actions).toEqual(
      expect.arrayContaining([`complaint.status complaint:${anon}`, `complaint.reply complaint:${named}`, `complaint.note complaint:${named}`, `complaint.assign complaint:${named}`, `complaint.forward complaint:${named}`]),
    );
    const status = rows.find((r) => r.action === 'complaint.status')!;
    expect(status.before).toMatchObject({ status: 'baru' });
    expect(status.after).toMatchObject({ status: 'diterima' });
    expect((await auditModel(h.app.conn).find({ action: 'forbidden', target: `complaint:${secret}` }).lean()).length).toBeGreaterThan(0);
  });
});
