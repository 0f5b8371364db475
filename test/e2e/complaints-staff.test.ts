import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DateTime } from 'luxon';
import { complaintModel } from '../../src/store/complaint-models.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { waListReply, waText, waWebhook } from '../support/payloads/whatsapp.js';
import {
  COMPLAINT_ENV,
  fileOnTelegram,
  fileOnWhatsApp,
  HEAD_CHAT,
  STAFF_GROUP,
  STAFF_WA,
  telegramStaff,
  telegramUser,
  toMondayMorning,
  whatsappUser,
} from './complaints-support.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** WhatsApp paces messages to one person (about one per 6 s after a burst), and the specs wait for delivery. */
const WHATSAPP_PACED = { timeout: 120_000 };

type Template = { name: string; language: { code: string }; components?: Array<{ type: string; parameters: Array<{ type: string; text: string }> }> };

describe('Complaints handled by staff, end to end', () => {
  let h: Harness;
  let monday: DateTime;
  const complaints = () => complaintModel(h.app.conn);

  beforeAll(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
    monday = toMondayMorning(h);
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  it('posts a new complaint to the staff group and the staff WhatsApp number with the action buttons', async () => {
    const ticket = await fileOnTelegram(h, 3001, { description: 'Saluran air di depan rumah tersumbat sampah, air meluap ke jalan saat hujan.', category: 'drainase' });
    const alert = h.tg.sentTexts(STAFF_GROUP).find((t) => t.includes(`Pengaduan baru ${ticket}`));
    expect(alert).toContain('Drainase & banjir');
    const wa = h.wa.sentTo(STAFF_WA).find((m) => m.type === 'interactive');
    const rows = (wa?.body['interactive'] as { action: { sections: Array<{ rows: Array<{ id: string; title: string }> }> } }).action.sections[0]!.rows;
    expect(rows.map((r) => r.title)).toEqual(['Terima', 'Proses', 'Selesai', 'Tolak', 'Teruskan ke instansi', 'Balas pelapor', 'Catatan internal']);
    expect(rows[0]!.id).toBe(`complaint-staff:diterima:${ticket}`);
  });

  it('changes the status with a short note and tells a Telegram reporter, who then rates the handling', async () => {
    const ticket = await fileOnTelegram(h, 3002, { description: 'Lampu PJU di tikungan Jl. Sisingamangaraja mati sejak Jumat.', category: 'pju' });
    const reporter = telegramUser(h, 3002);
    const staff = telegramStaff(h, 9001);
    await staff.tap(`complaint-staff:diterima:${ticket}`);
    expect(staff.last()).toContain('Tulis catatan singkat');
    await staff.say('Sudah diteruskan ke Dinas Perhubungan');
    expect(staff.last()).toContain(`${ticket} sekarang "Diterima"`);
    expect(staff.last()).toContain('Pelapor sudah diberi tahu');
    expect(reporter.last()).toContain(`Kabar pengaduan Anda ${ticket}`);
    expect(reporter.last()).toContain('Status: Diterima');
    expect(reporter.last()).toContain('Catatan petugas: Sudah diteruskan ke Dinas Perhubungan');

    await staff.tap(`complaint-staff:selesai:${ticket}`);
    await staff.say('Lampu sudah diganti petugas Dishub');
    expect(reporter.texts().join('\n')).toContain('Status: Selesai');
    expect(reporter.buttons()).toContain(`complaint-rating:${ticket}:4`);

    // A finished ticket cannot change any more.
    await staff.tap(`complaint-staff:ditolak:${ticket}`);
    expect(staff.last()).toContain('sudah berstatus "Selesai"');

    await reporter.tap(`complaint-rating:${ticket}:4`);
    expect(reporter.last()).toContain('komentar');
    await reporter.say('Cepat ditangani, terima kasih!');
    expect(reporter.texts().at(-2)).toContain('Terima kasih');
    // Then the satisfaction survey is offered (issue #14; test/e2e/ikm.test.ts).
    expect(reporter.last()).toContain('Survei Kepuasan Masyarakat');
    const saved = await complaints().findOne({ ticketNo: ticket }).lean();
    expect(saved?.status).toBe('selesai');
    expect(saved?.rating).toMatchObject({ score: 4, comment: 'Cepat ditangani, terima kasih!' });
    expect(saved?.history.map((e) => e.status)).toEqual(['baru', 'diterima', 'selesai']);
    expect(saved?.history[1]).toMatchObject({ note: 'Sudah diteruskan ke Dinas Perhubungan', by: { name: 'Sri' } });

    await reporter.say(`cek ${ticket}`);
    expect(reporter.last()).toContain('Riwayat:');
    expect(reporter.last()).toContain('Diterima: "Sudah diteruskan ke Dinas Perhubungan"');
    expect(reporter.last()).toContain('Penilaian: ⭐⭐⭐⭐');
    await reporter.tap(`complaint-rating:${ticket}:1`);
    expect(reporter.last()).toContain('sudah Anda nilai');
  });

  it('tells a WhatsApp reporter in a normal message inside the 24-hour window and with the approved template outside it', WHATSAPP_PACED, async () => {
    const from = '6281200003003';
    const ticket = await fileOnWhatsApp(h, from, { description: 'Trotoar Jl. Menoreh Utara ambles dan membahayakan pejalan kaki.', category: 'jalan' });
    const reporter = whatsappUser(h, from);
    h.wa.clear();

    // Staff act from the staff WhatsApp number this time.
    await h.postWhatsApp(waWebhook(waListReply({ from: STAFF_WA, replyId: `complaint-staff:diproses:${ticket}`, title: 'Proses', timestamp: h.clock.now() })));
    await h.settle();
    await h.postWhatsApp(waWebhook(waText({ from: STAFF_WA, text: 'Tim kelurahan meninjau lokasi besok pagi', timestamp: h.clock.now() })));
    await h.settle();
    expect(h.wa.sentTexts(STAFF_WA).at(-1)).toContain(`${ticket} sekarang "Diproses"`);
    const inside = h.wa.sentTo(from);
    expect(inside.map((m) => m.type)).toEqual(['text']);
    expect(reporter.last()).toContain('Status: Diproses');

    // A day and a bit later the window is closed: the update goes as the approved template.
    h.clock.advance(25 * HOUR);
    h.wa.clear();
    const staff = telegramStaff(h, 9002, STAFF_GROUP, 'Agus');
    await staff.tap(`complaint-staff:selesai:${ticket}`);
    await staff.say('Trotoar sudah diperbaiki');
    expect(staff.last()).toContain('templat WhatsApp');
    const sent = h.wa.sentTo(from);
    expect(sent.map((m) => m.type)).toEqual(['template']);
    const template = sent[0]!.body['template'] as Template;
    expect(template.name).toBe('status_pengaduan');
    expect(template.language.code).toBe('id');
    expect(template.components?.[0]?.parameters.map((p) => p.text)).toEqual([ticket, 'Selesai', 'Trotoar sudah diperbaiki']);

    // The reporter writes back (window open again), checks the ticket and rates it there.
    await reporter.say(`cek ${ticket}`);
    expect(reporter.texts().join('\n')).toContain('Status: Selesai');
    expect(reporter.choiceIds()).toContain(`complaint-rating:${ticket}:5`);
    await reporter.tap(`complaint-rating:${ticket}:5`, '5 ⭐⭐⭐⭐⭐');
    await reporter.tap('complaint-rating:skip', 'Lewati');
    expect(reporter.texts().at(-2)).toContain('penilaian Anda sudah kami simpan');
    // Then the satisfaction survey is offered (issue #14; test/e2e/ikm.test.ts).
    expect(reporter.last()).toContain('Survei Kepuasan Masyarakat');
    expect((await complaints().findOne({ ticketNo: ticket }).lean())?.rating?.score).toBe(5);
  });

  it('asks for a reason before rejecting, and passes a staff reply on to the reporter', async () => {
    const ticket = await fileOnTelegram(h, 3004, { description: 'Mohon dibuatkan lapangan futsal baru di setiap RW kelurahan.', category: 'aspirasi' });
    const reporter = telegramUser(h, 3004);
    const staff = telegramStaff(h, 9001);
    await staff.tap(`complaint-staff:balas:${ticket}`);
    await staff.say('Terima kasih, usulan akan kami bawa ke Musrenbang kelurahan.');
    expect(staff.last()).toContain('Pelapor sudah diberi tahu');
    expect(reporter.last()).toContain('Pesan dari petugas kecamatan');
    expect(reporter.last()).toContain('Musrenbang kelurahan');

    await staff.tap(`complaint-staff:ditolak:${ticket}`);
    await staff.say('-');
    expect(staff.last()).toContain('perlu alasan');
    await staff.say('Lahan milik Pemkot tidak tersedia untuk lapangan baru.');
    expect(reporter.last()).toContain('Status: Ditolak');
    expect((await complaints().findOne({ ticketNo: ticket }).lean())?.status).toBe('ditolak');
  });

  it('refuses staff buttons from someone who is not staff, as if the ticket did not exist', async () => {
    const ticket = await fileOnTelegram(h, 3005, { description: 'Ada genangan air permanen di gang sebelah masjid.', category: 'drainase' });
    const resident = telegramUser(h, 3006);
    await resident.tap(`complaint-staff:diterima:${ticket}`);
    expect(resident.last()).toContain('tidak ditemukan');
    expect((await complaints().findOne({ ticketNo: ticket }).lean())?.status).toBe('baru');
  });

  it('exports complaints for a period as a UTF-8 CSV with BOM, masking numbers and hiding anonymous reporters', async () => {
    await fileOnTelegram(h, 3007, { description: 'NIK 3374010101010001 saya belum terdaftar, KTP tidak bisa dicetak.', category: 'adminduk', identity: 'anonim' });
    const staff = telegramStaff(h, 9001);
    const from = monday.toISODate();
    const to = monday.plus({ days: 2 }).toISODate();
    await staff.say(`/ekspor ${from} ${to}`);
    const doc = h.tg.callsOf('sendDocument').find((c) => c.params['chat_id'] === STAFF_GROUP);
    const file = doc?.params['document'] as { filename: string; bytes: Buffer };
    expect(file.filename).toBe(`pengaduan_${from}_${to}.csv`);
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = file.bytes.toString('utf8').slice(1);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('Nomor tiket,Masuk (WIB),Kategori,Kelurahan');
    const total = await complaints().countDocuments({ identity: { $ne: 'rahasia' } });
    expect(lines).toHaveLength(total + 1);
    expect(String(doc?.params['caption'])).toContain(`${total} tiket`);
    const anon = lines.find((l) => l.includes('belum terdaftar'));
    expect(anon).toContain('************0001');
    expect(anon).not.toContain('3374010101010001');
    expect(anon).toContain('Anonim,,,telegram');
    const named = lines.find((l) => l.includes('Lampu PJU di tikungan'));
    expect(named).toContain('Dengan nama,Budi,,telegram');
  });

  it('sends the 07:00 summary once a day and alerts the head of office once per breached target', async () => {
    // Days later, Thursday has passed: tickets still "baru" are past the three-working-day response target.
    h.clock.advance(4 * DAY);
    await h.app.runJobsOnce(h.clock.now());
    await h.settle();
    const summary = h.tg.sentTexts(STAFF_GROUP).find((t) => t.startsWith('📊 Ringkasan pengaduan'));
    expect(summary).toBeDefined();
    const open = await complaints().countDocuments({ status: { $in: ['baru', 'diterima', 'diproses'] }, identity: { $ne: 'rahasia' } });
    expect(summary).toContain(`Belum selesai: ${open}`);
    expect(summary).toContain('Per kategori (belum selesai):');
    expect(summary).toContain('Per kelurahan (belum selesai):');
    const overdue = await complaints().find({ status: 'baru' }).lean();
    expect(overdue.length).toBeGreaterThan(0);
    for (const c of overdue) expect(summary).toContain(c.ticketNo);

    const alerts = h.tg.sentTexts(HEAD_CHAT);
    expect(alerts).toHaveLength(overdue.length);
    expect(alerts.join('\n')).toContain('belum diterima/ditolak');
    expect((await complaints().findOne({ ticketNo: overdue[0]!.ticketNo }).lean())?.escalatedResponseAt).toBeInstanceOf(Date);

    // The job runs again (another tick, another instance): nothing is sent twice.
    h.tg.clear();
    await h.app.runJobsOnce(h.clock.now());
    await h.settle();
    expect(h.tg.sentTexts(HEAD_CHAT)).toHaveLength(0);
    expect(h.tg.sentTexts(STAFF_GROUP).filter((t) => t.startsWith('📊'))).toHaveLength(0);
  });
});
