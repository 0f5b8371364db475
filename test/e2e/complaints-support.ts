/**
 * Conversation helpers for the complaints specs: send what a person sends on Telegram or
 * WhatsApp (real webhook payloads, dated by the test clock) and read what the fakes received.
 */
import { DateTime } from 'luxon';
import type { Message } from 'telegraf/types';
import type { Harness } from '../support/test-app.js';
import { tgCallback, tgContact, tgGroupText, tgLocation, tgPhoto, tgText } from '../support/payloads/telegram.js';
import { waButtonReply, waImage, waLocation, waText, waWebhook } from '../support/payloads/whatsapp.js';

/** Staff and office settings used by the complaints specs. */
export const COMPLAINT_ENV = {
  STAFF_TELEGRAM_CHAT_IDS: '-100500',
  STAFF_WHATSAPP_NUMBERS: '6281299990000',
  HEAD_OF_OFFICE_TELEGRAM_CHAT_IDS: '-100900',
  SENIOR_STAFF_TELEGRAM_CHAT_IDS: '7000',
  COMPLAINT_DAILY_LIMIT: '2',
  HOLIDAYS: '2026-12-25',
};

export const STAFF_GROUP = -100500;
export const HEAD_CHAT = -100900;
export const STAFF_WA = '6281299990000';

/** Moves the test clock forward to the next Monday 09:00 WIB, so working-day targets are predictable. */
export function toMondayMorning(h: Harness): DateTime {
  const now = DateTime.fromJSDate(h.clock.now()).setZone('Asia/Jakarta');
  let monday = now.startOf('week').set({ hour: 9 });
  if (monday <= now) monday = monday.plus({ weeks: 1 });
  h.clock.advance(monday.toMillis() - now.toMillis());
  return monday;
}

/** A time as the bot shows it: "30 Nov 2026 09.00 WIB". */
export function wib(at: Date | DateTime): string {
  const dt = (at instanceof Date ? DateTime.fromJSDate(at) : at).setZone('Asia/Jakarta').setLocale('id');
  return `${dt.toFormat('d LLL yyyy HH.mm')} WIB`;
}

/** A day as the bot shows it: "Kamis, 3 Des 2026". */
export function wibDay(at: DateTime): string {
  return at.setZone('Asia/Jakarta').setLocale('id').toFormat('cccc, d LLL yyyy');
}

type InlineKeyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };

/** Waits for a webhook POST, requires its 200, then lets the app finish handling it. */
async function delivered(h: Harness, posted: Promise<{ statusCode: number; body: string }>): Promise<void> {
  const res = await posted;
  if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  await h.settle();
}

export function telegramUser(h: Harness, userId: number, firstName = 'Budi') {
  const date = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = (update: object) => delivered(h, h.postTelegram(update));
  return {
    userId,
    say: (text: string) => post(tgText({ userId, text, firstName, date: date() })),
    tap: (data: string) => post(tgCallback({ userId, data, firstName, date: date() })),
    location: (latitude: number, longitude: number) => post(tgLocation({ userId, latitude, longitude, firstName, date: date() })),
    photo: (fileId: string, size: number) => post(tgPhoto({ userId, fileId, fileSize: size, firstName, date: date() })),
    contact: (phoneNumber: string) => post(tgContact({ userId, phoneNumber, firstName, date: date() })),
    /** Texts the bot sent this person (messages and captions), oldest first. */
    texts: () => h.tg.sentTexts(userId),
    last: () => h.tg.sentTexts(userId).at(-1) ?? '',
    /** callback_data of the buttons under the last message with buttons. */
    buttons: (): string[] => {
      const calls = h.tg.callsOf('sendMessage').filter((c) => c.params['chat_id'] === userId && c.params['reply_markup']);
      const markup = calls.at(-1)?.params['reply_markup'] as InlineKeyboard | undefined;
      return markup ? markup.inline_keyboard.flat().map((b) => b.callback_data) : [];
    },
  };
}

