import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded-ferretdb.js';
import { outboundTo, startHarness, type Harness } from '../support/test-app.js';
import { tgText } from '../support/payloads/telegram.js';
import { waText, waWebhook } from '../support/payloads/whatsapp.js';

describe('Outbound delivery under platform errors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  it('waits Telegram\'s retry_after after a 429, then delivers', async () => {
    h.tg.failNext('sendMessage', { kind: 'rateLimited', retryAfter: 7 });
    await h.postTelegram(tgText({ userId: 3001, text: 'halo' }));
    await h.settle();
    expect(h.tg.callsOf('sendMessage')).toHaveLength(1); // the refused attempt
    expect(h.tg.sentTexts(3001)).toHaveLength(0);
    const item = (await outboundTo(h.app, '3001'))[0];
    expect(item?.status).toBe('pending');
    expect(item?.lastError?.code).toBe('429');
    expect(item!.nextAttemptAt!.getTime() - h.clock.now().getTime()).toBe(7000);

    h.clock.advance(6000);
    await h.app.outbox.flushDue();
    expect(h.tg.sentTexts(3001)).toHaveLength(0); // not before retry_after
    h.clock.advance(1000);
    await h.app.outbox.flushDue();
    expect(h.tg.sentTexts(3001)).toHaveLength(1);
    expect(((await outboundTo(h.app, '3001'))[0])?.status).toBe('sent');
  });

  it('marks the contact blocked on 403 and sends nothing more to them', async () => {
    h.tg.failNext('sendMessage', { kind: 'blocked' });
    await h.postTelegram(tgText({ userId: 3002, text: 'halo' }));
    await h.settle();
    const contact = await h.app.store.contacts.findOne({ channel: 'telegram', userKey: '3002' }).lean();
    expect(contact?.blocked).toBe(true);
    const item = (await outboundTo(h.app, '3002'))[0];
    expect(item?.status).toBe('failed');
    h.clock.advanceMinutes(10);
    await h.app.outbox.flushDue();
    expect(h.tg.callsOf('sendMessage')).toHaveLength(1);
  });

  it('retries a 5xx with backoff and delivers once it recovers', async () => {
    h.wa.failNext({ kind: 'server', status: 503 }, 2);
    await h.postWhatsApp(waWebhook(waText({ from: '6281400000001', text: 'menu' })));
    await h.settle();
    expect(h.wa.sentTo('6281400000001')).toHaveLength(0);
    h.clock.advance(2000);
    await h.app.outbox.flushDue();
    h.clock.advance(4000);
    await h.app.outbox.flushDue();
    expect(h.wa.sentTo('6281400000001')).toHaveLength(1);
    const item = (await outboundTo(h.app, '6281400000001'))[0];
    expect(item?.attempts).toBe(3);
  });

  it('backs off on WhatsApp throughput errors (130429) and then delivers', async () => {
    h.wa.failNext({ kind: 'throughput' });
    await h.postWhatsApp(waWebhook(waText({ from: '6281400000002', text: 'menu' })));
    await h.settle();
    expect(((await outboundTo(h.app, '6281400000002'))[0])?.lastError?.code).toBe('130429');
    h.clock.advance(2000);
    await h.app.outbox.flushDue();
    expect(h.wa.sentTo('6281400000002')).toHaveLength(1);
  }, 20_000);

  it('records a closed 24-hour window (131047) as failed without retrying forever', async () => {
    h.wa.failNext({ kind: 'reEngagement' });
    await h.postWhatsApp(waWebhook(waText({ from: '6281400000003', text: 'menu' })));
    await h.settle();
    const item = (await outboundTo(h.app, '6281400000003'))[0];
    expect(item?.status).toBe('failed');
    expect(item?.lastError?.code).toBe('131047');
  });

  it('handles on start-up messages stored before a crash', async () => {
    // Stored by the webhook, then the process died before handling it.
    await h.app.processor.accept([
      { channel: 'telegram', externalId: '990001', userKey: '3003', chatId: '3003', occurredAt: h.clock.now(), content: { kind: 'text', text: 'halo' } },
    ]);
    await h.app.close();
    const app = await h.rebuild();
    await app.start();
    await h.settle();
    expect(h.tg.sentTexts(3003)).toHaveLength(1);
    // Handled: no longer in the inbox of live work, and its id kept against redeliveries.
    expect(await app.store.inbox.countDocuments({ _id: 'telegram:990001' })).toBe(0);
    expect(await app.store.inboxSeen.countDocuments({ _id: 'telegram:990001' })).toBe(1);
  });

  it('after a crash between storing a message and recording its id, handles it on start-up and still drops its redelivery', async () => {
    const update = tgText({ userId: 3004, text: 'halo' });
    // The inbox took it, then the process died before the seen record was written.
    await h.app.store.inbox.create({
      _id: `telegram:${update.update_id}`, channel: 'telegram', externalId: String(update.update_id), userKey: '3004', acceptId: 'before-the-crash', attempts: 0, status: 'pending',
      message: { channel: 'telegram', externalId: String(update.update_id), userKey: '3004', chatId: '3004', occurredAt: h.clock.now(), content: { kind: 'text', text: 'halo' } },
      occurredAt: h.clock.now(), receivedAt: h.clock.now(),
    });
    await h.app.close();
    const app = await h.rebuild();
    await app.start();
    await h.settle();
    expect(h.tg.sentTexts(3004)).toHaveLength(1);
    expect(await app.store.inboxSeen.countDocuments({ _id: `telegram:${update.update_id}` })).toBe(1);
    expect((await h.postTelegram(update)).statusCode).toBe(200);
    await h.settle();
    expect(h.tg.sentTexts(3004)).toHaveLength(1);
    expect(await app.store.inbox.countDocuments({ _id: `telegram:${update.update_id}` })).toBe(0);
  });
});

describe('Database outage', () => {
  let db: EmbeddedDatabase;
  let dir: string;
  let h: Harness;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-outage-'));
    db = await startEmbeddedDatabase({ dataDir: dir });
    h = await startHarness({ dbUri: `${db.uri}/outage` });
  });
  afterAll(async () => {
    await h.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while the database is down, so the platform retries, then recovers by itself', async () => {
    await h.postTelegram(tgText({ userId: 4001, text: 'halo' }));
    await h.settle();
    expect(h.tg.sentTexts(4001)).toHaveLength(1);

    await db.stop();
    const update = tgText({ userId: 4001, text: 'bantuan' });
    const down = await h.postTelegram(update);
    expect(down.statusCode).toBe(503);
    const ready = await h.app.http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect((await h.app.http.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    db = await startEmbeddedDatabase({ dataDir: dir, port: db.port });
    // The platform redelivers the same update; now it is stored and answered.
    let up = await h.postTelegram(update);
    for (let i = 0; i < 20 && up.statusCode !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      up = await h.postTelegram(update);
    }
    expect(up.statusCode).toBe(200);
    await h.settle();
    expect(h.tg.sentTexts(4001).some((t) => t.includes('Bantuan Sapa Gajahmungkur'))).toBe(true);
    expect((await h.app.http.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  }, 60_000);
});
