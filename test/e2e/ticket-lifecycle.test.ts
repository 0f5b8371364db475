/**
 * A ticket after filing: hand-over to an agency (disposisi) with its paused target clock, the
 * agency's answer, internal notes, the thread both ways, the reporter's reopen ("belum selesai")
 * and withdrawal, and what the CSV and the daily summary show of them. Staff act through the
 * Telegram webhook; the reporter is on WhatsApp.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Viewer } from '../../src/domain/complaints/access.js';
import { complaintsCsv } from '../../src/domain/complaints/csv-export.js';
import { buildDailySummary } from '../../src/domain/complaints/daily-summary.js';
import { complaintModel } from '../../src/store/complaint-models.js';
import { MongoComplaintStore } from '../../src/store/complaints.js';
import { isComplaintsModule, type ComplaintsModule } from '../../src/features/complaints.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, fileOnTelegram, fileOnWhatsApp, HEAD_CHAT, STAFF_GROUP, telegramStaff, telegramUser, toMondayMorning, whatsappUser } from './complaints-support.js';

const DAY = 86_400_000;
/** WhatsApp paces messages to one person (a burst, then about one per 6 s), and the specs wait for delivery. */
const WHATSAPP_PACED = { timeout: 120_000 };

function complaintsOf(app: App): ComplaintsModule {
  const m = app.modules.find(isComplaintsModule);
  if (!m) throw new Error('complaints module is not registered');
  return m;
}

const reporterOn = (phone: string): Viewer => ({ channel: 'whatsapp', userKey: phone, chatId: phone, isStaff: false });

