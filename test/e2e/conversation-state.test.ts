import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, TG_SECRET, type Harness } from '../support/test-app.js';
import { pruneOldRecords } from '../../src/jobs/maintenance.js';
import { surveyFlow } from '../support/flows.js';
import { tgCallback, tgText } from '../support/payloads/telegram.js';

/** The global words and the durable conversation state, driven through real webhooks. */
describe('Conversation state and global words', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ appOptions: { extraFlows: [surveyFlow] } });
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  const say = async (userId: number, text: string) => {
    await h.postTelegram(tgText({ userId, text }));
    await h.settle();
    const texts = h.tg.sentTexts(userId);
    h.tg.clear();
    return texts;
  };

  it('"kembali" returns to the previous step with its question', async () => {
    await h.postTelegram(tgCallback({ userId: 2001, data: 'm:survey' }));
    await h.settle();
    expect(h.tg.sentTexts(2001)).toEqual(['Siapa nama Anda?']);
    h.tg.clear();
    expect(await say(2001, 'Budi')).toEqual(['Kelurahan Anda?']);
    expect(await say(2001, 'kembali')).toEqual(['Siapa nama Anda?']);
    expect(await say(2001, 'Rina')).toEqual(['Kelurahan Anda?']);
    expect(await say(2001, '2')).toEqual(['Terima kasih Rina dari petompon.']);
  });

  it('"batal" ends the flow, keeps nothing half-done and shows the menu', async () => {
    await h.postTelegram(tgCallback({ userId: 2002, data: 'm:survey' }));
    await h.settle();
    h.tg.clear();
    await say(2002, 'Budi');
    const texts = await say(2002, 'batal');
    expect(texts[0]).toContain('dibatalkan');
    const session = await h.app.store.sessions.findById('telegram:2002').lean();
    expect(session?.flow).toBeNull();
    expect(session?.data).toEqual({});
  });

  it('"bantuan" explains the global words and repeats the current question', async () => {
    await h.postTelegram(tgCallback({ userId: 2003, data: 'm:survey' }));
    await h.settle();
    h.tg.clear();
    const texts = await say(2003, 'bantuan');
    expect(texts[0]).toContain('batal');
    expect(texts[1]).toBe('Siapa nama Anda?');
  });

  it('"bahasa" switches to English in the middle of a flow and is remembered', async () => {
    await h.postTelegram(tgCallback({ userId: 2004, data: 'm:survey' }));
    await h.settle();
    h.tg.clear();
    const texts = await say(2004, 'bahasa');
    expect(texts).toEqual(['Language switched to English. 🇬🇧', 'What is your name?']);
    const again = await say(2004, 'menu');
    expect(again[0]).toContain('Main menu');
  });

  it('re-asks politely when the input does not fit the step', async () => {
    await h.postTelegram(tgCallback({ userId: 2005, data: 'm:survey' }));
    await h.settle();
    h.tg.clear();
    expect(await say(2005, 'x')).toEqual(['Nama minimal 2 huruf.']);
  });

  it('answers an unknown command politely with the menu', async () => {
    const texts = await say(2006, '/foobar');
    expect(texts[0]).toContain('/foobar');
  });

  it('refuses a text that is too long, without losing the conversation', async () => {
    await h.postTelegram(tgCallback({ userId: 2007, data: 'm:survey' }));
    await h.settle();
    h.tg.clear();
    const texts = await say(2007, 'a'.repeat(5000));
    expect(texts[0]).toContain('terlalu panjang');
    expect(await say(2007, 'Budi')).toEqual(['Kelurahan Anda?']);
  });

  it('resumes a conversation where it stopped after a restart', async () => {
    await h.postTelegram(tgCallback({ userId: 2008, data: 'm:survey' }));
    await h.settle();
    await say(2008, 'Sinta');
    await h.app.close();
    await h.rebuild();
    expect(await say(2008, 'Sampangan')).toEqual(['Terima kasih Sinta dari sampangan.']);
  });

  it('after 30 minutes idle asks whether to continue or start over, and continues with the message', async () => {
    await h.postTelegram(tgCallback({ userId: 2009, data: 'm:survey' }));
    await h.settle();
    h.tg.clear();
    h.clock.advanceMinutes(31);
    const ask = await say(2009, 'Wati');
    expect(ask[0]).toContain('Mau melanjutkan atau mulai dari awal');
    await h.postTelegram(tgCallback({ userId: 2009, data: 'g:resume' }));
    await h.settle();
    expect(h.tg.sentTexts(2009)).toEqual(['Kelurahan Anda?']);
  });

  it('"mulai dari awal" after a long pause goes back to the menu', async () => {
    await h.postTelegram(tgCallback({ userId: 2010, data: 'm:survey' }));
    await h.settle();
    h.clock.advanceMinutes(45);
    await say(2010, 'Joko');
    await h.postTelegram(tgCallback({ userId: 2010, data: 'g:restart' }));
    await h.settle();
    const session = await h.app.store.sessions.findById('telegram:2010').lean();
    expect(session?.flow).toBeNull();
    expect(h.tg.sentTexts(2010).at(-1)).toContain('Menu utama');
  });

  it('forgets a conversation untouched for a month, keeping the person\'s language', async () => {
    await h.postTelegram(tgCallback({ userId: 2012, data: 'm:survey' }));
    await h.settle();
    expect(await say(2012, 'bahasa')).toContain('What is your name?');
    const month = new Date(h.clock.now().getTime() + 31 * 86_400_000);
    const pruned = await pruneOldRecords(h.app.store, month);
    expect(pruned.idleSessions).toBeGreaterThanOrEqual(1);
    expect(await h.app.store.sessions.findById('telegram:2012').lean()).toBeNull();
    expect((await h.app.store.contacts.findById('telegram:2012').lean())?.lang).toBe('en');
    expect((await say(2012, 'halo'))[0]).toContain('Welcome to Sapa Gajahmungkur');
  });

  it('handles two messages from one person arriving together in order, once each', async () => {
    await h.postTelegram(tgCallback({ userId: 2011, data: 'm:survey' }));
    await h.settle();
    h.tg.clear();
    // Two quick messages delivered to two instances on one database; their handling overlaps.
    const first = h.app;
    const second = await h.rebuild();
    const post = (app: typeof first, update: unknown) =>
      app.http.inject({
        method: 'POST',
        url: '/webhooks/telegram',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
        payload: JSON.stringify(update),
      });
    await post(first, tgText({ userId: 2011, text: 'Andi', date: 1764460000 }));
    await post(second, tgText({ userId: 2011, text: '1', date: 1764460001 }));
    for (const app of [first, second, first]) {
      await app.processor.idle();
      await app.outbox.idle();
    }
    await h.settle();
    expect(h.tg.sentTexts(2011)).toEqual(['Kelurahan Anda?', 'Terima kasih Andi dari sampangan.']);
  });
});

describe('Small talk', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('answers a thank-you briefly instead of repeating the menu', async () => {
    await h.postTelegram(tgText({ userId: 2101, text: 'halo' }));
    await h.settle();
    h.tg.clear();
    await h.postTelegram(tgText({ userId: 2101, text: 'makasih kak' }));
    await h.settle();
    expect(h.tg.sentTexts(2101)).toEqual(['Sama-sama! 🙏 Jika ada yang lain, ketik pertanyaan Anda atau "menu".']);
  });
});
