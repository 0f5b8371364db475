/**
 * The understanding step, end to end through both webhooks: how people in Semarang actually write
 * (Javanese-flavoured Indonesian, indirect questions, English with a personal detail, complaints
 * as a first message), bribery that must never be missed, the language rule, small talk, and the
 * clarifying question when the bot is unsure.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/test-app.js';
import { tgCallback, tgGroupText, tgText } from '../support/payloads/telegram.js';
import { waButtonReply, waListReply, waText, waWebhook } from '../support/payloads/whatsapp.js';

type Interactive = { type: string; body: { text: string }; action: { buttons?: Array<{ reply: { id: string } }>; sections?: Array<{ rows: Array<{ id: string }> }> } };

/** What a person sees after one message: the texts and the ids of the choices offered. */
interface Seen {
  texts: string[];
  choices: string[];
}

/** One person on one platform, writing and tapping. */
interface Person {
  say(text: string): Promise<Seen>;
  tap(id: string): Promise<Seen>;
}

let h: Harness;
let nextId = 0;

function telegramPerson(): Person {
  const userId = 7100 + nextId++;
  const seen = async (): Promise<Seen> => {
    await h.settle();
    const calls = h.tg.callsOf('sendMessage').filter((c) => String(c.params['chat_id']) === String(userId));
    const choices = calls.flatMap((c) => ((c.params['reply_markup'] as { inline_keyboard?: Array<Array<{ callback_data: string }>> } | undefined)?.inline_keyboard ?? []).flat().map((b) => b.callback_data));
    const result = { texts: h.tg.sentTexts(userId), choices };
    h.tg.clear();
    return result;
  };
  return {
    async say(text) {
      await h.postTelegram(tgText({ userId, text }));
      return seen();
    },
    async tap(id) {
      await h.postTelegram(tgCallback({ userId, data: id }));
      return seen();
    },
  };
}

function whatsappPerson(): Person {
  const from = `62815700${String(1000 + nextId++)}`;
  const seen = async (): Promise<Seen> => {
    await h.settle();
    const sent = h.wa.sentTo(from);
    const choices = sent.flatMap((m) => {
      const i = m.body['interactive'] as Interactive | undefined;
      if (!i) return [];
      return i.type === 'button' ? (i.action.buttons ?? []).map((b) => b.reply.id) : (i.action.sections ?? []).flatMap((s) => s.rows.map((r) => r.id));
    });
    const result = { texts: h.wa.sentTexts(from), choices };
    h.wa.clear();
    return result;
  };
  return {
    async say(text) {
      await h.postWhatsApp(waWebhook(waText({ from, text })));
      return seen();
    },
    async tap(id) {
      // Up to three choices come as buttons, more as a list.
      const isButton = id.startsWith('u:') || id.startsWith('g:') || id.startsWith('faq:');
      await h.postWhatsApp(waWebhook(isButton ? waButtonReply({ from, replyId: id, title: id }) : waListReply({ from, replyId: id, title: id })));
      return seen();
    },
  };
}

const joined = (s: Seen) => s.texts.join('\n');
/** The complaint form opened: it asks the category, or (what the message said is taken) what is still missing. */
const startsComplaint = (s: Seen) => s.choices.some((c) => c.startsWith('complaint:')) || /Di kelurahan mana lokasinya|Di mana tepatnya lokasinya|Ceritakan masalahnya/.test(s.texts.join('\n'));
/** The complaint form opened, or a clarifying question that offers it first or second. */
const offersComplaint = (s: Seen) => startsComplaint(s) || s.choices.filter((c) => c.startsWith('u:')).slice(0, 2).includes('u:complaint.new');
const ANTI_FRAUD_ID = 'Tidak ada jalan pintas';
const NOT_UNDERSTOOD = 'belum memahami';

const STAFF_GROUP = -100900;

beforeAll(async () => {
  h = await startHarness({ env: { STAFF_TELEGRAM_CHAT_IDS: String(STAFF_GROUP) } });
});
afterAll(async () => h.close());
beforeEach(() => {
  h.tg.clear();
  h.wa.clear();
});