describe('A ticket after filing, end to end', () => {
  let h: Harness;
  const complaints = () => complaintModel(h.app.conn);
  const actions = () => complaintsOf(h.app).actions;

  beforeAll(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
    toMondayMorning(h);
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  it('staff forward a ticket to an agency: the reporter is told who has it, the target clock pauses, the answer closes it', WHATSAPP_PACED, async () => {
    const phone = '6281311110001';
    const ticket = await fileOnWhatsApp(h, phone, { description: 'Trotoar ambles di depan pasar, berbahaya untuk pejalan kaki.' });
    const staff = telegramStaff(h, 9101);
    const reporter = whatsappUser(h, phone);

    await staff.tap(`complaint-staff:teruskan:${ticket}`);
    expect(staff.last()).toContain(`Teruskan ${ticket} ke instansi mana?`);
    await staff.tap('complaint-staff:agency:dpu');
    expect(staff.last()).toContain('Nomor referensi');
    await staff.say('DPU/2026/123');
    await staff.say('Kewenangan perbaikan trotoar ada di DPU.');
    expect(staff.last()).toContain(`${ticket} diteruskan ke Dinas Pekerjaan Umum (DPU) Kota Semarang`);
    expect(reporter.texts().join('\n')).toContain('Status: Diteruskan ke instansi terkait');
    expect(reporter.texts().join('\n')).toContain('Diteruskan ke Dinas Pekerjaan Umum (DPU) Kota Semarang (no. DPU/2026/123)');

    const forwarded = await complaints().findOne({ ticketNo: ticket }).lean();
    expect(forwarded).toMatchObject({ status: 'diteruskan', forward: { agencyId: 'dpu', agencyRef: 'DPU/2026/123' } });
    expect(forwarded!.pausedAt).toBeInstanceOf(Date);

    // Twenty days later the resolution target has passed on the calendar, but the clock is paused: no escalation.
    h.clock.advance(20 * DAY);
    await complaintsOf(h.app).service.escalateOverdue(h.clock.now());
    await h.settle();
    expect(h.tg.sentTexts(HEAD_CHAT).join('\n')).not.toContain(ticket);

    await staff.tap(`complaint-staff:jawaban:${ticket}`);
    await staff.say('Perbaikan trotoar dijadwalkan minggu depan oleh DPU.');
    await staff.tap('complaint-staff:then:selesai');
    expect(staff.last()).toContain(`${ticket} sekarang "Selesai"`);
    // Twenty days on, the reporter's 24-hour window is closed: the news goes by the approved template.
    const last = h.wa.sentTo(phone).at(-1);
    expect(last?.type).toBe('template');
    expect(JSON.stringify(last?.body)).toContain('Jawaban Dinas Pekerjaan Umum (DPU) Kota Semarang: Perbaikan trotoar dijadwalkan minggu depan oleh DPU.');
    const closed = await complaints().findOne({ ticketNo: ticket }).lean();
    expect(closed!.status).toBe('selesai');
    expect(closed!.pausedAt).toBeNull();
    // The resolution target moved by the 20 paused days.
    expect(closed!.resolutionDueAt.getTime() - forwarded!.resolutionDueAt.getTime()).toBeGreaterThanOrEqual(20 * DAY);
    expect(closed!.forward?.answer?.text).toBe('Perbaikan trotoar dijadwalkan minggu depan oleh DPU.');
  });

  it('an internal note is never sent to the reporter and shows only to staff; staff replies and the reporter\'s follow-ups form one thread', WHATSAPP_PACED, async () => {
    const phone = '6281311110002';
    const ticket = await fileOnWhatsApp(h, phone, { description: 'Lampu jalan di gang mati sudah seminggu.', category: 'pju' });
    const staff = telegramStaff(h, 9102);
    const reporter = whatsappUser(h, phone);

    await staff.tap(`complaint-staff:catatan:${ticket}`);
    await staff.say('Sudah koordinasi lisan dengan PLN, menunggu jadwal.');
    expect(staff.last()).toContain('Catatan internal');
    await staff.tap(`complaint-staff:balas:${ticket}`);
    await staff.say('Mohon info nomor tiang lampunya');
    h.wa.clear();

    const r = await actions().reporterMessage(ticket, reporterOn(phone), { text: 'nomor tiangnya 0231 pak' }, 'wa-msg-0231', h.clock.now());
    expect(r.kind).toBe('added');
    await h.settle();
    const toStaff = h.tg.sentTexts(STAFF_GROUP).join('\n');
    expect(toStaff).toContain(`Pesan pelapor (Budi Santoso) untuk ${ticket}`);
    expect(toStaff).toContain('nomor tiangnya 0231 pak');
    // The same platform message again adds nothing.
    await actions().reporterMessage(ticket, reporterOn(phone), { text: 'nomor tiangnya 0231 pak' }, 'wa-msg-0231', h.clock.now());
    const doc = await complaints().findOne({ ticketNo: ticket }).lean();
    expect(doc!.thread.map((t) => [t.from, t.kind, t.text])).toEqual([
      ['staff', 'note', 'Sudah koordinasi lisan dengan PLN, menunggu jadwal.'],
      ['staff', 'message', 'Mohon info nomor tiang lampunya'],
      ['reporter', 'message', 'nomor tiangnya 0231 pak'],
    ]);

    await reporter.say(`cek ${ticket}`);
    const view = reporter.last();
    expect(view).toContain('Mohon info nomor tiang lampunya');
    expect(view).toContain('nomor tiangnya 0231 pak');
    expect(view).not.toContain('koordinasi lisan');
    await staff.say(`cek ${ticket}`);
    expect(staff.last()).toContain('koordinasi lisan');
    expect(staff.last()).toContain('catatan internal');
  });

  it('the reporter reopens a "selesai" within 7 days: targets restart, staff and the head of office are alerted; twice goes to the head alone; after 7 days it is too late', WHATSAPP_PACED, async () => {
    const phone = '6281311110003';
    const ticket = await fileOnWhatsApp(h, phone, { description: 'Sampah menumpuk di TPS tidak diangkut.', category: 'sampah' });
    const staff = telegramStaff(h, 9103);
    const finish = async (note: string) => {
      await staff.tap(`complaint-staff:selesai:${ticket}`);
      await staff.say(note);
    };
    await finish('Sudah diangkut DLH');
    await complaintsOf(h.app).service.rate(ticket, reporterOn(phone), 2, h.clock.now());
    h.clock.advance(2 * DAY);
    h.tg.clear();

    const first = await actions().contest(ticket, reporterOn(phone), 'mati lagi, sampah numpuk lagi', 'k-contest-1', h.clock.now());
    expect(first).toMatchObject({ kind: 'reopened', toHead: false });
    await h.settle();
    expect(h.tg.sentTexts(STAFF_GROUP).join('\n')).toContain(`Pengaduan ${ticket} DIBUKA KEMBALI oleh pelapor`);
    expect(h.tg.sentTexts(HEAD_CHAT).join('\n')).toContain(`Pengaduan ${ticket} DIBUKA KEMBALI`);
    const reopened = await complaints().findOne({ ticketNo: ticket }).lean();
    expect(reopened).toMatchObject({ status: 'dibuka-kembali', reopenCount: 1 });
    expect(reopened!.rating).toBeUndefined();
    expect(reopened!.responseDueAt.getTime()).toBeGreaterThan(h.clock.now().getTime());
    expect(reopened!.thread.at(-1)?.text).toContain('Penilaian sebelum dibuka kembali: 2/5');

    await finish('Diangkut ulang');
    h.tg.clear();
    const second = await actions().contest(ticket, reporterOn(phone), 'masih belum beres', 'k-contest-2', h.clock.now());
    expect(second).toMatchObject({ kind: 'reopened', toHead: true });
    await h.settle();
    expect(h.tg.sentTexts(HEAD_CHAT).join('\n')).toContain('ke-2 kali: ditangani Kepala Kantor');
    expect(h.tg.sentTexts(STAFF_GROUP).join('\n')).not.toContain('DIBUKA KEMBALI');

    await finish('Selesai dengan pengangkutan rutin');
    h.clock.advance(8 * DAY);
    expect(await actions().contest(ticket, reporterOn(phone), 'lagi', 'k-contest-3', h.clock.now())).toEqual({ kind: 'too-late', days: 7 });
    // Nobody but the reporter may reopen.
    expect((await actions().contest(ticket, reporterOn('6289999999999'), 'x', 'k-x', h.clock.now())).kind).toBe('not-found');
  });

  it('the reporter withdraws a ticket before staff accept it ("dicabut", same number, staff told), and cannot after', WHATSAPP_PACED, async () => {
    const phone = '6281311110004';
    const ticket = await fileOnWhatsApp(h, phone, { description: 'Parkir liar di depan sekolah setiap pagi.', category: 'trantib' });
    h.tg.clear();
    const w = await actions().withdraw(ticket, reporterOn(phone), 'k-withdraw', h.clock.now());
    expect(w.kind).toBe('withdrawn');
    await h.settle();
    expect(h.tg.sentTexts(STAFF_GROUP).join('\n')).toContain(`Pengaduan ${ticket} dicabut oleh pelapor`);
    expect((await complaints().findOne({ ticketNo: ticket }).lean())!.status).toBe('dicabut');

    const other = await fileOnWhatsApp(h, '6281311110005', { description: 'Selokan mampet di RT 03.', category: 'drainase' });
    const staff = telegramStaff(h, 9104);
    await staff.tap(`complaint-staff:diterima:${other}`);
    await staff.say('-');
    expect(await actions().withdraw(other, reporterOn('6281311110005'), 'k-withdraw-2', h.clock.now())).toEqual({ kind: 'too-late', current: 'diterima' });
  });

  it('the CSV and the daily summary show the new states, the agency and the thread', async () => {
    const store = new MongoComplaintStore(h.app.conn);
    const rows = await store.find({}, { sort: { by: 'createdAt', dir: 1 } });
    const csv = complaintsCsv(rows, h.clock.now(), 'Asia/Jakarta');
    const [header, ...lines] = csv.replace('\uFEFF', '').trim().split('\r\n');
    expect(header).toContain('Diteruskan ke,No. referensi instansi,Dibuka kembali (kali),Pesan di percakapan');
    expect(lines.some((l) => l.includes('Dinas Pekerjaan Umum (DPU) Kota Semarang,DPU/2026/123'))).toBe(true);
    expect(lines.some((l) => l.includes('Dicabut oleh pelapor'))).toBe(true);
    const summary = await buildDailySummary(store, h.clock.now(), 'Asia/Jakarta');
    expect(summary?.text).toContain('dicabut pelapor:');
    expect(summary?.text).toContain('Diteruskan ke instansi terkait:');
  });
});

describe('The reporter\'s side of a ticket, through the webhooks', () => {
  let h: Harness;
  const complaints = () => complaintModel(h.app.conn);
  const PHOTO = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes of the pole number', 'latin1');

  beforeAll(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
    toMondayMorning(h);
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  it('a staff question and the reporter\'s answers (text and photo) reach each other and the history', async () => {
    const ticket = await fileOnTelegram(h, 4201, { description: 'Lampu jalan mati di depan musala.', category: 'pju' });
    const staff = telegramStaff(h, 9201);
    const reporter = telegramUser(h, 4201);
    await staff.tap(`complaint-staff:balas:${ticket}`);
    await staff.say('Mohon info nomor tiang lampunya');
    expect(reporter.last()).toContain('Mohon info nomor tiang lampunya');
    expect(reporter.buttons()).toContain(`complaint-followup:${ticket}`);

    h.tg.clear();
    await reporter.tap(`complaint-followup:${ticket}`);
    await reporter.say('nomor tiangnya 0231 pak');
    expect(reporter.last()).toContain(`ditambahkan ke pengaduan ${ticket}`);
    const alert = h.tg.sentTexts(STAFF_GROUP).join('\n');
    expect(alert).toContain(`untuk ${ticket}`);
    expect(alert).toContain('nomor tiangnya 0231 pak');

    h.tg.addFile('tg-pole-photo', PHOTO);
    await reporter.tap(`complaint-followup:${ticket}`);
    await reporter.photo('tg-pole-photo', PHOTO.length);
    expect(reporter.last()).toContain(`ditambahkan ke pengaduan ${ticket}`);
    const docs = h.tg.callsOf('sendDocument').filter((c) => c.params['chat_id'] === STAFF_GROUP);
    expect(docs.length).toBeGreaterThan(0);

    const saved = await complaints().findOne({ ticketNo: ticket }).lean();
    expect(saved!.thread.map((t) => [t.from, Boolean(t.photo), t.text ?? null])).toEqual([
      ['staff', false, 'Mohon info nomor tiang lampunya'],
      ['reporter', false, 'nomor tiangnya 0231 pak'],
      ['reporter', true, null],
    ]);
    await reporter.say(`cek ${ticket}`);
    expect(reporter.texts().join('\n')).toContain('nomor tiangnya 0231 pak');
  });

  it('"Belum selesai" on the closing message within 7 days reopens after a reason and a confirmation; after 7 days it offers a new report', WHATSAPP_PACED, async () => {
    const phone = '6281322220001';
    const ticket = await fileOnWhatsApp(h, phone, { description: 'Genangan air di Jl. Sampangan tiap hujan.', category: 'drainase' });
    const staff = telegramStaff(h, 9202);
    const reporter = whatsappUser(h, phone);
    await staff.tap(`complaint-staff:selesai:${ticket}`);
    await staff.say('Saluran sudah dibersihkan');
    expect(reporter.choiceIds()).toContain(`complaint-contest:${ticket}`);

    await reporter.tap(`complaint-contest:${ticket}`);
    expect(reporter.last()).toContain(`Apa yang belum selesai pada ${ticket}?`);
    await reporter.say('masih tergenang kalau hujan');
    expect(reporter.last()).toContain('Yakin?');
    await reporter.tap('complaint-contest:no');
    expect(reporter.last()).toContain('tetap berstatus selesai');
    expect((await complaints().findOne({ ticketNo: ticket }).lean())!.status).toBe('selesai');

    await reporter.tap(`complaint-contest:${ticket}`);
    await reporter.say('masih tergenang kalau hujan');
    await reporter.tap('complaint-contest:yes');
    expect(reporter.last()).toContain(`Pengaduan ${ticket} dibuka kembali`);
    expect((await complaints().findOne({ ticketNo: ticket }).lean())!.status).toBe('dibuka-kembali');

    await staff.tap(`complaint-staff:selesai:${ticket}`);
    await staff.say('Sudah dipasang pompa');
    h.clock.advance(8 * DAY);
    await reporter.tap(`complaint-contest:${ticket}`);
    expect(reporter.last()).toContain('lebih dari 7 hari');
    expect(reporter.choiceIds()).toContain('m:complaint');
  });

  it('a 2-star rating asks whether to reopen; the comment is asked once after a good rating', async () => {
    const ticket = await fileOnTelegram(h, 4203, { description: 'Sampah di pinggir kali belum diangkut.', category: 'sampah' });
    const staff = telegramStaff(h, 9203);
    const reporter = telegramUser(h, 4203);
    await staff.tap(`complaint-staff:selesai:${ticket}`);
    await staff.say('Sudah diangkut');
    h.tg.clear();
    await reporter.tap(`complaint-rating:${ticket}:2`);
    expect(reporter.texts()).toHaveLength(1);
    expect(reporter.last()).toContain('Apakah masalahnya ternyata belum selesai?');
    expect(reporter.buttons()).toEqual([`complaint-contest:${ticket}`, 'complaint-rating:comment']);
    await reporter.tap(`complaint-contest:${ticket}`);
    expect(reporter.last()).toContain(`Apa yang belum selesai pada ${ticket}?`);
    await reporter.say('batal');

    const other = await fileOnTelegram(h, 4204, { description: 'Jalan berlubang di Jl. Kelud.', category: 'jalan' });
    await staff.tap(`complaint-staff:selesai:${other}`);
    await staff.say('Sudah ditambal');
    const happy = telegramUser(h, 4204);
    h.tg.clear();
    await happy.tap(`complaint-rating:${other}:5`);
    // One message: thanks and the comment question together, not a second "please type" message.
    expect(happy.texts()).toHaveLength(1);
    expect(happy.last()).toContain('Ada saran atau komentar?');
    await happy.say('Mantap, cepat sekali');
    expect((await complaints().findOne({ ticketNo: other }).lean())!.rating).toMatchObject({ score: 5, comment: 'Mantap, cepat sekali' });
  });

  it('withdraw from "cek": asks "yakin?" (Tidak keeps it, Ya withdraws it); after acceptance it is refused', WHATSAPP_PACED, async () => {
    const phone = '6281322220004';
    const ticket = await fileOnWhatsApp(h, phone, { description: 'Pohon tumbang menutup gang.', category: 'lainnya' });
    const reporter = whatsappUser(h, phone);
    await reporter.say(`cek ${ticket}`);
    expect(reporter.choiceIds()).toContain(`complaint-withdraw:${ticket}`);
    await reporter.tap(`complaint-withdraw:${ticket}`);
    expect(reporter.last()).toContain('Yakin?');
    await reporter.tap('complaint-withdraw:no');
    expect(reporter.last()).toContain('tidak dicabut');
    await reporter.tap(`complaint-withdraw:${ticket}`);
    await reporter.tap('complaint-withdraw:yes');
    expect(reporter.last()).toContain(`Pengaduan ${ticket} sudah dicabut`);
    expect((await complaints().findOne({ ticketNo: ticket }).lean())!.status).toBe('dicabut');

    const second = await fileOnWhatsApp(h, phone, { description: 'Selokan mampet depan rumah nomor 5.', category: 'drainase' });
    const staff = telegramStaff(h, 9204);
    await staff.tap(`complaint-staff:diterima:${second}`);
    await staff.say('-');
    await reporter.tap(`complaint-withdraw:${second}`);
    expect(reporter.last()).toContain('tidak bisa dicabut lagi');
  });

  it('in words: "belum selesai" reopens, "cabut" withdraws, a follow-up with two open tickets asks which, a photo with one open ticket is attached', WHATSAPP_PACED, async () => {
    // Telegram reporter with one ticket that staff finished.
    const tgTicket = await fileOnTelegram(h, 4301, { description: 'Lampu PJU depan balai RW mati total.', category: 'pju' });
    const staff = telegramStaff(h, 9301);
    await staff.tap(`complaint-staff:selesai:${tgTicket}`);
    await staff.say('Lampu sudah diganti');
    const tg = telegramUser(h, 4301);
    await tg.say('lho kok sudah dianggap selesai, lampunya masih mati sampai sekarang');
    expect(tg.last()).toContain(`Apa yang belum selesai pada ${tgTicket}?`);
    await tg.say('lampu masih mati');
    await tg.say('ya');
    expect((await complaints().findOne({ ticketNo: tgTicket }).lean())!.status).toBe('dibuka-kembali');

    // WhatsApp reporter with two open tickets.
    const phone = '6281322220009';
    const first = await fileOnWhatsApp(h, phone, { description: 'Genangan di Jl. Bendan Ngisor setiap hujan.', category: 'drainase' });
    const second = await fileOnWhatsApp(h, phone, { description: 'Sampah liar di pinggir kali belakang pasar.', category: 'sampah' });
    const wa = whatsappUser(h, phone);
    await wa.say('info tambahan buat laporan saya, genangannya sekarang sampai selutut');
    expect(wa.last()).toContain('untuk pengaduan yang mana?');
    expect(wa.choiceIds()).toEqual(expect.arrayContaining([`complaint-followup:pick:${first}`, `complaint-followup:pick:${second}`]));
    await wa.tap(`complaint-followup:pick:${first}`, first);
    expect(wa.last()).toContain(`ditambahkan ke pengaduan ${first}`);
    expect((await complaints().findOne({ ticketNo: first }).lean())!.thread.at(-1)?.text).toBe('info tambahan buat laporan saya, genangannya sekarang sampai selutut');

    await wa.say('tolong laporan saya dicabut saja, masalahnya sudah beres sendiri');
    expect(wa.last()).toContain('Pengaduan mana yang ingin dicabut?');
    await wa.tap(`complaint-withdraw:${second}`, second);
    expect(wa.last()).toContain('Yakin?');
    await wa.tap('complaint-withdraw:yes', 'Ya, cabut');
    expect((await complaints().findOne({ ticketNo: second }).lean())!.status).toBe('dicabut');

    // One open ticket left: a location sent now is attached to it.
    await wa.location(-7.0125, 110.4021, 'Jl. Bendan Ngisor');
    expect(wa.last()).toContain(`ditambahkan ke pengaduan ${first}`);
    expect((await complaints().findOne({ ticketNo: first }).lean())!.thread.at(-1)?.location).toMatchObject({ latitude: -7.0125, longitude: 110.4021 });
  });
});