/** A staff member writing in the staff Telegram group (or, with a positive `chatId`, privately). */
export function telegramStaff(h: Harness, userId: number, chatId = STAFF_GROUP, firstName = 'Sri') {
  const date = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = (update: object) => delivered(h, h.postTelegram(update));
  return {
    say: (text: string) => post(chatId < 0 ? tgGroupText({ chatId, userId, text, firstName, date: date() }) : tgText({ userId, text, firstName, date: date() })),
    tap: (data: string) => {
      const u = tgCallback({ userId, data, firstName, date: date() });
      const message = u.callback_query.message as Message.TextMessage;
      message.chat = chatId < 0 ? { id: chatId, type: 'supergroup', title: 'Staf Kecamatan' } : message.chat;
      return post(u);
    },
    texts: () => h.tg.sentTexts(chatId),
    last: () => h.tg.sentTexts(chatId).at(-1) ?? '',
  };
}

type Interactive = {
  type: string;
  body: { text: string };
  action: { buttons?: Array<{ reply: { id: string } }>; sections?: Array<{ rows: Array<{ id: string; title: string }> }> };
};

export function whatsappUser(h: Harness, from: string, name = 'Budi Santoso') {
  const ts = () => h.clock.now();
  const post = (item: ReturnType<typeof waText>) => delivered(h, h.postWhatsApp(waWebhook(item)));
  return {
    from,
    say: (text: string) => post(waText({ from, text, name, timestamp: ts() })),
    tap: (replyId: string, title = 'x') => post(waButtonReply({ from, replyId, title, name, timestamp: ts() })),
    // (waLocation's `name` is the pinned place's name, so the profile name is left at the builder's default.)
    location: (latitude: number, longitude: number, address?: string) => post(waLocation({ from, latitude, longitude, timestamp: ts(), ...(address ? { address } : {}) })),
    image: (mediaId: string) => post(waImage({ from, mediaId, name, timestamp: ts() })),
    texts: () => h.wa.sentTexts(from),
    last: () => h.wa.sentTexts(from).at(-1) ?? '',
    /** Choice ids of every interactive message sent to this person since the last clear. */
    choiceIds: (): string[] =>
      h.wa
        .sentTo(from)
        .filter((m) => m.type === 'interactive')
        .flatMap((m) => {
          const i = m.body['interactive'] as Interactive;
          return i.type === 'button' ? (i.action.buttons ?? []).map((b) => b.reply.id) : (i.action.sections ?? []).flatMap((s) => s.rows.map((r) => r.id));
        }),
  };
}

/** The ticket number in a text, if any. */
export function ticketIn(text: string): string {
  const m = /GJM-\d{4}-\d{5}/.exec(text);
  if (!m) throw new Error(`no ticket number in: ${text}`);
  return m[0];
}

/** Files a complete complaint on WhatsApp with taps only; returns the ticket number. */
export async function fileOnWhatsApp(h: Harness, from: string, opts: { description: string; identity?: 'named' | 'anonim' | 'rahasia'; category?: string }): Promise<string> {
  const u = whatsappUser(h, from);
  await u.tap('m:complaint');
  await u.tap(`complaint:cat:${opts.category ?? 'jalan'}`);
  await u.tap('complaint:kel:lempongsari');
  await u.say('Jl. Lempongsari Raya no. 10');
  await u.say(opts.description);
  await u.tap('complaint:photo:next');
  await u.tap(`complaint:id:${opts.identity ?? 'named'}`);
  await u.tap('complaint:submit');
  return ticketIn(u.last());
}

/** Files a complete complaint on Telegram with taps only; returns the ticket number. */
export async function fileOnTelegram(
  h: Harness,
  userId: number,
  opts: { description: string; identity?: 'named' | 'anonim' | 'rahasia'; category?: string; kelurahan?: string },
): Promise<string> {
  const u = telegramUser(h, userId);
  await u.tap('m:complaint');
  await u.tap(`complaint:cat:${opts.category ?? 'jalan'}`);
  await u.tap(`complaint:kel:${opts.kelurahan ?? 'petompon'}`);
  await u.say('Jl. Kelud Raya dekat masjid');
  await u.say(opts.description);
  await u.tap('complaint:photo:next');
  await u.tap(`complaint:id:${opts.identity ?? 'named'}`);
  if ((opts.identity ?? 'named') !== 'anonim') await u.tap('complaint:phone:skip');
  await u.tap('complaint:submit');
  return ticketIn(u.last());
}
