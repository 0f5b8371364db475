import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxOutcomes } from '../../src/core/store/outbox-outcomes.js';
import { pruneOldRecords } from '../../src/jobs/maintenance.js';
import { outboundTo, startHarness, type Harness } from '../support/test-app.js';

const text = (t: string) => ({ kind: 'text' as const, text: t });
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('Outbox: each message once, outcomes for those who ask, and room for bulk senders', () => {
  let h: Harness;
  let outcomes: OutboxOutcomes;
  beforeAll(async () => {
    h = await startHarness();
    outcomes = new OutboxOutcomes(h.app.conn);
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  it('does not send again a message queued a second time under a key it already delivered', async () => {
    await h.app.notifier.toChat('telegram', '4101', [text('Pengingat forum')], 'once:4101');
    await h.app.outbox.idle();
    expect(h.tg.sentTexts(4101)).toEqual(['Pengingat forum']);

    // The same work done again (a crash before it was marked done): same key, queued anew.
    await h.app.notifier.toChat('telegram', '4101', [text('Pengingat forum')], 'once:4101');
    await h.app.outbox.idle();
    await h.app.outbox.flushDue();
    expect(h.tg.sentTexts(4101)).toHaveLength(1);
    expect(await h.app.store.outbox.countDocuments({ chatId: '4101' })).toBe(0);
    expect((await outboundTo(h.app, '4101')).map((m) => m.status)).toEqual(['sent']);
  });

  it('reports how messages with a report topic ended, until the producer acknowledges them', async () => {
    h.tg.failNext('sendMessage', { kind: 'blocked' }, 1, { chatId: 4102 });
    await h.app.notifier.toChat('telegram', '4102', [text('Pengingat A')], 'rep:4102', 'test-topic');
    await h.app.notifier.toChat('telegram', '4103', [text('Pengingat B')], 'rep:4103', 'test-topic');
    await h.app.notifier.toChat('telegram', '4104', [text('Balasan biasa')], 'rep:4104');
    await h.app.outbox.idle();

    const keys = ['rep:4102:0', 'rep:4103:0'];
    const states = await outcomes.lookup('test-topic', keys, h.clock.now());
    expect(states.get('rep:4102:0')).toMatchObject({ state: 'failed', lastError: { code: '403' } });
    expect(states.get('rep:4103:0')).toMatchObject({ state: 'sent' });
    // Ordinary replies are not reported.
    expect(await h.app.store.outboxReports.countDocuments({ _id: 'rep:4104:0' })).toBe(0);

    await outcomes.ack('test-topic', keys);
    expect(await h.app.store.outboxReports.countDocuments({ topic: 'test-topic' })).toBe(0);
    // Once acknowledged, the outcome is still found (in the log), just not cheaply.
    expect((await outcomes.lookup('test-topic', ['rep:4103:0'], h.clock.now())).get('rep:4103:0')).toMatchObject({ state: 'sent' });
  });

  it('tells a producer a message is still queued while it waits for a retry', async () => {
    h.wa.failNext({ kind: 'server', status: 503 });
    await h.app.notifier.toChat('whatsapp', '6281400004105', [text('Pengingat C')], 'rep:4105', 'test-topic');
    await h.app.outbox.idle();
    const states = await outcomes.lookup('test-topic', ['rep:4105:0'], h.clock.now());
    expect(states.get('rep:4105:0')).toMatchObject({ state: 'parked', lastError: { code: expect.any(String) as string } });
    h.clock.advance(2000);
    await h.app.outbox.flushDue();
    expect((await outcomes.lookup('test-topic', ['rep:4105:0'], h.clock.now())).get('rep:4105:0')).toMatchObject({ state: 'sent' });
  });

  it('holds a bulk producer back while more is queued than the channel sends in the given time', async () => {
    // Telegram sends 25 a second: 0.1 s of sending is 3 messages.
    await h.app.outbox.enqueue([1, 2, 3].map((i) => ({ channel: 'telegram' as const, chatId: String(4200 + i), reply: text(`Pesan ${i}`), key: `room:${i}` })));
    expect(h.app.outbox.backlog('telegram')).toBe(3);
    let room = false;
    const waiting = h.app.outbox.whenRoom('telegram', 0.1).then(() => (room = true));
    await nextTurn();
    expect(room).toBe(false);

    await h.app.outbox.flushDue(['telegram']);
    await waiting;
    expect(room).toBe(true);
    expect(h.app.outbox.backlog('telegram')).toBe(0);
    expect(h.tg.callsOf('sendMessage')).toHaveLength(3);
  });

  it('forgets unacknowledged reports and old send claims after the retention period', async () => {
    await h.app.notifier.toChat('telegram', '4301', [text('Pengingat D')], 'old:4301', 'test-topic');
    await h.app.outbox.idle();
    expect(await h.app.store.outboxReports.countDocuments({ _id: 'old:4301:0' })).toBe(1);

    expect(await pruneOldRecords(h.app.store, new Date(h.clock.now().getTime() + 13 * 86_400_000))).toMatchObject({ outcomeReports: 0 });
    const later = await pruneOldRecords(h.app.store, new Date(h.clock.now().getTime() + 15 * 86_400_000));
    expect(later.outcomeReports).toBeGreaterThanOrEqual(1);
    expect(later.claims).toBeGreaterThanOrEqual(1);
    expect(await h.app.store.outboxReports.countDocuments({ _id: 'old:4301:0' })).toBe(0);
  });
});
