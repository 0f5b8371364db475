/**
 * Context first (issue 10): a typed reply is read against the last prompt the person received,
 * pushed ones included: "5" after a rating request is a rating, an answer to a staff question goes
 * back to staff, "batal" after a reminder or on "forum saya" cancels that seat after a yes/no.
 * Through both webhooks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Types } from 'mongoose';
import { complaintModel } from '../../src/store/complaint-models.js';
import type { ForumDoc } from '../../src/domain/forums/forum-model.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, fileOnTelegram, fileOnWhatsApp, STAFF_GROUP, telegramStaff, telegramUser, whatsappUser } from './complaints-support.js';
import { createForum, forumsOf, HOUR, setClock } from './forums-support.js';

/** WhatsApp paces messages to one person, and the specs wait for delivery. */
const PACED = { timeout: 120_000 };

describe('Replies read against the last prompt, end to end', () => {
  let h: Harness;
  const complaints = () => complaintModel(h.app.conn);
  const registration = (id: Types.ObjectId) => forumsOf(h.app).models.registrations.findById(id).lean();

  /** Signs a person up through the service (their contact exists because they wrote to us). */
  async function signUp(forum: ForumDoc, channel: 'telegram' | 'whatsapp', userKey: string, name: string) {
    const r = await forumsOf(h.app).services.registrations.signUp(
      { forumId: String(forum._id), channel, userKey, name, kelurahan: 'Sampangan', lang: 'id', waitlist: false },
      h.clock.now(),
    );
    if (r.kind !== 'registered') throw new Error(`sign-up failed: ${r.kind}`);
    return r.registration;
  }

  /** Staff finish a ticket with a note: the reporter gets the update and the rating request. */
  async function finish(ticket: string): Promise<void> {
    const staff = telegramStaff(h, 9001);
    await staff.tap(`complaint-staff:selesai:${ticket}`);
    await staff.say('Sudah diperbaiki petugas');
  }

  beforeAll(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
    setClock(h, '2026-11-30T02:00:00Z'); // Monday 30 November 2026, 09:00 WIB
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  describe('a typed rating after the rating request', () => {
    it('on Telegram "5" rates the ticket (it used to get an ASN answer) and asks for a comment', async () => {
      const ticket = await fileOnTelegram(h, 6001, { description: 'Lampu PJU di tikungan Jl. Kelud mati sejak Jumat malam.', category: 'pju' });
      const reporter = telegramUser(h, 6001);
      h.clock.advance(60_000);
      await finish(ticket);
      expect(reporter.texts().join('\n')).toContain('Mohon beri nilai 1 (buruk) sampai 5');
      h.clock.advance(60_000);
      h.tg.clear();
      await reporter.say('5');
      expect(reporter.texts().join('\n')).toContain(`Terima kasih atas penilaian ⭐⭐⭐⭐⭐ untuk ${ticket}`);
      expect(reporter.texts().join('\n')).not.toContain('PPPK');
      expect((await complaints().findOne({ ticketNo: ticket }).lean())?.rating?.score).toBe(5);
      await reporter.say('Cepat sekali, terima kasih');
      expect((await complaints().findOne({ ticketNo: ticket }).lean())?.rating?.comment).toBe('Cepat sekali, terima kasih');
      // The request is answered once: a later "5" is an ordinary message again.
      h.tg.clear();
      await reporter.say('5');
      expect(reporter.texts().join('\n')).not.toContain('Terima kasih atas penilaian');
    });

    it('on WhatsApp "2" rates the ticket even though the menu was the last thing offered (it used to start a new complaint)', PACED, async () => {
      const from = '6281266610001';
      const ticket = await fileOnWhatsApp(h, from, { description: 'Sampah di TPS Lempongsari tidak diangkut sudah seminggu.', category: 'sampah' });
      const reporter = whatsappUser(h, from);
      await reporter.say('menu');
      h.clock.advance(60_000);
      await finish(ticket);
      h.wa.clear();
      h.clock.advance(60_000);
      await reporter.say('2');
      expect(reporter.texts().join('\n')).toContain(`Terima kasih atas penilaian ⭐⭐ untuk ${ticket}`);
      expect(reporter.texts().join('\n')).not.toContain('Apa jenis pengaduan');
      expect((await complaints().findOne({ ticketNo: ticket }).lean())?.rating?.score).toBe(2);
    });

    it('a message sent after the request was answered by something else is routed as usual', async () => {
      const ticket = await fileOnTelegram(h, 6002, { description: 'Selokan di Jl. Kelud Raya mampet, air meluap ke jalan.', category: 'drainase' });
      const reporter = telegramUser(h, 6002);
      h.clock.advance(60_000);
      await finish(ticket);
      h.clock.advance(60_000);
      await reporter.say('menu');
      h.clock.advance(60_000);
      await reporter.say('5');
      expect(reporter.texts().join('\n')).not.toContain('Terima kasih atas penilaian');
      expect((await complaints().findOne({ ticketNo: ticket }).lean())?.rating).toBeUndefined();
    });
  });

  describe('a typed answer to a staff question ("Balas pelapor")', () => {
    it('on Telegram goes back to the staff group with the action buttons', async () => {
      const ticket = await fileOnTelegram(h, 6003, { description: 'Lampu jalan di depan SD mati, gelap sekali kalau malam.', category: 'pju' });
      const reporter = telegramUser(h, 6003);
      const staff = telegramStaff(h, 9001);
      h.clock.advance(60_000);
      await staff.tap(`complaint-staff:balas:${ticket}`);
      await staff.say('Nomor tiang lampunya berapa, Pak? Tertulis di tiangnya.');
      expect(reporter.last()).toContain('Nomor tiang lampunya berapa');
      expect(reporter.last()).toContain('langsung ketik jawaban Anda');
      h.tg.clear();
      h.clock.advance(60_000);
      await reporter.say('0231');
      expect(reporter.last()).toContain(`jawaban Anda untuk ${ticket} sudah diteruskan ke petugas`);
      expect(staff.texts().join('\n')).toContain(`untuk ${ticket}`);
      expect(staff.texts().join('\n')).toContain('0231');
      // It is on the ticket's thread, after the staff question.
      const thread = (await complaints().findOne({ ticketNo: ticket }).lean())!.thread;
      expect(thread.map((t) => [t.from, t.text])).toEqual([
        ['staff', 'Nomor tiang lampunya berapa, Pak? Tertulis di tiangnya.'],
        ['reporter', '0231'],
      ]);
    });

    it('on WhatsApp too', PACED, async () => {
      const from = '6281266610002';
      const ticket = await fileOnWhatsApp(h, from, { description: 'Jalan di Lempongsari berlubang besar dekat tikungan masjid.', category: 'jalan' });
      const reporter = whatsappUser(h, from);
      const staff = telegramStaff(h, 9001);
      h.clock.advance(60_000);
      await staff.tap(`complaint-staff:balas:${ticket}`);
      await staff.say('Lubangnya kira-kira selebar apa, Bu?');
      h.tg.clear();
      h.clock.advance(60_000);
      await reporter.say('kira kira 1 meter, dalamnya sejengkal');
      expect(reporter.last()).toContain(`jawaban Anda untuk ${ticket} sudah diteruskan ke petugas`);
      const toStaff = h.tg.sentTexts(STAFF_GROUP).join('\n');
      expect(toStaff).toContain(`untuk ${ticket}`);
      expect(toStaff).toContain('kira kira 1 meter, dalamnya sejengkal');
    });
  });

  describe('"batal" on "forum saya" asks first, then cancels that seat', () => {
    it('on Telegram: "batal" → "Yakin membatalkan kursi di …?" → "ya" cancels', async () => {
      const forum = await createForum(h, { title: 'Forum Warga Sampangan' });
      const u = telegramUser(h, 6004);
      await u.say('halo');
      const reg = await signUp(forum, 'telegram', '6004', 'Budi Santoso');
      await u.say('forum saya');
      expect(u.last()).toContain('Forum Warga Sampangan');
      await u.say('batal');
      expect(u.last()).toContain('Yakin membatalkan kursi di Forum Warga Sampangan?');
      expect(u.last()).not.toContain('Tidak ada yang disimpan');
      expect((await registration(reg._id))?.status).toBe('registered');
      await u.say('ya');
      expect(u.last()).toContain('sudah dibatalkan');
      expect((await registration(reg._id))?.status).not.toBe('registered');
    });

    it('on WhatsApp: "tidak" keeps the seat; "batal" then "Ya" cancels it', PACED, async () => {
      const forum = await createForum(h, { title: 'Forum Warga Petompon' });
      const from = '6281266610003';
      const u = whatsappUser(h, from, 'Sari');
      await u.say('halo');
      const reg = await signUp(forum, 'whatsapp', from, 'Sari Wulandari');
      await u.say('forum saya');
      await u.say('batal');
      expect(u.last()).toContain('Yakin membatalkan kursi di Forum Warga Petompon?');
      await u.say('tidak');
      expect(u.last()).toContain('tetap terdaftar');
      expect((await registration(reg._id))?.status).toBe('registered');
      await u.say('forum saya');
      await u.say('batal');
      await u.tap('forumku:yes', 'Ya');
      expect(u.last()).toContain('sudah dibatalkan');
      expect((await registration(reg._id))?.status).not.toBe('registered');
    });
  });

  describe('"ga bisa datang" after a forum reminder', () => {
    it('asks to confirm and cancels that seat, on Telegram and on WhatsApp', PACED, async () => {
      const startAt = new Date(h.clock.now().getTime() + 3 * 24 * HOUR);
      const forum = await createForum(h, { title: 'Musrenbang Kelurahan Bendungan', startAt });
      const tg = telegramUser(h, 6005);
      await tg.say('halo');
      const wa = whatsappUser(h, '6281266610004', 'Dewi');
      const regTg = await signUp(forum, 'telegram', '6005', 'Joko');
      // 24 hours before the forum; Dewi writes first so the reminder is a normal message, not a template.
      h.clock.advance(startAt.getTime() - h.clock.now().getTime() - 24 * HOUR - 10 * 60_000);
      await wa.say('halo');
      const regWa = await signUp(forum, 'whatsapp', '6281266610004', 'Dewi');
      h.clock.advance(10 * 60_000 + 30_000);
      await h.app.runJobsOnce();
      await h.settle();
      expect(tg.texts().join('\n')).toContain('dimulai 24 jam lagi');
      expect(wa.texts().join('\n')).toContain('dimulai 24 jam lagi');

      h.clock.advance(60_000);
      await tg.say('ga bisa datang');
      expect(tg.last()).toContain('Yakin membatalkan kursi di Musrenbang Kelurahan Bendungan?');
      await tg.say('iya');
      expect(tg.last()).toContain('sudah dibatalkan');
      expect((await registration(regTg._id))?.status).not.toBe('registered');

      await wa.say('batal');
      expect(wa.last()).toContain('Yakin membatalkan kursi di Musrenbang Kelurahan Bendungan?');
      await wa.tap('forumku:yes', 'Ya');
      expect(wa.last()).toContain('sudah dibatalkan');
      expect((await registration(regWa._id))?.status).not.toBe('registered');
    });
  });
});
