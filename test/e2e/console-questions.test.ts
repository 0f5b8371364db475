/**
 * Staff console, questions (`inject` against the real app on FerretDB): residents ask through the
 * webhooks; what the bot cannot answer is grouped and counted on the console; staff answer it once
 * and the bot answers the next resident with it; knowledge-base entries are searched and edited
 * (answer, source, round), audited; forwarded questions are listed without the asker's number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModel } from '../../src/store/console-models.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { tgText } from '../support/payloads/telegram.js';
import { waButtonReply, waText, waWebhook } from '../support/payloads/whatsapp.js';
import { ConsoleClient, createAccount } from './console-support.js';

const QUESTION = 'apakah pelamar harus bisa berenang?';
const ANSWER = 'Tidak. Kemampuan berenang bukan syarat umum CPNS; periksa syarat khusus jabatan pada pengumuman instansi.';

describe('Staff console: questions', () => {
  let h: Harness;
  let sri: ConsoleClient;
  let dewi: ConsoleClient;
  const auditRows = (action: string) => auditModel(h.app.conn).find({ action }).lean();
  const askWa = async (from: string, text: string) => {
    expect((await h.postWhatsApp(waWebhook(waText({ from, text })))).statusCode).toBe(200);
    await h.settle();
  };
  let tgUpdate = 900;
  const askTg = async (userId: number, text: string) => {
    expect((await h.postTelegram(tgText({ userId, text, updateId: ++tgUpdate }))).statusCode).toBe(200);
    await h.settle();
  };

  beforeAll(async () => {
    h = await startHarness();
    await createAccount(h, 'sri', 'staff', { name: 'Sri Wahyuni' });
    await createAccount(h, 'dewi', 'staff', { name: 'Dewi Lestari' });
    sri = new ConsoleClient(h);
    dewi = new ConsoleClient(h);
    await sri.signIn('sri');
    await dewi.signIn('dewi');
  });
  afterAll(async () => h?.close());

  it('groups the questions the bot could not answer by normalised text and counts them', async () => {
    await askWa('6281500000011', QUESTION);
    await askTg(6011, 'Apakah pelamar HARUS bisa berenang');
    const asked = await h.app.conn.collection('faq_asked').find().toArray();
    expect(asked.map((a) => a['outcome'])).toEqual(['unanswered', 'unanswered']);
    const page = await sri.get('/console/questions/unanswered');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Belum dijawab (1)');
    expect(page.body).toContain(QUESTION);
    expect(page.body).toContain('Ditanyakan 2×');
  });

  it('refuses an answer without the CSRF token, then turns the question into an entry exactly once', async () => {
    const page = await sri.get('/console/questions/unanswered');
    const key = /name="key" value="([^"]+)"/.exec(page.body)![1]!;
    expect((await sri.post('/console/questions/unanswered/resolve', { key, kind: 'entry', answer: ANSWER, source: 'Pengumuman instansi' })).statusCode).toBe(403);
    const short = await sri.post('/console/questions/unanswered/resolve', { _csrf: ConsoleClient.csrfIn(page.body), key, kind: 'entry', answer: 'Ada.', source: 'x' });
    expect(short.statusCode).toBe(422);
    const other = await dewi.get('/console/questions/unanswered');
    const [first, second] = await Promise.all([
      sri.post('/console/questions/unanswered/resolve', { _csrf: ConsoleClient.csrfIn(page.body), key, kind: 'entry', answer: ANSWER, source: 'Pengumuman instansi 2026' }),
      dewi.post('/console/questions/unanswered/resolve', { _csrf: ConsoleClient.csrfIn(other.body), key, kind: 'phrasing', entryId: 'cpns-usia' }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([303, 409]);
    const staffEntries = await h.app.conn.collection('faq_entries').find({ origin: 'staff' }).toArray();
    const usia = await h.app.conn.collection('faq_entries').findOne({ id: 'cpns-usia' });
    // Exactly one of the two acted.
    expect(staffEntries.length + ((usia?.['questions'] as { id: string[] }).id.includes(QUESTION) ? 1 : 0)).toBe(1);
    expect(await auditRows('faq.resolve')).toHaveLength(1);
    const after = await sri.get('/console/questions/unanswered');
    expect(after.body).toContain('Belum dijawab (0)');
    expect(after.body).toContain('Sudah dijawab (1)');
  });

  it('answers the next resident who asks it, through the webhook', async () => {
    const resolution = await h.app.conn.collection('faq_unanswered_resolved').findOne({});
    h.wa.clear();
    await askWa('6281500000012', QUESTION);
    const reply = h.wa.sentTexts('6281500000012').join('\n');
    if (resolution?.['kind'] === 'entry') {
      expect(reply).toContain('Kemampuan berenang bukan syarat umum CPNS');
      expect(reply).toContain('Pengumuman instansi 2026');
    } else {
      expect(reply).toContain('Sumber:'); // the phrasing now leads to the chosen entry
    }
    expect((await h.app.conn.collection('faq_asked').find({ outcome: 'answered' }).toArray()).length).toBe(1);
  });

  it('searches the knowledge base and edits an entry (answer, source, round), audited; the bot uses the edit', async () => {
    const list = await sri.get('/console/questions?q=usia');
    expect(list.body).toContain('/console/questions/entry/cpns-usia');
    expect(list.body).not.toContain('/console/questions/entry/umum-biaya');
    const page = await sri.get('/console/questions/entry/cpns-usia');
    expect(page.statusCode).toBe(200);
    const csrf = ConsoleClient.csrfIn(page.body);
    const bad = await sri.post('/console/questions/entry/cpns-usia', { _csrf: csrf, answerId: 'pendek', answerEn: 'short', source: 'PermenPANRB', appliesToId: 'seleksi CPNS 2026', appliesToEn: 'the 2026 CPNS selection', year: '2026' });
    expect(bad.statusCode).toBe(422);
    const answerId = 'Usia minimal 18 tahun dan maksimal 35 tahun saat melamar (contoh jawaban yang diubah dari konsol).';
    const ok = await sri.post('/console/questions/entry/cpns-usia', { _csrf: csrf, answerId, answerEn: 'At least 18 and at most 35 years old when applying.', source: 'PermenPANRB Nomor 6 Tahun 2026', appliesToId: 'seleksi CPNS 2026', appliesToEn: 'the 2026 CPNS selection', year: '2026' });
    expect(ok.statusCode).toBe(303);
    const [row] = await auditRows('faq.edit');
    expect(row).toMatchObject({ actor: { account: 'sri' }, target: 'faq:cpns-usia', after: { source: 'PermenPANRB Nomor 6 Tahun 2026', year: 2026, appliesTo: { id: 'seleksi CPNS 2026' } } });
    expect((row?.before as { source: string }).source).not.toBe('PermenPANRB Nomor 6 Tahun 2026');
    await askTg(6012, 'berapa batas usia maksimal daftar cpns?');
    const reply = h.tg.sentTexts(6012).join('\n');
    expect(reply).toContain('contoh jawaban yang diubah dari konsol');
    expect(reply).toContain('PermenPANRB Nomor 6 Tahun 2026');
  });

  it('lists questions forwarded to staff, without the asker\'s number', async () => {
    await askWa('6281500000013', 'bolehkah membawa kucing ke lokasi tes?');
    expect((await h.postWhatsApp(waWebhook(waButtonReply({ from: '6281500000013', replyId: 'faq:fwd', title: 'Tanya petugas' })))).statusCode).toBe(200);
    await h.settle();
    const page = await sri.get('/console/questions/forwarded');
    expect(page.body).toContain('bolehkah membawa kucing ke lokasi tes?');
    expect(page.body).toContain('terbuka');
    expect(page.body).not.toContain('6281500000013');
  });
});
