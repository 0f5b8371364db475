import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/test-app.js';
import type { UploadedFile } from '../support/fake-telegram.js';
import { createForum, forumsOf, HOUR, setClock, STAFF_ENV, telegramUser, whatsappUser } from './forums-support.js';

describe('Community forums, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: STAFF_ENV });
    setClock(h, '2026-11-30T02:00:00Z'); // Monday 30 November 2026, 09:00 WIB
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  const registrationOf = (forumId: unknown, contactKey: string) =>
    forumsOf(h.app).models.registrations.findOne({ forumId, contactKey }).lean();

  describe('staff create a forum through the guided flow', () => {
    it('asks every field, re-asks impossible and past dates with an example, and saves the forum', async () => {
      const staff = telegramUser(h, 777, 'Petugas');
      await staff.say('/forumstaf');
      expect(staff.lastText()).toContain('Belum ada forum terjadwal');
      await staff.tap('forumstaf:new');
      await staff.say('Forum Warga Petompon: Sampah dan Drainase');
      await staff.say('Pengangkutan sampah dan saluran air di RW 03');
      await staff.tap('forumstaf:kel:petompon');
      await staff.say('Balai Kelurahan Petompon');
      await staff.say('31/02/2027');
      expect(staff.lastText()).toContain('tidak ada di kalender');
      expect(staff.lastText()).toMatch(/contoh: \d{1,2}\/\d{1,2}\/2026/);
      await staff.say('29/11/2026');
      expect(staff.lastText()).toContain('sudah lewat');
      await staff.say('7/12/2026');
      await staff.say('25.00');
      expect(staff.lastText()).toContain('Jam tidak saya kenali');
      await staff.say('09.00');
      await staff.say('2 jam');
      await staff.say('banyak');
      expect(staff.lastText()).toContain('Kapasitas berupa angka');
      await staff.say('2');
      await staff.tap('forumstaf:dl:24');
      expect(staff.lastText()).toContain('Simpan dan buka pendaftaran?');
      expect(staff.lastText()).toContain('Senin, 7 Desember 2026 pukul 09.00 WIB');
      await staff.tap('forumstaf:save');
      expect(staff.texts().join('\n')).toContain('Forum tersimpan');

      const forum = await forumsOf(h.app).models.forums.findOne({ title: 'Forum Warga Petompon: Sampah dan Drainase' }).lean();
      expect(forum?.startAt.toISOString()).toBe('2026-12-07T02:00:00.000Z'); // 09:00 WIB
      expect(forum?.registrationDeadline.toISOString()).toBe('2026-12-06T02:00:00.000Z');
      expect(forum?.capacity).toBe(2);
      expect(forum?.kelurahan).toBe('Petompon');
      // The staff reminder is planned 2 hours before.
      const staffReminder = await forumsOf(h.app).models.reminders.findOne({ forumId: forum?._id, kind: 'staff' }).lean();
      expect(staffReminder?.dueAt.toISOString()).toBe('2026-12-07T00:00:00.000Z');
    });

    it('does not let a resident into the staff flow', async () => {
      const resident = telegramUser(h, 2999);
      await resident.say('/forumstaf');
      expect(resident.texts().join('\n')).toContain('tidak dikenal');
      expect(resident.buttons()).not.toContain('m:forumstaf');
    });
  });

  describe('residents sign up', () => {
    it('on Telegram: list, details, only the missing questions, a code and an .ics calendar file', async () => {
      const forum = await forumsOf(h.app).models.forums.findOne({ title: /Petompon/ }).lean();
      const id = String(forum!._id);
      const budi = telegramUser(h, 2001, 'Budi');
      await budi.say('/forum');
      expect(budi.buttons()).toContain(`forum:f:${id}`);
      await budi.tap(`forum:f:${id}`);
      expect(budi.lastText()).toContain('Sisa kursi: 2 dari 2');
      await budi.tap(`forum:join:${id}`);
      expect(budi.lastText()).toContain('nama lengkap');
      await budi.say('Budi Santoso');
      expect(budi.lastText()).toContain('kelurahan');
      await budi.say('petompon');
      expect(budi.lastText()).toContain('Nomor HP');
      await budi.say('0812-3456-7890');
      expect(budi.lastText()).toMatch(/Kode pendaftaran Anda: FW-[A-Z0-9]{6}/);

      const reg = await registrationOf(forum!._id, 'telegram:2001');
      expect(reg).toMatchObject({ status: 'registered', name: 'Budi Santoso', kelurahan: 'Petompon', phone: '6281234567890' });
      const doc = h.tg.callsOf('sendDocument').find((c) => c.params['chat_id'] === 2001);
      const file = doc?.params['document'] as UploadedFile | undefined;
      expect(file?.filename).toBe('forum-warga.ics');
      const ics = file!.bytes.toString('utf8');
      expect(ics).toContain(`UID:forum-${id}@sapa-gajahmungkur`);
      expect(ics).toMatch(/DTSTAMP:\d{8}T\d{6}Z/);
      expect(ics).toContain('DTSTART;TZID=Asia/Jakarta:20261207T090000');
      expect(ics).toContain('DTEND;TZID=Asia/Jakarta:20261207T110000');
      expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:Asia/Jakarta');
      expect(ics).toContain(reg!.code);
      // Reminders planned 24 h and 2 h before.
      const due = (await forumsOf(h.app).models.reminders.find({ registrationId: reg!._id }).lean()).map((r) => r.dueAt.toISOString()).sort();
      expect(due).toEqual(['2026-12-06T02:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    });

    it('on WhatsApp: a list to choose from, and the phone number is not asked', async () => {
      const forum = await forumsOf(h.app).models.forums.findOne({ title: /Petompon/ }).lean();
      const id = String(forum!._id);
      const sari = whatsappUser(h, '6281111111111');
      await sari.say('mau ikut forum warga');
      const list = h.wa.messages.at(-1)?.body as { interactive?: { type: string; action: { sections: Array<{ rows: Array<{ id: string }> }> } } };
      expect(list.interactive?.type).toBe('list');
      expect(list.interactive?.action.sections[0]?.rows.map((r) => r.id)).toContain(`forum:f:${id}`);
      await sari.list(`forum:f:${id}`);
      await sari.button(`forum:join:${id}`, 'Daftar');
      await sari.button('forum:name:profile', 'Sari Wulandari');
      await sari.list('forum:kel:bendan-duwur', 'Bendan Duwur');
      // The forum is for Petompon: a resident of Bendan Duwur is told, and may sign up anyway.
      expect(sari.texts().join('\n')).toContain('ditujukan untuk warga Kelurahan Petompon');
      await sari.button('forum:otherkel:yes', 'Tetap daftar');
      expect(sari.texts().join('\n')).toMatch(/Kode pendaftaran Anda: FW-/);
      expect(sari.texts().join('\n')).not.toContain('Nomor HP');
      expect(h.wa.messages.some((m) => m.type === 'document' && (m.body['document'] as { filename?: string }).filename === 'forum-warga.ics')).toBe(true);
      expect(await registrationOf(forum!._id, 'whatsapp:6281111111111')).toMatchObject({ status: 'registered', name: 'Sari Wulandari', kelurahan: 'Bendan Duwur', phone: '6281111111111' });
    });

    it('offers the waitlist when the forum is full, and keeps the order', async () => {
      const forum = await forumsOf(h.app).models.forums.findOne({ title: /Petompon/ }).lean();
      const id = String(forum!._id);
      const tono = telegramUser(h, 2003, 'Tono');
      await tono.tap(`forum:f:${id}`);
      expect(tono.lastText()).toContain('daftar tunggu');
      await tono.tap(`forum:wait:${id}`);
      await tono.say('Tono Prasetyo');
      await tono.tap('forum:kel:petompon');
      await tono.tap('forum:phone:skip');
      expect(tono.lastText()).toContain('daftar tunggu');
      expect(tono.lastText()).toContain('nomor 1');

      // Someone who asks to sign up (not knowing it is full) is offered the waitlist.
      const wati = telegramUser(h, 2004, 'Wati');
      await wati.tap(`forum:join:${id}`);
      await wati.say('Wati Lestari');
      await wati.tap('forum:kel:petompon');
      await wati.tap('forum:phone:skip');
      expect(wati.lastText()).toContain('sudah penuh');
      await wati.tap('forum:wl:yes');
      expect(wati.lastText()).toContain('nomor 2');
      expect((await registrationOf(forum!._id, 'telegram:2004'))?.status).toBe('waitlisted');
    });

    it('asks nothing again the second time, and says so when already registered', async () => {
      const forum = await forumsOf(h.app).models.forums.findOne({ title: /Petompon/ }).lean();
      const budi = telegramUser(h, 2001, 'Budi');
      await budi.tap(`forum:join:${String(forum!._id)}`);
      expect(budi.lastText()).toContain('sudah terdaftar');
      expect(budi.texts().join('\n')).not.toContain('nama lengkap');
    });

    it('"forum saya" cancels with a tap and a "yakin?"; the first on the waitlist moves up and is told', async () => {
      const forum = await forumsOf(h.app).models.forums.findOne({ title: /Petompon/ }).lean();
      const budi = telegramUser(h, 2001, 'Budi');
      await budi.say('forum saya');
      const reg = await registrationOf(forum!._id, 'telegram:2001');
      expect(budi.lastText()).toContain(reg!.code);
      await budi.tap(`forumku:c:${String(reg!._id)}`);
      expect(budi.lastText()).toContain('Yakin membatalkan kursi');
      await budi.tap('forumku:no');
      expect((await registrationOf(forum!._id, 'telegram:2001'))?.status).toBe('registered');
      await budi.tap(`forumku:c:${String(reg!._id)}`);
      await budi.tap('forumku:yes');
      expect(budi.lastText()).toContain('sudah dibatalkan');
      expect((await registrationOf(forum!._id, 'telegram:2001'))?.status).toBe('cancelled');
      expect((await registrationOf(forum!._id, 'telegram:2003'))?.status).toBe('registered');
      expect(h.tg.sentTexts(2003).join('\n')).toContain('naik dari daftar tunggu');
      expect(h.tg.callsOf('sendDocument').some((c) => c.params['chat_id'] === 2003)).toBe(true);
      expect((await registrationOf(forum!._id, 'telegram:2004'))?.status).toBe('waitlisted');
      // Budi's reminders are stopped; Tono's are planned.
      const reminders = forumsOf(h.app).models.reminders;
      expect(await reminders.countDocuments({ registrationId: reg!._id, status: 'skipped' })).toBe(2);
      const tono = await registrationOf(forum!._id, 'telegram:2003');
      expect(await reminders.countDocuments({ registrationId: tono!._id, status: 'pending' })).toBe(2);
      // Tapping the same cancel button again is answered politely.
      await budi.tap(`forumku:c:${String(reg!._id)}`);
      expect(budi.lastText()).toContain('sudah tidak aktif');
    });

    it('closes registration at the deadline', async () => {
      const forum = await createForum(h, { title: 'Forum Karangrejo', kelurahan: 'Karangrejo', startAt: new Date(h.clock.now().getTime() + 5 * HOUR), registrationDeadline: new Date(h.clock.now().getTime() + HOUR) });
      h.clock.advance(HOUR + 60_000);
      const ani = telegramUser(h, 2005, 'Ani');
      await ani.say('/forum');
      expect(ani.buttons()).not.toContain(`forum:f:${String(forum._id)}`);
      await ani.tap(`forum:join:${String(forum._id)}`);
      await ani.say('Ani Rahma');
      await ani.tap('forum:kel:karangrejo');
      await ani.tap('forum:phone:skip');
      expect(ani.lastText()).toContain('sudah ditutup');
      expect(await registrationOf(forum._id, 'telegram:2005')).toBeNull();
    });
  });

  describe('staff at the door and after', () => {
    it('list registrants, mark attendance by code and by name, and export UTF-8 CSV with BOM', async () => {
      const forum = await forumsOf(h.app).models.forums.findOne({ title: /Petompon/ }).lean();
      const id = String(forum!._id);
      const staff = telegramUser(h, 777, 'Petugas');
      await staff.say('menu'); // the clock moved on; start fresh rather than resume
      await staff.tap(`forumstaf:reg:${id}`);
      expect(staff.lastText()).toContain('Sari Wulandari');
      expect(staff.lastText()).toContain('Tono Prasetyo');
      expect(staff.lastText()).toContain('Daftar tunggu:\n1. Wati Lestari');

      const sari = await registrationOf(forum!._id, 'whatsapp:6281111111111');
      await staff.tap(`forumstaf:att:${id}`);
      await staff.say(sari!.code.toLowerCase());
      expect(staff.lastText()).toContain('Sari Wulandari');
      expect(staff.lastText()).toContain('tercatat hadir');
      await staff.say('tono');
      expect(staff.lastText()).toContain('Tono Prasetyo');
      await staff.say('Joko');
      expect(staff.lastText()).toContain('Tidak ada pendaftar');
      expect((await registrationOf(forum!._id, 'telegram:2003'))?.attendedAt).toBeInstanceOf(Date);

      await staff.tap(`forumstaf:csv:${id}`);
      const doc = h.tg.callsOf('sendDocument').find((c) => c.params['chat_id'] === 777);
      const file = doc?.params['document'] as UploadedFile;
      expect(file.filename).toMatch(/\.csv$/);
      expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const csv = file.bytes.toString('utf8');
      expect(csv).toContain('"kode","nama","kelurahan","telepon","kanal","status"');
      expect(csv).toContain('"Sari Wulandari","Bendan Duwur","6281111111111","whatsapp","terdaftar"');
      expect(csv).toContain('"Budi Santoso","Petompon","6281234567890","telegram","batal"');
    });

    it('moving a forum tells registrants and reminders follow the new time', async () => {
      const forum = await forumsOf(h.app).models.forums.findOne({ title: /Petompon/ }).lean();
      const id = String(forum!._id);
      const staff = telegramUser(h, 777, 'Petugas');
      await staff.tap(`forumstaf:edit:${id}`);
      await staff.tap('forumstaf:field:date');
      await staff.say('8/12/2026');
      await staff.say('19.30');
      expect(staff.texts().join('\n')).toContain('pendaftar diberi tahu jadwal baru');
      const moved = await forumsOf(h.app).models.forums.findById(forum!._id).lean();
      expect(moved?.startAt.toISOString()).toBe('2026-12-08T12:30:00.000Z');
      expect(moved?.sequence).toBe(1);
      expect(h.tg.sentTexts(2003).join('\n')).toContain('dipindah');
      expect(h.tg.sentTexts(2004).join('\n')).toContain('dipindah'); // waitlisted people are told too
      expect(h.wa.sentTexts('6281111111111').join('\n')).toContain('dipindah');
      const tono = await registrationOf(forum!._id, 'telegram:2003');
      const due = (await forumsOf(h.app).models.reminders.find({ registrationId: tono!._id }).lean()).map((r) => r.dueAt.toISOString()).sort();
      expect(due).toEqual(['2026-12-07T12:30:00.000Z', '2026-12-08T10:30:00.000Z']);
      const staffReminder = await forumsOf(h.app).models.reminders.findOne({ forumId: forum!._id, kind: 'staff' }).lean();
      expect(staffReminder?.dueAt.toISOString()).toBe('2026-12-08T10:30:00.000Z');
    });

    it('cancelling a forum tells everyone and stops every reminder', async () => {
      const forum = await forumsOf(h.app).models.forums.findOne({ title: /Petompon/ }).lean();
      const id = String(forum!._id);
      const staff = telegramUser(h, 777, 'Petugas');
      await staff.tap(`forumstaf:cancel:${id}`);
      expect(staff.lastText()).toContain('Batalkan forum');
      // "Tidak" keeps the forum as it is.
      await staff.tap(`forumstaf:f:${id}`);
      expect((await forumsOf(h.app).models.forums.findById(forum!._id).lean())?.status).toBe('scheduled');
      await staff.tap(`forumstaf:cancel:${id}`);
      await staff.tap(`forumstaf:cancelyes:${id}`);
      expect(staff.lastText()).toContain('dibatalkan');
      expect(h.tg.sentTexts(2003).join('\n')).toContain('dibatalkan');
      expect(h.wa.sentTexts('6281111111111').join('\n')).toContain('dibatalkan');
      const reminders = forumsOf(h.app).models.reminders;
      expect(await reminders.countDocuments({ forumId: forum!._id, status: 'pending' })).toBe(0);
      // Nothing goes out when the reminder times come.
      h.tg.clear();
      h.wa.clear();
      h.clock.advance(9 * 24 * HOUR);
      await h.app.runJobsOnce();
      await h.settle();
      expect(h.tg.sentTexts(2003)).toEqual([]);
      expect(h.wa.sentTexts('6281111111111')).toEqual([]);
    });
  });
});
