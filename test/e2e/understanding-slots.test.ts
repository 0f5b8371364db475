/**
 * Understanding people as they write (issue 10, slots): a complaint written in one message keeps
 * what was said and asks only for what is missing; choice steps accept close spellings; staff
 * type forum dates and times the way they say them. Through both webhooks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { complaintModel } from '../../src/store/complaint-models.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, telegramUser, ticketIn, whatsappUser } from './complaints-support.js';
import { forumsOf, setClock } from './forums-support.js';

/** WhatsApp paces messages to one person, and the specs wait for delivery. */
const PACED = { timeout: 120_000 };

const ASK_CATEGORY = 'Apa jenis pengaduan atau aspirasi Anda?';
const ASK_KELURAHAN = 'Di kelurahan mana lokasinya?';
const ASK_PLACE = 'Di mana tepatnya lokasinya?';
const ASK_DESCRIPTION = 'Ceritakan masalahnya';
const ASK_PHOTOS = 'Ada foto pendukung?';
const ASK_IDENTITY = 'Bagaimana identitas Anda ditampilkan';

describe('Understanding what people write, end to end', () => {
  let h: Harness;
  const complaints = () => complaintModel(h.app.conn);

  beforeAll(async () => {
    // Telegram user 777 is staff too (forum management); the complaint staff group stays -100500.
    h = await startHarness({ env: { ...COMPLAINT_ENV, STAFF_TELEGRAM_CHAT_IDS: '-100500,777' } });
    setClock(h, '2026-11-30T02:00:00Z'); // Monday 30 November 2026, 09:00 WIB
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  describe('a complaint written as the first message', () => {
    const story = 'lampu jalan di gang sampangan 3 mati udh seminggu';

    it('on Telegram keeps the message as the description, takes category, kelurahan and street from it, and asks only for photos and identity', async () => {
      const u = telegramUser(h, 5101);
      await u.say(story);
      const first = u.texts().join('\n');
      expect(first).toContain('Dari pesan Anda sudah saya catat');
      expect(first).toContain('Kategori: Penerangan jalan');
      expect(first).toContain('Kelurahan: Sampangan');
      expect(first).toContain('Lokasi: gang sampangan 3');
      expect(first).toContain('Uraian: pesan Anda');
      expect(first).not.toContain(ASK_CATEGORY);
      expect(first).not.toContain(ASK_KELURAHAN);
      expect(first).not.toContain(ASK_PLACE);
      expect(u.last()).toContain(ASK_PHOTOS);
      await u.say('ga ada foto');
      expect(u.last()).toContain(ASK_IDENTITY);
      await u.say('anonim aja');
      expect(u.last()).toContain('Ringkasan pengaduan Anda');
      expect(u.last()).toContain(`Uraian: ${story}`);
      expect(u.last()).toContain('Identitas: Anonim');
      await u.say('Kirim');
      const ticket = ticketIn(u.last());
      const saved = await complaints().findOne({ ticketNo: ticket }).lean();
      expect(saved).toMatchObject({ category: 'pju', kelurahan: 'sampangan', description: story, identity: 'anonim', place: { address: 'gang sampangan 3' } });
      expect(saved?.photos).toEqual([]);
      // "cek tiket 42": the person's own ticket by its bare number.
      await u.say(`cek tiket ${Number(ticket.split('-')[2])}`);
      expect(u.last()).toContain(ticket);
      expect(u.last()).toContain('Penerangan jalan');
    });

    it('on WhatsApp does the same', PACED, async () => {
      const u = whatsappUser(h, '6281255510001', 'Rina');
      await u.say(story);
      const first = u.texts().join('\n');
      expect(first).toContain('Kategori: Penerangan jalan');
      expect(first).toContain('Lokasi: gang sampangan 3');
      expect(first).not.toContain(ASK_PLACE);
      expect(u.last()).toContain(ASK_PHOTOS);
      await u.say('ga ada foto');
      await u.say('anonim aja');
      expect(u.last()).toContain(`Uraian: ${story}`);
      await u.tap('complaint:submit', 'Kirim');
      const ticket = ticketIn(u.last());
      const saved = await complaints().findOne({ ticketNo: ticket }).lean();
      expect(saved).toMatchObject({ category: 'pju', kelurahan: 'sampangan', description: story, identity: 'anonim', place: { address: 'gang sampangan 3' } });
      await u.say(`cek tiket ${Number(ticket.split('-')[2])}`);
      expect(u.texts().join('\n')).toContain(`${ticket}\n`);
    });

    it('"lampu jalan mati" does not ask for the category; a typed "karang rejo" / "bendan dhuwur" answers the kelurahan (Telegram, WhatsApp)', PACED, async () => {
      const tg = telegramUser(h, 5102);
      await tg.say('lampu jalan mati');
      expect(tg.texts().join('\n')).toContain('Kategori: Penerangan jalan');
      expect(tg.texts().join('\n')).not.toContain(ASK_CATEGORY);
      expect(tg.last()).toContain(ASK_KELURAHAN);
      await tg.say('karang rejo');
      expect(tg.last()).toContain(ASK_PLACE);

      const wa = whatsappUser(h, '6281255510002', 'Joko');
      await wa.say('lampu jalan mati');
      expect(wa.texts().join('\n')).not.toContain(ASK_CATEGORY);
      expect(wa.last()).toContain(ASK_KELURAHAN);
      await wa.say('bendan dhuwur');
      expect(wa.last()).toContain(ASK_PLACE);
      await wa.say('Jl. Sadewa Raya depan musholla');
      // The message was the description: straight to photos.
      expect(wa.last()).toContain(ASK_PHOTOS);
      await wa.say('ga ada foto');
      await wa.say('anonim aja');
      expect(wa.last()).toContain('Kelurahan: Bendan Duwur');
      expect(wa.last()).toContain('Uraian: lampu jalan mati');
    });

    it('"mau lapor jalan rusak" takes the category but is not the description; "gajah mungkur" and "ga tau kelurahannya" answer the kelurahan (Telegram, WhatsApp)', PACED, async () => {
      const tg = telegramUser(h, 5103);
      await tg.say('mau lapor jalan rusak');
      expect(tg.texts().join('\n')).toContain('Kategori: Infrastruktur & jalan');
      expect(tg.texts().join('\n')).not.toContain('Uraian: pesan Anda');
      expect(tg.last()).toContain(ASK_KELURAHAN);
      await tg.say('gajah mungkur');
      expect(tg.last()).toContain(ASK_PLACE);
      await tg.say('Jl. Tumpang Raya dekat pasar');
      expect(tg.last()).toContain(ASK_DESCRIPTION);
      await tg.say('Aspal mengelupas dan berlubang sepanjang 20 meter sejak hujan deras minggu lalu.');
      expect(tg.last()).toContain(ASK_PHOTOS);
      await tg.say('ga ada foto');
      await tg.say('anonim aja');
      expect(tg.last()).toContain('Kelurahan: Gajahmungkur');
      expect(tg.last()).toContain('Uraian: Aspal mengelupas');

      const wa = whatsappUser(h, '6281255510003', 'Tono');
      await wa.say('mau lapor jalan rusak');
      expect(wa.last()).toContain(ASK_KELURAHAN);
      await wa.say('ga tau kelurahannya');
      expect(wa.texts().join('\n')).toContain('petugas akan menentukan kelurahannya');
      expect(wa.last()).toContain(ASK_PLACE);
      await wa.say('Jl. Kawi dekat SD');
      expect(wa.last()).toContain(ASK_DESCRIPTION);
      await wa.say('Jalan berlubang besar di tikungan, sudah dua motor jatuh minggu ini.');
      await wa.say('ga ada foto');
      await wa.say('anonim aja');
      expect(wa.last()).toContain('Kelurahan: Belum diketahui');
      await wa.tap('complaint:submit', 'Kirim');
      const saved = await complaints().findOne({ ticketNo: ticketIn(wa.last()) }).lean();
      expect(saved).toMatchObject({ category: 'jalan', kelurahan: 'belum-diketahui', description: 'Jalan berlubang besar di tikungan, sudah dua motor jatuh minggu ini.' });
    });

    it('"mau lapor" alone starts the form without becoming the description (Telegram, WhatsApp)', PACED, async () => {
      const tg = telegramUser(h, 5104);
      await tg.say('/lapor mau lapor');
      expect(tg.last()).toContain(ASK_CATEGORY);
      expect(tg.texts().join('\n')).not.toContain('Uraian: pesan Anda');
      await tg.say('lampu');
      await tg.say('Petompon');
      await tg.say('Jl. Kelud Raya dekat masjid');
      expect(tg.last()).toContain(ASK_DESCRIPTION);

      const wa = whatsappUser(h, '6281255510004', 'Wati');
      await wa.tap('m:complaint', 'Pengaduan / aspirasi');
      h.wa.clear();
      await wa.say('mau lapor');
      // (the categories come as one WhatsApp list)
      expect(wa.texts().join('\n')).toContain(ASK_CATEGORY);
      expect(wa.texts().join('\n')).not.toContain('Sepertinya Anda');
      await wa.say('sampah');
      expect(wa.last()).toContain(ASK_KELURAHAN);
      await wa.say('Kel. Petompon');
      await wa.say('Jl. Kelud Raya dekat masjid');
      expect(wa.last()).toContain(ASK_DESCRIPTION);
    });
  });

  describe('a resident signs up for a forum in their own words', () => {
    it('"nama saya Budi Santoso" and "karang rejo" on Telegram; "atas nama Sari Wulandari" and "bdn ngisor" on WhatsApp', PACED, async () => {
      const forum = await forumsOf(h.app).services.forums.create(
        {
          title: 'Forum Warga Karangrejo',
          topic: 'Penerangan jalan kampung',
          kelurahan: 'Karangrejo',
          venue: 'Balai Kelurahan Karangrejo',
          durationMinutes: 120,
          capacity: 20,
          startAt: new Date('2026-12-10T02:00:00Z'),
          registrationDeadline: new Date('2026-12-09T02:00:00Z'),
        },
        'telegram:777',
        h.clock.now(),
      );
      const id = String(forum._id);
      const registrations = forumsOf(h.app).models.registrations;

      const tg = telegramUser(h, 5105);
      await tg.say('/forum');
      await tg.tap(`forum:f:${id}`);
      await tg.tap(`forum:join:${id}`);
      await tg.say('nama saya Budi Santoso');
      expect(tg.last()).toContain('kelurahan');
      await tg.say('karang rejo');
      expect(tg.last()).toContain('Nomor HP');
      await tg.say('081234567890');
      expect(await registrations.findOne({ forumId: forum._id, contactKey: 'telegram:5105' }).lean()).toMatchObject({ name: 'Budi Santoso', kelurahan: 'Karangrejo' });

      const wa = whatsappUser(h, '6281255510005', 'Sari');
      await wa.tap('m:forum', 'Forum warga');
      await wa.tap(`forum:f:${id}`, 'Forum Warga Karangrejo');
      await wa.tap(`forum:join:${id}`, 'Daftar');
      await wa.say('atas nama Sari Wulandari');
      await wa.say('bdn ngisor');
      // The forum is for Karangrejo: a resident of Bendan Ngisor is told, and chooses to sign up anyway.
      expect(wa.last()).toContain('ditujukan untuk warga Kelurahan Karangrejo');
      await wa.say('ya');
      expect(await registrations.findOne({ forumId: forum._id, contactKey: 'whatsapp:6281255510005' }).lean()).toMatchObject({ name: 'Sari Wulandari', kelurahan: 'Bendan Ngisor' });
    });
  });

  describe('staff type forum dates and times as they say them', () => {
    const startNewForum = async (say: (t: string) => Promise<void>, tap: (id: string) => Promise<void>, title: string) => {
      await tap('forumstaf:new');
      await say(title);
      await say('Rembuk warga soal keamanan lingkungan');
      await tap('forumstaf:kel:sampangan');
      await say('Balai Kelurahan Sampangan');
    };

    it('on Telegram: "lusa", "tgl 12", "12/1", "senin depan", "besok"; "jam 7 malam", "19.30", "jam 9 pagi"', PACED, async () => {
      const staff = telegramUser(h, 777, 'Petugas');
      await staff.say('/forumstaf');
      await startNewForum(staff.say, staff.tap, 'Rembuk Warga Sampangan');
      const day = async (typed: string, shown: string) => {
        await staff.say(typed);
        expect(staff.texts().join('\n')).toContain(`🗓 ${shown}`);
        expect(staff.last()).toContain('Jam mulai (WIB)?');
        h.tg.clear();
      };
      await day('lusa', 'Rabu, 2 Desember 2026');
      await staff.say('kembali');
      await day('tgl 12', 'Sabtu, 12 Desember 2026');
      await staff.say('kembali');
      await day('12/1', 'Selasa, 12 Januari 2027');
      await staff.say('kembali');
      await day('senin depan', 'Senin, 7 Desember 2026');
      await staff.say('kembali');
      await day('besok', 'Selasa, 1 Desember 2026');
      await staff.say('jam 7 malam');
      expect(staff.last()).toContain('Berapa lama?');
      await staff.say('kembali');
      await staff.say('19.30');
      expect(staff.last()).toContain('Berapa lama?');
      await staff.say('kembali');
      await staff.say('jam 9 pagi');
      await staff.say('2 jam');
      await staff.say('40');
      await staff.tap('forumstaf:dl:3');
      expect(staff.last()).toContain('Selasa, 1 Desember 2026 pukul 09.00 WIB');
      await staff.tap('forumstaf:save');
      const forum = await forumsOf(h.app).models.forums.findOne({ title: 'Rembuk Warga Sampangan' }).lean();
      expect(forum?.startAt.toISOString()).toBe('2026-12-01T02:00:00.000Z'); // 09:00 WIB
    });

    it('on WhatsApp: "besok jam 9 pagi" in one message skips the time question; "jam 7 malam" is 19.00', PACED, async () => {
      const staff = whatsappUser(h, '6281299990000', 'Petugas WA');
      await staff.tap('m:forumstaf', 'Kelola forum');
      await startNewForum(staff.say, (id) => staff.tap(id), 'Rembuk Warga Bendan');
      await staff.say('besok jam 9 pagi');
      expect(staff.last()).toContain('Berapa lama?');
      // "kembali" returns to the date question (the time came with it).
      await staff.say('kembali');
      expect(staff.last()).toContain('Tanggal forum?');
      await staff.say('besok');
      expect(staff.last()).toContain('Jam mulai (WIB)?');
      await staff.say('jam 7 malam');
      await staff.say('90 menit');
      await staff.say('25');
      await staff.tap('forumstaf:dl:3');
      expect(staff.last()).toContain('Selasa, 1 Desember 2026 pukul 19.00 WIB');
      await staff.tap('forumstaf:save');
      const forum = await forumsOf(h.app).models.forums.findOne({ title: 'Rembuk Warga Bendan' }).lean();
      expect(forum?.startAt.toISOString()).toBe('2026-12-01T12:00:00.000Z'); // 19:00 WIB
    });
  });
});
