/**
 * One person must never hold up everyone: a chat's pacing (a 20-message burst, then one every
 * 6 s on WhatsApp) and a hung platform call only ever slow that chat down.
 *
 * Bounds are generous (3 s for "within 1 s") so a loaded 2-core machine does not make them flaky;
 * `npx tsx bench/fairness.ts` prints the real figures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/test-app.js';
import { waText, waWebhook } from '../support/payloads/whatsapp.js';
import { tgText } from '../support/payloads/telegram.js';

const BUSY = '6281500000001';
const OTHERS = ['6281500000002', '6281500000003', '6281500000004'];
const STAFF = '6281500000099';
/** "Within 1 s", with room for a loaded machine. */
const BOUND_MS = 3000;

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The most a chat may have received under WhatsApp's per-chat pace (20 at once, then 1 per 6 s). */
function pacedAtMost(h: Harness, chat: string): number {
  const first = h.wa.sentTo(chat)[0]?.at ?? Date.now();
  return 20 + Math.ceil((Date.now() - first) / 6000);
}

/** Three other people write "halo"; resolves with how long each waited for a reply (ms). */
async function othersWrite(h: Harness): Promise<number[]> {
  const started = Date.now();
  await Promise.all(OTHERS.map((from) => h.postWhatsApp(waWebhook(waText({ from, text: 'halo' })))));
  return Promise.all(
    OTHERS.map(async (from) => {
      await until(() => h.wa.sentTo(from).length > 0, 30_000, `a reply to ${from}`);
      return Date.now() - started;
    }),
  );
}

describe('Fairness between chats', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers three other people at once while one person\'s 40 messages are paced', async () => {
    h = await startHarness();
    const burst = Array.from({ length: 40 }, (_, i) => waText({ from: BUSY, text: i % 2 ? 'menu' : 'halo' }));
    expect((await h.postWhatsApp(waWebhook(...burst))).statusCode).toBe(200);
    // The busy person's burst allowance (20) is used up: from now on their chat is paced.
    await until(() => h!.wa.sentTo(BUSY).length >= 20, 60_000, 'the busy chat to use its burst');

    const waited = await othersWrite(h);
    for (const ms of waited) expect(ms).toBeLessThan(BOUND_MS);
    // The busy person keeps their pace: a burst of 20, then one every 6 s since their first reply.
    expect(h.wa.sentTo(BUSY).length).toBeLessThanOrEqual(pacedAtMost(h, BUSY));
    expect(await h.app.store.outbox.countDocuments({ chatId: BUSY })).toBeGreaterThan(0);
  }, 120_000);

  it('answers another Telegram chat at once while one Telegram chat sends 15 messages', async () => {
    h = await startHarness();
    for (let i = 0; i < 15; i++) await h.postTelegram(tgText({ userId: 7101, text: i % 2 ? 'menu' : 'halo' }));
    // Telegram paces a chat at 1 a second after a burst of 3.
    await until(() => h!.tg.sentTexts(7101).length >= 3, 60_000, 'the busy Telegram chat to use its burst');
    const started = Date.now();
    await h.postTelegram(tgText({ userId: 7102, text: 'halo' }));
    await until(() => h!.tg.sentTexts(7102).length > 0, 30_000, 'a reply to the other Telegram chat');
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
    expect(h.tg.sentTexts(7101).length).toBeLessThan(15);
  }, 120_000);

  it('answers the others while one chat\'s send hangs until its timeout', async () => {
    h = await startHarness({ env: { OUTBOX_SEND_TIMEOUT_MS: '8000' } });
    h.wa.hangNext(1, { to: BUSY });
    await h.postWhatsApp(waWebhook(waText({ from: BUSY, text: 'halo' })));
    await until(() => h!.logs.some((l) => l['msg'] === 'inbound handled'), 20_000, 'the busy person\'s message to be handled');
    await new Promise((r) => setTimeout(r, 200)); // the hung send is under way

    const waited = await othersWrite(h);
    for (const ms of waited) expect(ms).toBeLessThan(BOUND_MS);
    expect(h.wa.sentTo(BUSY)).toHaveLength(0); // still hanging

    // After the timeout the busy chat's reply is retried (and counted as a possible duplicate).
    await until(() => h!.logs.some((l) => l['sendTimeouts'] === 1), 20_000, 'the timeout to be logged');
    h.clock.advance(2000);
    await h.app.outbox.flushDue();
    expect(h.wa.sentTo(BUSY).length).toBeGreaterThan(0);
  }, 60_000);

  it('answers residents at once while 40 staff alerts go to one staff number at its pace', async () => {
    h = await startHarness({ env: { STAFF_WHATSAPP_NUMBERS: STAFF } });
    for (let i = 0; i < 40; i++) await h.app.notifier.toStaff([{ kind: 'text', text: `Pengaduan baru #${i}` }], `alert-${i}`);
    await until(() => h!.wa.sentTo(STAFF).length >= 20, 60_000, 'the staff chat to use its burst');

    const waited = await othersWrite(h);
    for (const ms of waited) expect(ms).toBeLessThan(BOUND_MS);
    expect(h.wa.sentTo(STAFF).length).toBeLessThanOrEqual(pacedAtMost(h, STAFF));
    // Staff alerts arrive in the order they were raised.
    expect(h.wa.sentTexts(STAFF).slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => `Pengaduan baru #${i}`));
  }, 120_000);
});
