import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pruneOldRecords } from '../../src/jobs/maintenance.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { tgBlocked, tgCallback, tgChannelPost, tgEdited, tgGroupText, tgLocation, tgText } from '../support/payloads/telegram.js';

describe('Telegram webhook, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());
  beforeEach(() => h.tg.clear());

  it('answers /start with a greeting and the main menu as an inline keyboard', async () => {
    const res = await h.postTelegram(tgText({ userId: 1001, text: '/start', firstName: 'Sari' }));
    expect(res.statusCode).toBe(200);
    await h.settle();
    const [call] = h.tg.callsOf('sendMessage');
    expect(call?.params['chat_id']).toBe(1001);
    expect(String(call?.params['text'])).toContain('Selamat datang di Sapa Gajahmungkur');
    expect(String(call?.params['text'])).toContain('Sari');
    const keyboard = (call?.params['reply_markup'] as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
    const buttons = keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toContain('g:help');
    expect(buttons.every((b) => Buffer.byteLength(b.callback_data) <= 64)).toBe(true);
  });

  it('answers every callback query and acts on the tapped choice', async () => {
    await h.postTelegram(tgCallback({ userId: 1001, data: 'g:lang' }));
    await h.settle();
    expect(h.tg.callsOf('answerCallbackQuery')).toHaveLength(1);
    expect(h.tg.sentTexts(1001)[0]).toContain('Language switched to English');
    const contact = await h.app.store.contacts.findOne({ channel: 'telegram', userKey: '1001' }).lean();
    expect(contact?.lang).toBe('en');
    expect(contact?.langExplicit).toBe(true);
  });

  it('remembers the language across messages', async () => {
    await h.postTelegram(tgText({ userId: 1001, text: 'menu' }));
    await h.settle();
    expect(h.tg.sentTexts(1001)[0]).toContain('Main menu');
  });

  it('drops an update delivered again after it was handled, leaving nothing behind', async () => {
    const update = tgText({ userId: 1012, text: 'halo' });
    expect((await h.postTelegram(update)).statusCode).toBe(200);
    await h.settle();
    expect((await h.postTelegram(update)).statusCode).toBe(200);
    await h.settle();
    expect(h.tg.sentTexts(1012)).toHaveLength(1);
    expect(await h.app.store.inbox.countDocuments({ _id: `telegram:${update.update_id}` })).toBe(0);
    expect(await h.app.store.inboxSeen.countDocuments({ _id: `telegram:${update.update_id}` })).toBe(1);
  });

  it('keeps a handled update\'s id against redeliveries for the retention period, then forgets it', async () => {
    const update = tgText({ userId: 1014, text: 'halo' });
    expect((await h.postTelegram(update)).statusCode).toBe(200);
    await h.settle();
    const id = `telegram:${update.update_id}`;
    const day = 86_400_000;
    expect((await pruneOldRecords(h.app.store, new Date(h.clock.now().getTime() + 13 * day))).processedIds).toBe(0);
    expect(await h.app.store.inboxSeen.countDocuments({ _id: id })).toBe(1);
    expect((await pruneOldRecords(h.app.store, new Date(h.clock.now().getTime() + 15 * day))).processedIds).toBeGreaterThanOrEqual(1);
    expect(await h.app.store.inboxSeen.countDocuments({ _id: id })).toBe(0);
  });

  it('gives contacts stored with the old ids their channel:user ids on start, keeping what they chose', async () => {
    const { Types } = await import('mongoose');
    await h.app.store.contacts.collection.insertOne({ _id: new Types.ObjectId(), channel: 'telegram', userKey: '1013', chatId: '1013', lang: 'en', langExplicit: true, blocked: false, isStaff: false } as never);
    await h.app.close();
    await h.rebuild();
    expect(await h.app.store.contacts.countDocuments({ _id: { $type: 'objectId' } })).toBe(0);
    expect((await h.app.store.contacts.findById('telegram:1013').lean())?.lang).toBe('en');
    await h.postTelegram(tgText({ userId: 1013, text: 'menu' }));
    await h.settle();
    expect(h.tg.sentTexts(1013)[0]).toContain('Welcome to Sapa Gajahmungkur');
  });

  it('handles a redelivered update only once', async () => {
    const update = tgText({ userId: 1002, text: 'halo' });
    expect((await h.postTelegram(update)).statusCode).toBe(200);
    expect((await h.postTelegram(update)).statusCode).toBe(200);
    await h.settle();
    expect(h.tg.callsOf('sendMessage')).toHaveLength(1);
    expect(await h.app.store.inbox.countDocuments({ _id: `telegram:${update.update_id}` })).toBe(0);
    expect(await h.app.store.inboxSeen.countDocuments({ _id: `telegram:${update.update_id}` })).toBe(1);
  });

  it('refuses a wrong or missing secret token with 401 and stores nothing', async () => {
    const before = await h.app.store.inbox.countDocuments();
    expect((await h.postTelegram(tgText({ userId: 1003, text: 'halo' }), 'wrong-secret')).statusCode).toBe(401);
    expect((await h.postTelegram(tgText({ userId: 1003, text: 'halo' }), null)).statusCode).toBe(401);
    expect(await h.app.store.inbox.countDocuments()).toBe(before);
  });

  it('answers 400 to broken JSON and to JSON that is not an update', async () => {
    expect((await h.postTelegram('{"update_id": 1, "message": ')).statusCode).toBe(400);
    expect((await h.postTelegram({ hello: 'world' })).statusCode).toBe(400);
  });

  it('ignores edits, channel posts and messages in groups that are not staff chats, with 200', async () => {
    for (const u of [tgEdited({ userId: 1004, messageId: 3, text: 'edit' }), tgChannelPost({ chatId: -1001234, text: 'news' }), tgGroupText({ chatId: -100777, userId: 1004, text: 'halo' })]) {
      expect((await h.postTelegram(u)).statusCode).toBe(200);
    }
    await h.settle();
    expect(h.tg.callsOf('sendMessage')).toHaveLength(0);
    expect(h.logs.filter((l) => l['msg'] === 'update ignored')).not.toHaveLength(0);
  });

  it('offers the menu when a location arrives with nothing in progress', async () => {
    await h.postTelegram(tgLocation({ userId: 1005, latitude: -7.0, longitude: 110.4 }));
    await h.settle();
    expect(h.tg.sentTexts(1005)).toHaveLength(1);
  });

  it('marks a contact blocked when the bot is kicked, and unblocked when they write again', async () => {
    await h.postTelegram(tgText({ userId: 1006, text: 'halo' }));
    await h.settle();
    await h.postTelegram(tgBlocked({ userId: 1006 }));
    expect((await h.app.store.contacts.findOne({ channel: 'telegram', userKey: '1006' }).lean())?.blocked).toBe(true);
    await h.postTelegram(tgText({ userId: 1006, text: 'menu' }));
    await h.settle();
    expect((await h.app.store.contacts.findOne({ channel: 'telegram', userKey: '1006' }).lean())?.blocked).toBe(false);
  });

  it('refuses a body larger than 3 MB with 413', async () => {
    const big = JSON.stringify({ update_id: 5, message: { text: 'x'.repeat(3 * 1024 * 1024 + 10) } });
    expect((await h.postTelegram(big)).statusCode).toBe(413);
  });

  it('logs one line per inbound message with a masked user id and no message text', async () => {
    await h.postTelegram(tgText({ userId: 5550001234, text: 'NIK saya 3374012345678901' }));
    await h.settle();
    const line = h.logs.find((l) => l['msg'] === 'inbound handled' && l['channel'] === 'telegram' && String(l['user']).endsWith('234'));
    expect(line).toBeDefined();
    expect(String(line?.['user'])).not.toContain('5550001234');
    expect(JSON.stringify(h.logs)).not.toContain('3374012345678901');
    expect(typeof line?.['latencyMs']).toBe('number');
  });
});