describe.each([
  ['Telegram', telegramPerson],
  ['WhatsApp', whatsappPerson],
])('Understanding people as they write (%s)', (_platform, newPerson) => {
  describe('complaints written as a first message start the complaint flow', () => {
    it.each([
      'KK saya sudah 3 minggu belum jadi',
      'blangko KTP habis katanya, sudah sebulan',
      'saya dipingpong dari kelurahan ke kecamatan terus',
      'petugas kelurahan judes banget',
      'petugas kelurahan tidak ada di tempat jam kerja',
      'pak lurah minta uang buat tanda tangan',
      'pkl jualan di trotoar',
      'kabel menjuntai rendah di gang sampangan',
      'daftar bansos tidak adil, yang mampu malah dapat',
    ])('"%s"', async (text) => {
      const seen = await newPerson().say(text);
      expect(offersComplaint(seen)).toBe(true);
      expect(joined(seen)).not.toContain('Selamat datang');
    });
  });

  describe('the words people use to start a complaint', () => {
    it.each(['lapor', 'mau komplain', 'pengaduan', 'aduan', 'mau ngadu'])('"%s" opens the complaint form', async (text) => {
      const seen = await newPerson().say(text);
      expect(startsComplaint(seen)).toBe(true);
      expect(joined(seen)).not.toContain('Sanggah');
      expect(joined(seen)).not.toContain(NOT_UNDERSTOOD);
    });

    it.each(['laporan saya kemarin gimana ya', 'cek'])('"%s" looks up the person\'s own complaints', async (text) => {
      const seen = await newPerson().say(text);
      expect(joined(seen)).toContain('belum pernah mengirim pengaduan');
      expect(joined(seen)).not.toContain('formasi');
    });
  });

  describe('bribery is never missed', () => {
    it('warns about "bayar 50 juta bisa lulus ga" as a first message and after a greeting', async () => {
      expect(joined(await newPerson().say('bayar 50 juta bisa lulus ga'))).toContain(ANTI_FRAUD_ID);
      const p = newPerson();
      await p.say('halo');
      expect(joined(await p.say('bayar 50 juta bisa lulus ga'))).toContain(ANTI_FRAUD_ID);
    });

    it('warns in English about "can I pay someone to guarantee I pass?"', async () => {
      const seen = await newPerson().say('can I pay someone to guarantee I pass?');
      expect(joined(seen)).toContain('There is no shortcut');
      expect(joined(seen)).toContain('lapor.go.id');
    });

    it('warns even in the middle of a form that expected a choice', async () => {
      const p = newPerson();
      expect(startsComplaint(await p.say('mau lapor'))).toBe(true);
      expect(joined(await p.say('kalau saya bayar 20 juta bisa lolos pppk?'))).toContain(ANTI_FRAUD_ID);
    });

    it('answers a question typed where the complaint form expected a category', async () => {
      const p = newPerson();
      expect(startsComplaint(await p.say('mau lapor'))).toBe(true);
      const seen = await p.say('berapa batas umur daftar cpns kak?');
      expect(joined(seen)).toContain('35 tahun');
      expect(joined(seen)).toContain('Sumber:');
    });

    it('keeps a fee question an FAQ answer', async () => {
      const seen = await newPerson().say('daftar cpns bayar ga');
      expect(joined(seen)).toContain('Sumber:');
      expect(joined(seen)).not.toContain(ANTI_FRAUD_ID);
    });
  });

  describe('indirect forum requests', () => {
    it('"daftarin bapak saya pak Slamet ke musrenbang" opens the forum sign-up, not a complaint', async () => {
      const seen = await newPerson().say('daftarin bapak saya pak Slamet ke musrenbang');
      expect(joined(seen)).toMatch(/forum warga/i);
      expect(startsComplaint(seen)).toBe(false);
    });

    it.each(['hapus nama saya dari daftar peserta forum', 'besok saya tidak bisa datang ke forum'])('"%s" opens "my forums"', async (text) => {
      const seen = await newPerson().say(text);
      expect(joined(seen)).toContain('belum terdaftar di forum');
      expect(startsComplaint(seen)).toBe(false);
    });
  });

  describe('questions the way applicants ask them', () => {
    it('answers Javanese-flavoured "umur kuwi punjul 35 iso daftar ora" (or asks CPNS or PPPK, CPNS first)', async () => {
      const person = newPerson();
      let seen = await person.say('umur kuwi punjul 35 iso daftar ora');
      // "punjul 35" does not say CPNS or PPPK, whose age rules differ: a clarifying question is fair.
      if (!joined(seen).includes('Sumber:')) {
        expect(seen.choices[0]).toBe('u:faq:cpns-usia');
        seen = await person.tap('u:faq:cpns-usia');
      }
      expect(joined(seen)).toContain('35 tahun');
      expect(joined(seen)).toContain('Sumber:');
    });

    it('answers the indirect "ijazah saya hilang sebelum daftar, gimana"', async () => {
      expect(joined(await newPerson().say('ijazah saya hilang sebelum daftar, gimana'))).toContain('Sumber:');
    });

    it('answers an English question with a personal detail in English', async () => {
      const seen = await newPerson().say('What is the passing grade for CPNS? I am 30');
      expect(joined(seen)).toContain('Source:');
    });

    it('resolves "kalau PPPK?" against the last answer, and asks which topic without one', async () => {
      const p = newPerson();
      expect(joined(await p.say('brp umur max cpns'))).toContain('35 tahun');
      const follow = joined(await p.say('kalau PPPK?'));
      expect(follow).toContain('PPPK');
      expect(follow).toContain('Sumber:');
      expect(joined(await p.say('kalo yg S2?'))).toContain('Sumber:');
      const lost = await newPerson().say('kalau PPPK?');
      expect(joined(lost)).toContain('Maksud Anda');
    });
  });

  describe('confidence that shows', () => {
    it('asks a short clarifying question when unsure, and answers the choice tapped', async () => {
      const p = newPerson();
      const asked = await p.say('syarat');
      expect(joined(asked)).toMatch(/^Maksud Anda: .+, atau .+\?$/m);
      const options = asked.choices.filter((c) => c.startsWith('u:'));
      expect(options.length).toBeGreaterThanOrEqual(2);
      expect(options.length).toBeLessThanOrEqual(3);
      expect(joined(await p.tap(options[0]!))).toContain('Sumber:');
    });

    it('says honestly that it did not understand, with the menu', async () => {
      const seen = await newPerson().say('qwxz vbnm plok');
      expect(joined(seen)).toContain(NOT_UNDERSTOOD);
      expect(seen.choices).toContain('m:faq');
    });
  });

  describe('language', () => {
    it('keeps an Indonesian person in Indonesian after "passing grade"', async () => {
      const p = newPerson();
      expect(joined(await p.say('passing grade cpns berapa'))).toContain('Sumber:');
      expect(joined(await p.say('menu'))).toContain('Menu utama');
    });

    it('keeps Indonesian after an address such as "Gang Sampangan III dekat masjid"', async () => {
      const p = newPerson();
      await p.say('mau lapor');
      await p.say('Gang Sampangan III dekat masjid');
      expect(joined(await p.say('menu'))).toContain('Menu utama');
    });

    it('answers a clearly English conversation in English and remembers it', async () => {
      const p = newPerson();
      expect(joined(await p.say('what documents do I need to register for CPNS?'))).toContain('Source:');
      expect(joined(await p.say('menu'))).toContain('Main menu');
    });
  });

  describe('small talk gets one short line in the person\'s language, not the menu', () => {
    it.each([
      ['terima kasih banyak kak', 'Sama-sama'],
      ['siap', 'Sama-sama'],
      ['kamu bot ya?', 'asisten otomatis'],
    ])('"%s"', async (text, expected) => {
      const seen = await newPerson().say(text);
      expect(seen.texts).toHaveLength(1);
      expect(seen.texts[0]).toContain(expected);
      expect(seen.texts[0]).not.toContain(NOT_UNDERSTOOD);
    });

    it('"ok" in an Indonesian conversation gets an Indonesian reply', async () => {
      const p = newPerson();
      await p.say('brp umur max cpns');
      const seen = await p.say('ok');
      expect(seen.texts).toEqual([expect.stringContaining('Sama-sama')]);
    });
  });
});

describe('Staff talk in the staff group', () => {
  it('never gets a complaint form for a problem they discuss among themselves', async () => {
    await h.postTelegram(tgGroupText({ chatId: STAFF_GROUP, userId: 7900, text: 'jalan di sampangan rusak parah, besok kita cek ke lokasi' }));
    await h.settle();
    const choices = h.tg
      .callsOf('sendMessage')
      .flatMap((c) => ((c.params['reply_markup'] as { inline_keyboard?: Array<Array<{ callback_data: string }>> } | undefined)?.inline_keyboard ?? []).flat())
      .map((b) => b.callback_data);
    expect(choices.some((c) => c.startsWith('complaint:cat:'))).toBe(false);
  });
});
