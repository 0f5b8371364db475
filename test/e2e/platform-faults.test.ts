/**
 * Platforms misbehaving the way real ones do: refused connections, Retry-After, an expired
 * WhatsApp token, and what a resident's text can smuggle to staff. Through the webhooks, with the
 * fake platforms and FerretDB.
 */
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { outboundTo, startHarness, testDatabaseUri, WA_APP_SECRET, type Harness } from '../support/test-app.js';
import { signWhatsApp, waText, waWebhook } from '../support/payloads/whatsapp.js';
import { tgText } from '../support/payloads/telegram.js';
import { COMPLAINT_ENV, fileOnWhatsApp, STAFF_GROUP, telegramStaff } from './complaints-support.js';

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Platform faults', () => {
  const open: Harness[] = [];
  const harness = async (...args: Parameters<typeof startHarness>) => {
    const h = await startHarness(...args);
    open.push(h);
    return h;
  };
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });

  it('treats refused connections to WhatsApp as a send error with backoff, and replies within seconds of the platform coming back', async () => {
    const h = await harness();
    h.app.outbox.start(200);
    const from = '6281600000001';
    await h.wa.refuseConnections();
    expect((await h.postWhatsApp(waWebhook(waText({ from, text: 'halo' })))).statusCode).toBe(200);
    // The refused attempt is recorded as a send failure (not taken for a database outage, which
    // left the message claimed for a minute).
    await until(async () => (await outboundTo(h.app, from)).some((m) => m.status === 'pending' && m.lastError?.code === 'ECONNREFUSED'), 20_000, 'the refused attempt to be recorded');
    await new Promise((r) => setTimeout(r, 5000));
    h.clock.advance(5000); // the 5 s of outage, for the retry times
    await h.wa.acceptConnections();
    const back = Date.now();
    await until(() => h.wa.sentTo(from).length > 0, 20_000, 'the reply after the platform came back');
    expect(Date.now() - back).toBeLessThan(5000);
  }, 60_000);

  it('treats refused connections to Telegram the same way', async () => {
    const h = await harness();
    h.app.outbox.start(200);
    await h.tg.refuseConnections();
    await h.postTelegram(tgText({ userId: 6101, text: 'halo' }));
    await until(async () => (await outboundTo(h.app, '6101')).some((m) => m.status === 'pending' && m.lastError !== undefined), 20_000, 'the refused attempt to be recorded');
    expect((await outboundTo(h.app, '6101'))[0]?.lastError?.message).toMatch(/ECONNREFUSED/);
    h.clock.advance(5000);
    await h.tg.acceptConnections();
    const back = Date.now();
    await until(() => h.tg.sentTexts(6101).length > 0, 20_000, 'the reply after Telegram came back');
    expect(Date.now() - back).toBeLessThan(5000);
  }, 60_000);

  it('honours Retry-After: 30 on a 429 and on 130429', async () => {
    const h = await harness();
    h.wa.failNext({ kind: 'tooManyRequests', retryAfter: 30 }, 1, { to: '6281600000002' });
    await h.postWhatsApp(waWebhook(waText({ from: '6281600000002', text: 'halo' })));
    await h.app.processor.idle();
    await h.app.outbox.idle();
    const first = (await outboundTo(h.app, '6281600000002'))[0];
    expect(first?.lastError?.code).toBe('80007');
    expect(first!.nextAttemptAt!.getTime() - h.clock.now().getTime()).toBe(30_000);

    // (The whole channel now waits 30 s: the next case runs on a fresh instance.)
    const h2 = await harness();
    h2.wa.failNext({ kind: 'throughput', retryAfter: 30 }, 1, { to: '6281600000003' });
    await h2.postWhatsApp(waWebhook(waText({ from: '6281600000003', text: 'halo' })));
    await h2.app.processor.idle();
    await h2.app.outbox.idle();
    const second = (await outboundTo(h2.app, '6281600000003'))[0];
    expect(second?.lastError?.code).toBe('130429');
    expect(second!.nextAttemptAt!.getTime() - h2.clock.now().getTime()).toBe(30_000);
    h2.clock.advance(29_000);
    await h2.app.outbox.flushDue();
    expect(h2.wa.sentTo('6281600000003')).toHaveLength(0); // not before it was asked to wait
  }, 60_000);

  it('parks every reply while the WhatsApp token is expired, alerts staff on Telegram, and sends them after a restart with a working token', async () => {
    const dbUri = testDatabaseUri('token');
    const env = { STAFF_TELEGRAM_CHAT_IDS: '-100777', OUTBOX_MAX_AGE_HOURS: '24' };
    const before = await harness({ dbUri, env: { ...env, WHATSAPP_TOKEN: 'revoked-token' } });
    const from = '6281600000004';
    await before.postWhatsApp(waWebhook(waText({ from, text: 'halo' })));
    await before.settle();
    await before.postWhatsApp(waWebhook(waText({ from, text: 'menu' })));
    await before.settle();
    expect(before.wa.messages).toHaveLength(0);
    const parked = await outboundTo(before.app, from);
    expect(parked.length).toBeGreaterThanOrEqual(2);
    expect(parked.every((m) => m.status === 'pending')).toBe(true);
    // One refused send (190); the rest waits without trying. (Read receipts are refused too.)
    const refusedSends = before.wa.rejected.filter((r) => r.code === 190 && (r.body as { status?: string } | undefined)?.status !== 'read');
    expect(refusedSends).toHaveLength(1);
    // Staff hear of it on the channel that works, and the log says so.
    await until(() => before.tg.sentTexts(-100777).some((t) => t.includes('WHATSAPP_TOKEN')), 10_000, 'the staff alert');
    expect(before.logs.some((l) => l['level'] === 50 && l['channel'] === 'whatsapp' && l['code'] === '190')).toBe(true);
    await before.close();
    open.splice(open.indexOf(before), 1);

    // A new token, a restart: what was parked goes out, in order.
    const after = await harness({ dbUri, env });
    await after.app.start();
    await after.settle();
    expect(after.wa.sentTo(from).length).toBe(parked.length);
    expect((await outboundTo(after.app, from)).every((m) => m.status === 'sent')).toBe(true);
  }, 60_000);

  it('does not send replies parked longer than OUTBOX_MAX_AGE_HOURS', async () => {
    const dbUri = testDatabaseUri('token-old');
    const before = await harness({ dbUri, env: { WHATSAPP_TOKEN: 'revoked-token' } });
    const from = '6281600000005';
    await before.postWhatsApp(waWebhook(waText({ from, text: 'halo' })));
    await before.settle();
    await before.close();
    open.splice(open.indexOf(before), 1);

    const after = await harness({ dbUri, env: { OUTBOX_MAX_AGE_HOURS: '24' } });
    after.clock.advance(25 * 3_600_000);
    await after.app.start();
    await after.settle();
    expect(after.wa.sentTo(from)).toHaveLength(0);
    expect((await outboundTo(after.app, from)).every((m) => m.status === 'failed' && m.lastError?.code === 'expired')).toBe(true);
  }, 60_000);

  it('refuses a signature with a valid HMAC followed by extra characters', async () => {
    const h = await harness();
    const raw = JSON.stringify(waWebhook(waText({ from: '6281600000006', text: 'halo' })));
    const good = signWhatsApp(raw, WA_APP_SECRET);
    expect((await h.postWhatsApp(undefined, { raw, signature: `${good}00` })).statusCode).toBe(401);
    expect((await h.postWhatsApp(undefined, { raw, signature: `${good}zz` })).statusCode).toBe(401);
    expect((await h.postWhatsApp(undefined, { raw, signature: ` ${good}` })).statusCode).toBe(401);
    expect(await h.app.store.inbox.countDocuments({})).toBe(0);
    expect(await h.app.store.inboxSeen.countDocuments({})).toBe(0);
    expect((await h.postWhatsApp(undefined, { raw, signature: good })).statusCode).toBe(200);
  });

  it('neutralises direction overrides in what staff see: the alert and the CSV', async () => {
    const h = await harness({ env: COMPLAINT_ENV });
    // U+202E (right-to-left override) and U+2066/2069 (isolates) inside a description.
    const tricky = 'Lampu jalan mati \u202Eiak 01 hadus\u202C sejak \u2066kemarin\u2069 di depan rumah.';
    await fileOnWhatsApp(h, '6281600000007', { description: tricky });
    await h.settle();
    const alerts = h.tg.sentTexts(STAFF_GROUP);
    const alert = alerts.find((t) => t.includes('Lampu jalan mati'));
    expect(alert).toBeDefined();
    expect(alert).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(alert).toContain('Lampu jalan mati iak 01 hadus sejak kemarin di depan rumah.');

    const staff = telegramStaff(h, 9001);
    const day = DateTime.fromJSDate(h.clock.now()).setZone('Asia/Jakarta').toISODate();
    await staff.say(`/ekspor ${day} ${day}`);
    const doc = h.tg.callsOf('sendDocument').find((c) => c.params['chat_id'] === STAFF_GROUP);
    const csv = (doc?.params['document'] as { bytes: Buffer }).bytes.toString('utf8');
    expect(csv).toContain('Lampu jalan mati');
    expect(csv).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  }, 60_000);
});
