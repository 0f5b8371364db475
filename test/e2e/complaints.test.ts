import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { complaintModel, counterModel, ticketClaimModel } from '../../src/store/complaint-models.js';
import { nextTicketNo } from '../../src/store/complaint-ticket-numbers.js';
import { GridFsComplaintMediaStore } from '../../src/store/complaint-media.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { tgCallback } from '../support/payloads/telegram.js';
import type { DateTime } from 'luxon';
import { COMPLAINT_ENV, fileOnTelegram, telegramStaff, telegramUser, ticketIn, toMondayMorning, whatsappUser, wib, wibDay } from './complaints-support.js';

const STAFF_CHAT = 5000;
/** Platforms pace messages to one person (WhatsApp about one per 6 s after a burst, Telegram one a second), and the specs wait for delivery. */
const PACED = { timeout: 120_000 };
const PHOTO = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes for a pothole photo', 'latin1');

describe('Complaints from residents, end to end', () => {
  let h: Harness;
  let monday: DateTime;
  const complaints = () => complaintModel(h.app.conn);

  beforeAll(async () => {
    // Staff here are one private Telegram chat: group chats are paced at 20 messages a minute,
    // which would make these specs slow without testing anything more (staff specs use the group).
    h = await startHarness({ env: { ...COMPLAINT_ENV, STAFF_TELEGRAM_CHAT_IDS: String(STAFF_CHAT), STAFF_WHATSAPP_NUMBERS: '' } });
    monday = toMondayMorning(h);
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  it('offers both complaint entries in the main menu, with titles that fit a WhatsApp list row', async () => {
    const u = telegramUser(h, 2000);
    await u.say('menu');
    expect(u.buttons()).toEqual(expect.arrayContaining(['m:complaint', 'm:complaint-status']));
    const wa = whatsappUser(h, '6281200002000');
    await wa.say('menu');
    const list = h.wa.sentTo(wa.from).find((m) => m.type === 'interactive');
    const rows = (list?.body['interactive'] as { action: { sections: Array<{ rows: Array<{ id: string; title: string }> }> } }).action.sections.flatMap((s) => s.rows);
    const titles = rows.filter((r) => r.id.startsWith('m:complaint')).map((r) => r.title);
    expect(titles).toEqual(['Pengaduan / aspirasi', 'Cek status pengaduan']);
    expect(titles.every((t) => t.length <= 24)).toBe(true);
  });

  it('files a complaint on Telegram with a location and a photo, saves it first, then gives the ticket number', async () => {
    h.tg.addFile('tg-photo-1', PHOTO);
    const u = telegramUser(h, 2001, 'Sari');
    await u.tap('m:complaint');
    expect(u.last()).toContain('pilih kategorinya');
    expect(u.buttons()).toHaveLength(10); // nine most used categories and "Kategori lain…"
    await u.tap('complaint:cat:jalan');
    expect(u.last()).toContain('kelurahan');
    expect(u.buttons()).toContain('complaint:kel:luar');
    await u.tap('complaint:kel:sampangan');
    await u.location(-7.0241, 110.3957);
    expect(u.last()).toContain('Ceritakan masalahnya');
    await u.say('Lubang?');
    expect(u.last()).toContain('terlalu singkat');
    await u.say('Jalan berlubang besar di depan SD Sampangan sejak dua minggu. NIK saya 3374012345678901, hubungi 081234567890.');
    expect(u.last()).toContain('foto');
    await u.photo('tg-photo-1', PHOTO.length);
    expect(u.last()).toContain('Foto tersimpan: 1 dari 3');
    await u.tap('complaint:photo:next');
    expect(u.last()).toContain('Anonim');
    await u.tap('complaint:id:named');
    expect(u.last()).toContain('nomor HP');
    await u.contact('6281234500011');
    expect(u.last()).toContain('Ringkasan pengaduan Anda');
    expect(u.last()).toContain('Foto: 1');
    expect(u.buttons()).toEqual(['complaint:submit', 'complaint:edit', 'complaint:cancel']);
    await u.tap('complaint:submit');

    const reply = u.last();
    const ticket = ticketIn(reply);
    expect(ticket).toMatch(/^GJM-2026-\d{5}$/);
    // Filed on Monday: three working days → by the end of Thursday.
    expect(reply).toContain(`paling lambat ${wibDay(monday.plus({ days: 3 }))}`);

    const saved = await complaints().findOne({ ticketNo: ticket }).lean();
    expect(saved).toMatchObject({
      category: 'jalan',
      kelurahan: 'sampangan',
      identity: 'named',
      status: 'baru',
      place: { latitude: -7.0241, longitude: 110.3957 },
      reporter: { channel: 'telegram', userKey: '2001', name: 'Sari', phone: '6281234500011' },
    });
    // Stored as written: the NIK is kept in the record, masked only where staff see it.
    expect(saved?.description).toContain('3374012345678901');
    expect(saved?.history).toHaveLength(1);
    expect(saved?.photos).toHaveLength(1);
    const stored = await new GridFsComplaintMediaStore(h.app.conn).read(String(saved!.photos[0]!.fileId));
    expect(stored.equals(PHOTO)).toBe(true);
    // The draft is gone from the session once sent.
    const session = await h.app.store.sessions.findOne({ channel: 'telegram', userKey: '2001' }).lean();
    expect(session?.flow).toBeNull();

    // Staff got the photo, then the summary with a map link and the action buttons; numbers masked.
    const staffDocs = h.tg.callsOf('sendDocument').filter((c) => c.params['chat_id'] === STAFF_CHAT);
    expect(staffDocs).toHaveLength(1);
    expect((staffDocs[0]?.params['document'] as { bytes: Buffer }).bytes.equals(PHOTO)).toBe(true);
    const alert = h.tg.callsOf('sendMessage').find((c) => c.params['chat_id'] === STAFF_CHAT);
    const alertText = String(alert?.params['text']);
    expect(alertText).toContain(`Pengaduan baru ${ticket}`);
    expect(alertText).toContain('https://maps.google.com/?q=-7.024100,110.395700');
    expect(alertText).toContain('Sari · 6281234500011');
    expect(alertText).toContain('************8901');
    expect(alertText).not.toContain('3374012345678901');
    expect(alertText).not.toContain('081234567890');
    const buttons = (alert?.params['reply_markup'] as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(['Terima', 'Proses', 'Selesai', 'Tolak', 'Teruskan ke instansi', 'Balas pelapor', 'Catatan internal']);
    expect(buttons.every((b) => Buffer.byteLength(b.callback_data) <= 64)).toBe(true);
    // Logs never carry the NIK.
    expect(JSON.stringify(h.logs)).not.toContain('3374012345678901');
  });

  it('recognises a complaint in free text on WhatsApp and files it keeping what was said', PACED, async () => {
    h.wa.addMedia('wa-media-pothole', PHOTO, 'image/jpeg');
    const u = whatsappUser(h, '6281200002002', 'Dewi Lestari');
    // (the location message below carries the builder's default profile name)
    const said = 'jalan depan rumah saya di Sampangan rusak parah, lubangnya makin besar';
    await u.say(said);
    // Category and kelurahan come from the message; only the place is asked.
    const afterFirst = u.texts().join('\n');
    expect(afterFirst).toContain('Dari pesan Anda sudah saya catat');
    expect(afterFirst).toContain('Kategori: Infrastruktur & jalan');
    expect(afterFirst).toContain('Kelurahan: Sampangan');
    expect(afterFirst).toContain('Di mana tepatnya lokasinya?');
    await u.location(-7.0245, 110.3961, 'Jl. Menoreh Raya');
    // The description was kept from the first message: straight to photos.
    expect(u.last()).toContain('foto');
    await u.image('wa-media-pothole');
    await u.tap('complaint:photo:next', 'Lanjut');
    await u.tap('complaint:id:anonim', 'Anonim');
    expect(u.last()).toContain('Ringkasan pengaduan Anda');
    expect(u.last()).toContain(said);
    h.wa.clear();
    await u.tap('complaint:submit', 'Kirim');
    const ticket = ticketIn(u.last());

    const saved = await complaints().findOne({ ticketNo: ticket }).lean();
    expect(saved).toMatchObject({ description: said, kelurahan: 'sampangan', identity: 'anonim', place: { latitude: -7.0245, address: 'Jl. Menoreh Raya' } });
    // Anonymous: the name and number are not even kept.
    expect(saved?.reporter.name).toBeUndefined();
    expect(saved?.reporter.phone).toBeUndefined();
    expect(saved?.photos).toHaveLength(1);
    const staffText = h.tg.sentTexts(STAFF_CHAT).join('\n');
    expect(staffText).toContain('ANONIM');
    expect(staffText).not.toContain('Dewi');
    expect(staffText).not.toContain('Budi Santoso');
    expect(staffText).not.toContain('6281200002002');
  });

  it('goes back a step with "kembali" and throws the draft away with "batal"', async () => {
    const u = telegramUser(h, 2003);
    await u.tap('m:complaint');
    await u.tap('complaint:cat:drainase');
    await u.tap('complaint:kel:bendungan');
    expect(u.last()).toContain('Di mana tepatnya');
    await u.say('kembali');
    expect(u.last()).toContain('Di kelurahan mana');
    await u.tap('complaint:kel:petompon');
    await u.say('Gang Kenari 3 RT 02');
    await u.say('batal');
    expect(u.texts().join('\n')).toContain('dibatalkan');
    expect(await complaints().countDocuments({ 'reporter.userKey': '2003' })).toBe(0);
    const session = await h.app.store.sessions.findOne({ channel: 'telegram', userKey: '2003' }).lean();
    expect(session?.flow).toBeNull();
  });

  it('lets the resident change a part from the summary and comes back to it', async () => {
    const u = telegramUser(h, 2004);
    await u.tap('m:complaint');
    await u.tap('complaint:cat:sampah');
    await u.tap('complaint:kel:karangrejo');
    await u.say('Depan pos ronda RW 3');
    await u.say('Sampah menumpuk di depan pos ronda sudah seminggu tidak diangkut.');
    await u.tap('complaint:photo:next');
    await u.tap('complaint:id:anonim');
    expect(u.last()).toContain('Karangrejo');
    await u.tap('complaint:edit');
    await u.tap('complaint:edit:kelurahan');
    await u.tap('complaint:kel:lempongsari');
    expect(u.last()).toContain('Ringkasan pengaduan Anda');
    expect(u.last()).toContain('Lempongsari');
    // "Batal" on the summary asks first: "Tidak" keeps the report, typed "batal" then "ya" discards it.
    await u.tap('complaint:cancel');
    expect(u.last()).toContain('Yakin membatalkan pengaduan ini?');
    await u.tap('complaint:cancel:no');
    expect(u.last()).toContain('Ringkasan pengaduan Anda');
    await u.say('batal');
    expect(u.last()).toContain('Yakin membatalkan pengaduan ini?');
    await u.say('ya');
    expect(u.last()).toContain('Tidak ada yang disimpan');
  });

  it('explains where reports from outside Gajahmungkur go', async () => {
    const u = telegramUser(h, 2005);
    await u.tap('m:complaint');
    await u.tap('complaint:cat:pju');
    await u.tap('complaint:kel:luar');
    expect(u.last()).toContain('kecamatan setempat');
    expect(u.last()).toContain('lapor.go.id');
  });

  it('resumes a half-filled complaint after a restart', async () => {
    const u = telegramUser(h, 2006);
    await u.tap('m:complaint');
    await u.tap('complaint:cat:trantib');
    await u.tap('complaint:kel:bendan-duwur');
    await u.say('Taman Bendan Duwur sisi utara');
    await h.rebuild();
    await u.say('Ada sekelompok orang mabuk setiap malam di taman, warga merasa tidak aman.');
    expect(u.last()).toContain('foto');
    await u.tap('complaint:photo:next');
    await u.tap('complaint:id:rahasia');
    await u.tap('complaint:phone:skip');
    await u.tap('complaint:submit');
    const saved = await complaints().findOne({ ticketNo: ticketIn(u.last()) }).lean();
    expect(saved).toMatchObject({ category: 'trantib', kelurahan: 'bendan-duwur', identity: 'rahasia', place: { address: 'Taman Bendan Duwur sisi utara' } });
  });

  it('makes one ticket when the platform delivers the same "Kirim" twice, and none for the same text again within 10 minutes', PACED, async () => {
    const u = telegramUser(h, 2007);
    await u.tap('m:complaint');
    await u.tap('complaint:cat:pju');
    await u.tap('complaint:kel:bendan-ngisor');
    await u.say('Jl. Bendan Ngisor dekat jembatan');
    await u.say('Lampu jalan mati tiga titik, gelap sekali kalau malam.');
    await u.tap('complaint:photo:next');
    await u.tap('complaint:id:named');
    await u.tap('complaint:phone:skip');
    const submit = tgCallback({ userId: 2007, data: 'complaint:submit', date: Math.floor(h.clock.now().getTime() / 1000) });
    expect((await h.postTelegram(submit)).statusCode).toBe(200);
    expect((await h.postTelegram(submit)).statusCode).toBe(200);
    await h.settle();
    expect(await complaints().countDocuments({ 'reporter.userKey': '2007' })).toBe(1);
    const first = ticketIn(u.last());

    h.clock.advanceMinutes(5);
    const again = await fileOnTelegram(h, 2007, { description: 'Lampu jalan mati tiga titik, gelap sekali kalau malam!', category: 'pju' });
    expect(again).toBe(first);
    expect(u.last()).toContain('sudah kami terima');
    expect(await complaints().countDocuments({ 'reporter.userKey': '2007' })).toBe(1);
  });

  it('stops at the daily limit with a kind explanation, and lets the person file again the next day', PACED, async () => {
    // COMPLAINT_DAILY_LIMIT is 2 in these specs.
    for (let i = 1; i <= 2; i++) await fileOnTelegram(h, 2008, { description: `Pengaduan nomor ${i}: saluran air tersumbat di gang ${i}.`, category: 'drainase' });
    expect(await complaints().countDocuments({ 'reporter.userKey': '2008' })).toBe(2);
    const u = telegramUser(h, 2008);
    await u.tap('m:complaint');
    expect(u.last()).toContain('sudah mengirim 2 pengaduan');
    await u.tap('complaint:cat:jalan');
    expect(u.last()).toContain('besok');
    expect(await complaints().countDocuments({ 'reporter.userKey': '2008' })).toBe(2);

    h.clock.advance(24 * 3_600_000);
    await u.tap('m:complaint');
    expect(u.last()).toContain('pilih kategorinya');
    await u.say('batal');
  });

  it('gives different ticket numbers to two complaints sent at the same moment', PACED, async () => {
    const people = [2101, 2102, 2103];
    for (const id of people) {
      const u = telegramUser(h, id);
      await u.tap('m:complaint');
      await u.tap('complaint:cat:aspirasi');
      await u.tap('complaint:kel:gajahmungkur');
      await u.say('Balai RW 5 Gajahmungkur');
      await u.say(`Usulan warga ${id}: pembuatan taman baca di balai RW.`);
      await u.tap('complaint:photo:next');
      await u.tap('complaint:id:anonim');
    }
    const date = Math.floor(h.clock.now().getTime() / 1000);
    await Promise.all(people.map((id) => h.postTelegram(tgCallback({ userId: id, data: 'complaint:submit', date }))));
    await h.settle();
    const tickets = people.map((id) => ticketIn(h.tg.sentTexts(id).at(-1) ?? ''));
    expect(new Set(tickets).size).toBe(3);
    expect(await complaints().countDocuments({ ticketNo: { $in: tickets } })).toBe(3);
  });

  it('hands out unique, increasing numbers from the counter under concurrent load', async () => {
    const models = { counters: counterModel(h.app.conn), claims: ticketClaimModel(h.app.conn) };
    const numbers = await Promise.all(Array.from({ length: 25 }, () => nextTicketNo(models, 2031, h.clock.now())));
    expect(new Set(numbers).size).toBe(25);
    expect([...numbers].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `GJM-2031-${String(i + 1).padStart(5, '0')}`));
  });

  it('shows status and history to the reporter, and "not found" to anyone else', async () => {
    const ticket = await fileOnTelegram(h, 2201, { description: 'Pohon tumbang menutup setengah badan jalan di Jl. Papandayan.', category: 'jalan' });
    const owner = telegramUser(h, 2201);
    await owner.say(`cek ${ticket}`);
    const view = owner.last();
    expect(view).toContain(`Pengaduan ${ticket}`);
    expect(view).toContain('Status: Terkirim, menunggu verifikasi');
    expect(view).toContain('Riwayat:');
    expect(view).toContain(`${wib(h.clock.now())} — Terkirim`);

    const stranger = telegramUser(h, 2202);
    await stranger.say(`cek ${ticket}`);
    const notYours = stranger.last();
    await stranger.say('cek GJM-2026-99999');
    const missing = stranger.last();
    expect(notYours).toContain('tidak ditemukan');
    expect(notYours.replace(ticket, 'X')).toBe(missing.replace('GJM-2026-99999', 'X'));

    // The owner can list their own tickets with /cek and open one by tapping it.
    await owner.say('/cek');
    expect(owner.buttons()).toContain(`complaint-status:show:${ticket}`);
    await owner.tap(`complaint-status:show:${ticket}`);
    expect(owner.last()).toContain(`Pengaduan ${ticket}`);

    // On WhatsApp, a stranger typing the number learns nothing either.
    const waStranger = whatsappUser(h, '6281200002203');
    await waStranger.say(`cek ${ticket.toLowerCase()}`);
    expect(waStranger.last()).toContain('tidak ditemukan');
  });

  it('keeps rahasia reports from general staff: only senior staff get them', async () => {
    h.tg.clear();
    const ticket = await fileOnTelegram(h, 2301, { description: 'Ada pungutan liar saat mengurus surat pengantar di kelurahan.', identity: 'rahasia', category: 'pungli' });
    expect(h.tg.sentTexts(STAFF_CHAT).join('\n')).not.toContain(ticket);
    expect(h.tg.sentTexts(7000).join('\n')).toContain(`Pengaduan RAHASIA ${ticket}`);
    // A general staff member cannot open it, nor act on it; senior staff can.
    const staff = telegramStaff(h, STAFF_CHAT, STAFF_CHAT);
    await staff.say(`cek ${ticket}`);
    expect(staff.last()).toContain('tidak ditemukan');
    await staff.tap(`complaint-staff:diterima:${ticket}`);
    expect(staff.last()).toContain('tidak ditemukan');
    const senior = telegramUser(h, 7000, 'Kasi');
    await senior.say(`cek ${ticket}`);
    expect(senior.last()).toContain(`Pengaduan ${ticket}`);
    expect(senior.last()).toContain('Pelapor: Budi');
  });

  it('prunes photos of drafts never sent, and keeps those of sent complaints', { timeout: 90_000 }, async () => {
    h.tg.addFile('tg-photo-draft', PHOTO);
    const u = telegramUser(h, 2401);
    await u.tap('m:complaint');
    await u.tap('complaint:cat:sampah');
    await u.photo('tg-photo-draft', PHOTO.length);
    expect(u.texts().join('\n')).toContain('Foto tersimpan (1 dari 3)');
    await u.say('batal');
    const files = h.app.conn.db!.collection('complaint_media.files');
    expect(await files.countDocuments({ 'metadata.attached': false })).toBe(1);
    const attached = await files.countDocuments({ 'metadata.attached': true });
    expect(attached).toBeGreaterThan(0);

    h.clock.advance(4 * 24 * 3_600_000);
    await h.app.runJobsOnce(h.clock.now());
    await h.settle();
    expect(await files.countDocuments({ 'metadata.attached': false })).toBe(0);
    expect(await files.countDocuments({ 'metadata.attached': true })).toBe(attached);
  });
});
