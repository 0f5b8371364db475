/**
 * Proves the platform fakes and payload builders behave like the real platforms, using the real
 * clients (telegraf, axios) against them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import axios from 'axios';
import { Telegraf, Telegram, TelegramError } from 'telegraf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { startFakeWhatsApp, type FakeWhatsApp } from '../support/fake-whatsapp.js';
import { tgBlocked, tgCallback, tgPhoto, tgText } from '../support/payloads/telegram.js';
import {
  multiEntry,
  signWhatsApp,
  waButtonReply,
  waReaction,
  waStatus,
  waText,
  waWebhook,
} from '../support/payloads/whatsapp.js';

describe('fake Telegram Bot API', () => {
  let tg: FakeTelegram;
  let telegram: Telegram;

  beforeAll(async () => {
    tg = await startFakeTelegram();
    telegram = new Telegram(tg.token, { apiRoot: tg.apiRoot });
  });
  afterEach(() => tg.clear());
  afterAll(async () => tg.close());

  it('answers sendMessage with a realistic Message and records the call', async () => {
    const sent = await telegram.sendMessage(4242, 'Halo, Warga!', {
      reply_markup: { inline_keyboard: [[{ text: 'FAQ', callback_data: 'menu:faq' }]] },
    });
    expect(sent.message_id).toBeGreaterThan(0);
    expect(sent.chat).toMatchObject({ id: 4242, type: 'private' });
    expect(sent.from).toMatchObject({ id: tg.botUser.id, is_bot: true });
    expect(sent.text).toBe('Halo, Warga!');
    expect(sent.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ callback_data: 'menu:faq' });
    expect(tg.sentTexts(4242)).toEqual(['Halo, Warga!']);
    expect(tg.callsOf('sendMessage')[0]?.params).toMatchObject({ chat_id: 4242 });
  });

  it('injects 429 with retry_after, 403 blocked and 5xx the way telegraf sees them', async () => {
    tg.failNext('sendMessage', { kind: 'rateLimited', retryAfter: 7 });
    const err: unknown = await telegram.sendMessage(1, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramError);
    const tgErr = err as TelegramError;
    expect(tgErr.code).toBe(429);
    expect(tgErr.response.parameters?.retry_after).toBe(7);
    expect(tgErr.description).toBe('Too Many Requests: retry after 7');

    tg.failNext('sendMessage', { kind: 'blocked' }, 1, { chatId: 2 });
    await expect(telegram.sendMessage(1, 'not chat 2')).resolves.toMatchObject({ text: 'not chat 2' });
    await expect(telegram.sendMessage(2, 'x')).rejects.toMatchObject({
      response: { error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });

    tg.failNext('sendMessage', { kind: 'server', status: 502 }, 2);
    await expect(telegram.sendMessage(1, 'x')).rejects.toMatchObject({ code: 502 });
    await expect(telegram.sendMessage(1, 'x')).rejects.toMatchObject({ code: 502 });
    await expect(telegram.sendMessage(1, 'now fine')).resolves.toBeTruthy();
  });

  it('enforces Telegram limits: 4096-char text, 64-byte callback_data, unchanged edits', async () => {
    await expect(telegram.sendMessage(1, 'a'.repeat(4097))).rejects.toMatchObject({ code: 400 });
    await expect(
      telegram.sendMessage(1, 'pilih', { reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'é'.repeat(33) }]] } }),
    ).rejects.toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
    const sent = await telegram.sendMessage(1, 'menu');
    await expect(telegram.editMessageText(1, sent.message_id, undefined, 'menu')).rejects.toMatchObject({
      description: expect.stringContaining('message is not modified') as unknown,
    });
    await expect(telegram.editMessageText(1, sent.message_id, undefined, 'menu baru')).resolves.toMatchObject({ text: 'menu baru' });
  });

  it('accepts multipart uploads and serves files through getFile and the download route', async () => {
    const doc = await telegram.sendDocument(77, { source: Buffer.from('%PDF-1.4 bukti'), filename: 'bukti.pdf' }, { caption: 'Tiket #1' });
    const call = tg.callsOf('sendDocument')[0];
    expect(call?.params['chat_id']).toBe(77);
    expect(call?.params['document']).toMatchObject({ upload: true, filename: 'bukti.pdf', size: 14 });
    expect(tg.sentTexts(77)).toEqual(['Tiket #1']);

    const link = await telegram.getFileLink(doc.document.file_id);
    const res = await fetch(link);
    expect(await res.text()).toBe('%PDF-1.4 bukti');

    const photo = tgPhoto({ userId: 5, caption: 'jalan rusak' });
    const largest = photo.message.photo.at(-1);
    tg.addFile(largest?.file_id ?? '', Buffer.from([0xff, 0xd8, 0xff]), { filePath: 'photos/file_1.jpg' });
    const file = await telegram.getFile(largest?.file_id ?? '');
    expect(file.file_path).toBe('photos/file_1.jpg');
    await expect(telegram.getFile('unknown')).rejects.toMatchObject({ description: 'Bad Request: invalid file_id' });
  });

  it('drives a real Telegraf bot in polling mode with builder updates', async () => {
    const bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.apiRoot } });
    const starts: string[] = [];
    bot.start(async (ctx) => {
      starts.push(ctx.payload);
      await ctx.reply('Selamat datang');
    });
    bot.action('menu:faq', async (ctx) => {
      await ctx.answerCbQuery();
      await ctx.editMessageText('FAQ');
    });
    bot.on('my_chat_member', () => undefined);
    const running = bot.launch({ dropPendingUpdates: false });
    try {
      tg.queueUpdate(tgText({ userId: 9001, text: '/start kelurahan_bendan' }));
      tg.queueUpdate(tgCallback({ userId: 9001, data: 'menu:faq', messageText: 'Menu' }));
      tg.queueUpdate(tgBlocked({ userId: 9001 }));
      await tg.waitForCalls('sendMessage', 1);
      await tg.waitForCalls('editMessageText', 1);
      expect(starts).toEqual(['kelurahan_bendan']);
      expect(tg.callsOf('answerCallbackQuery')).toHaveLength(1);
      expect(tg.sentTexts(9001)).toEqual(['Selamat datang', 'FAQ']);
    } finally {
      bot.stop('test done');
      await running.catch(() => undefined);
    }
  });

  it('waitForCalls rejects listing what was received', async () => {
    await telegram.sendChatAction(1, 'typing');
    await expect(tg.waitForCalls('sendMessage', 1, 100)).rejects.toThrow(/got 0\. Received: sendChatAction×1/);
  });
});

describe('fake WhatsApp Cloud API', () => {
  let wa: FakeWhatsApp;
  const http = axios.create({ validateStatus: () => true });
  const auth = (token = 'fake-whatsapp-token'): { headers: Record<string, string> } => ({
    headers: { Authorization: `Bearer ${token}` },
  });

  beforeAll(async () => {
    wa = await startFakeWhatsApp();
  });
  afterEach(() => wa.clear());
  afterAll(async () => wa.close());

  it('accepts a text message and answers like the send API', async () => {
    const res = await http.post(
      `${wa.baseUrl}/${wa.phoneNumberId}/messages`,
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+62 812-3456-7890', type: 'text', text: { body: 'Halo' } },
      auth(),
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+62 812-3456-7890', wa_id: '6281234567890' }],
      messages: [{ id: expect.stringMatching(/^wamid\.HBgM/) as unknown }],
    });
    expect(wa.sentTo('6281234567890')).toHaveLength(1);
    expect(wa.sentTexts()).toEqual(['Halo']);
  });

  it('rejects a 4-button message with 131009 and a bad token with 401/190', async () => {
    const buttons = ['Satu', 'Dua', 'Tiga', 'Empat'].map((title, i) => ({ type: 'reply', reply: { id: `b${i}`, title } }));
    const res = await http.post(
      `${wa.baseUrl}/${wa.phoneNumberId}/messages`,
      { messaging_product: 'whatsapp', to: '6281234567890', type: 'interactive', interactive: { type: 'button', body: { text: 'Pilih' }, action: { buttons } } },
      auth(),
    );
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ error: { code: 131009, type: 'OAuthException', error_data: { messaging_product: 'whatsapp' } } });
    expect((res.data as { error: { fbtrace_id?: unknown } }).error.fbtrace_id).toEqual(expect.any(String));

    const bad = await http.post(
      `${wa.baseUrl}/${wa.phoneNumberId}/messages`,
      { messaging_product: 'whatsapp', to: '6281234567890', type: 'text', text: { body: 'x' } },
      auth('wrong'),
    );
    expect(bad.status).toBe(401);
    expect(bad.data).toMatchObject({ error: { code: 190 } });
    expect(wa.messages).toHaveLength(0);
    expect(wa.rejected.map((r) => r.code)).toEqual([131009, 190]);
  });

  it('validates list limits (rows, titles, label)', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Baris ${i}` }));
    const res = await http.post(
      `${wa.baseUrl}/${wa.phoneNumberId}/messages`,
      {
        messaging_product: 'whatsapp',
        to: '6281234567890',
        type: 'interactive',
        interactive: { type: 'list', body: { text: 'Pilih' }, action: { button: 'Menu', sections: [{ title: 'A', rows }] } },
      },
      auth(),
    );
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ error: { code: 131009 } });
  });

  it('keeps read receipts apart and injects failures per recipient', async () => {
    const read = await http.post(
      `${wa.baseUrl}/${wa.phoneNumberId}/messages`,
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' },
      auth(),
    );
    expect(read.data).toEqual({ success: true });
    expect(wa.readReceipts.map((r) => r.messageId)).toEqual(['wamid.X']);

    wa.failNext({ kind: 'reEngagement' }, 1, { to: '6280000000001' });
    const send = (to: string): Promise<{ status: number; data: unknown }> =>
      http.post(`${wa.baseUrl}/${wa.phoneNumberId}/messages`, { messaging_product: 'whatsapp', to, type: 'text', text: { body: 'hai' } }, auth());
    expect((await send('6280000000002')).status).toBe(200);
    const failed = await send('6280000000001');
    expect(failed.status).toBe(400);
    expect(failed.data).toMatchObject({ error: { code: 131047 } });
    expect((await send('6280000000001')).status).toBe(200);
    expect(wa.messages.map((m) => m.to)).toEqual(['6280000000002', '6280000000001']);
    await expect(wa.waitForMessages(2, 100)).resolves.toHaveLength(2);
  });

  it('uploads media and serves registered media through metadata + bearer URL', async () => {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', 'application/pdf');
    form.append('file', new Blob([Buffer.from('%PDF tiket')], { type: 'application/pdf' }), 'tiket.pdf');
    const up = await fetch(`${wa.baseUrl}/${wa.phoneNumberId}/media`, { method: 'POST', body: form, ...auth() });
    const { id } = (await up.json()) as { id: string };
    expect(id).toMatch(/^\d+$/);
    expect(wa.uploads[0]).toMatchObject({ id, mimeType: 'application/pdf', filename: 'tiket.pdf' });

    wa.addMedia('998877', Buffer.from('jpegbytes'), 'image/jpeg');
    const meta = await http.get(`${wa.baseUrl}/998877`, auth());
    expect(meta.data).toMatchObject({ messaging_product: 'whatsapp', mime_type: 'image/jpeg', file_size: 9, id: '998877' });
    const url = (meta.data as { url: string }).url;
    expect((await http.get(url)).status).toBe(401);
    const bytes = await http.get(url, { ...auth(), responseType: 'arraybuffer' });
    expect(Buffer.from(bytes.data as ArrayBuffer).toString()).toBe('jpegbytes');
  });
});

describe('payload builders', () => {
  it('produce a WhatsApp webhook whose signature verifies over the raw bytes', () => {
    const text = waText({ from: '6281234567890', text: 'Jalan berlubang di Bendan Ngisor 🚧 "parah"' });
    const body = waWebhook(
      text,
      waButtonReply({ from: '6281234567890', replyId: 'menu:faq', title: 'Tanya FAQ' }),
      waReaction({ from: '6281234567890', messageId: 'wamid.A' }),
      { phoneNumberId: '111' },
    );
    const raw = JSON.stringify(body);
    const header = signWhatsApp(raw, 'app-secret');
    const expected = Buffer.from(`sha256=${createHmac('sha256', 'app-secret').update(Buffer.from(raw, 'utf8')).digest('hex')}`);
    expect(timingSafeEqual(Buffer.from(header), expected)).toBe(true);

    const value = body.entry[0]?.changes[0]?.value;
    expect(body.object).toBe('whatsapp_business_account');
    expect(value).toMatchObject({ messaging_product: 'whatsapp', metadata: { phone_number_id: '111' } });
    expect(value?.['contacts']).toHaveLength(1);
    const messages = value?.['messages'] as Array<Record<string, unknown>>;
    expect(messages.map((m) => m['type'])).toEqual(['text', 'interactive', 'reaction']);
    expect(messages[0]?.['timestamp']).toMatch(/^\d+$/);
    expect(messages[0]?.['from_user_id']).toEqual(expect.any(String));
    expect(messages[2]?.['reaction']).toEqual({ message_id: 'wamid.A' });
    expect(new Set(messages.map((m) => m['id'])).size).toBe(3);
  });

  it('model username users without a phone number, and statuses in their own change', () => {
    const body = multiEntry(
      waWebhook(waText({ from: '6281234567890', text: 'hai', noPhone: true, username: '@budi' })),
      waWebhook(waStatus({ messageId: 'wamid.B', status: 'failed', recipient: '6281234567890', errors: [{ code: 131047 }] })),
    );
    expect(body.entry).toHaveLength(2);
    const msgValue = body.entry[0]?.changes[0]?.value;
    const message = (msgValue?.['messages'] as Array<Record<string, unknown>>)[0];
    expect(message?.['from']).toBeUndefined();
    expect((msgValue?.['contacts'] as Array<Record<string, unknown>>)[0]).not.toHaveProperty('wa_id');
    const status = (body.entry[1]?.changes[0]?.value['statuses'] as Array<Record<string, unknown>>)[0];
    expect(status).toMatchObject({ id: 'wamid.B', status: 'failed', recipient_id: '6281234567890', errors: [{ code: 131047 }] });
  });

  it('produce Telegram updates with increasing ids and a bot_command entity', () => {
    const a = tgText({ userId: 10, text: '/start abc' });
    const b = tgText({ userId: 10, text: 'halo' });
    expect(b.update_id).toBeGreaterThan(a.update_id);
    expect(a.message.chat).toEqual({ id: 10, type: 'private', first_name: 'Budi' });
    expect(a.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(b.message.entities).toBeUndefined();
    const blocked = tgBlocked({ userId: 10 });
    expect(blocked.my_chat_member.new_chat_member.status).toBe('kicked');
  });
});
