/**
 * The service as the only instance on its database (SINGLE_INSTANCE, the default on the embedded
 * database): a chat's queue is kept in memory, so a first message costs no walk of the queue, and
 * what was left in the queue from before the start still goes out first; a person's messages are
 * serialised in the process, without a lease in the database, and their session is not read back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waText, waWebhook } from '../support/payloads/whatsapp.js';
import { startHarness, testDatabaseUri, type Harness } from '../support/test-app.js';

/** Commands the app sends from now on that `match`. */
function countCommands(h: Harness, match: (name: string, command: Record<string, unknown>) => boolean): () => number {
  let n = 0;
  h.app.conn.getClient().on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
    if (match(e.commandName, e.command)) n += 1;
  });
  return () => n;
}

/** Reads of one chat's queue (`find` on outbound_messages by chatId). */
const countChatReads = (h: Harness) =>
  countCommands(h, (name, c) => name === 'find' && c['find'] === 'outbound_messages' && 'chatId' in ((c['filter'] as object | undefined) ?? {}));

describe('The service as the only instance on its database', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function firstMessages(env: Record<string, string>) {
    h = await startHarness({ env });
    const reads = countChatReads(h);
    const claims = countCommands(h, (name, c) => name === 'insert' && c['insert'] === 'outbound_claims');
    const people = ['6281900000001', '6281900000002', '6281900000003'];
    for (const from of people) await h.postWhatsApp(waWebhook(waText({ from, text: 'halo' })));
    await h.settle();
    return { replies: people.map((p) => h!.wa.sentTo(p).length), reads: reads(), claims: claims() };
  }

  it('answers people writing for the first time without reading their chat\'s queue or claiming the sends', async () => {
    const sole = await firstMessages({ SINGLE_INSTANCE: 'true' });
    expect(sole.replies).toEqual([1, 1, 1]);
    expect(sole.reads).toBe(0);
    // Nobody else sends, and the reply to a message accepted just now cannot have been sent before.
    expect(sole.claims).toBe(0);
  });

  it('reads each new chat\'s queue and claims each send when other instances may share the database', async () => {
    const shared = await firstMessages({ SINGLE_INSTANCE: 'false' });
    expect(shared.replies).toEqual([1, 1, 1]);
    expect(shared.reads).toBeGreaterThanOrEqual(3);
    expect(shared.claims).toBeGreaterThanOrEqual(1);
  });

  it('does not send again a reply that was sent and recorded when a crash left it in the queue', async () => {
    const dbUri = testDatabaseUri('sole-writer-recorded');
    const from = '6281900000011';
    h = await startHarness({ dbUri, env: { SINGLE_INSTANCE: 'true' } });
    await h.postWhatsApp(waWebhook(waText({ from, text: 'terima kasih' })));
    await h.settle();
    expect(h.wa.sentTexts(from)).toHaveLength(1);
    const sent = await h.app.store.outboxLog.findOne({ chatId: from }).lean();
    expect(sent?.status).toBe('sent');
    // The process died after recording the send and before dropping it from the queue.
    await h.app.store.outbox.collection.insertOne({ _id: sent!._id, channel: 'whatsapp', chatId: from, userKey: from, reply: sent!.reply, createdAt: sent!.createdAt, attempts: 0, nextAttemptAt: sent!.createdAt } as never);
    await h.close();

    h = await startHarness({ dbUri, env: { SINGLE_INSTANCE: 'true' } });
    await h.postWhatsApp(waWebhook(waText({ from, text: 'menu' })));
    await h.settle();
    const texts = h.wa.sentTexts(from);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^Menu utama/);
    expect(await h.app.store.outbox.countDocuments({ chatId: from })).toBe(0);
  });

  it('does not send twice the replies of a message handled again after a failed try', async () => {
    h = await startHarness({ env: { SINGLE_INSTANCE: 'true' } });
    const chatId = '6281900000012';
    const reply = [{ channel: 'whatsapp' as const, chatId, userKey: chatId, reply: { kind: 'text' as const, text: 'Jawaban' }, key: 'whatsapp:wamid.again:0' }];
    await h.app.outbox.enqueue(reply, { handling: 'first' });
    h.app.outbox.kick('whatsapp', chatId);
    await h.settle();
    expect(h.wa.sentTexts(chatId)).toEqual(['Jawaban']);
    // The turn failed after queuing its replies and was handled again: the same keys come back.
    await h.app.outbox.enqueue(reply, { handling: 'again' });
    h.app.outbox.kick('whatsapp', chatId);
    await h.settle();
    expect(h.wa.sentTexts(chatId)).toEqual(['Jawaban']);
  });

  it('sends a reply left in the queue before the start ahead of the person\'s next reply', async () => {
    const dbUri = testDatabaseUri('sole-writer-leftover');
    const from = '6281900000009';
    // First life: the platform refuses for now, so the reply stays queued for a retry.
    h = await startHarness({ dbUri, env: { SINGLE_INSTANCE: 'true' } });
    h.wa.failNext({ kind: 'server' }, 1);
    await h.postWhatsApp(waWebhook(waText({ from, text: 'terima kasih' })));
    await h.app.processor.idle();
    await h.app.outbox.idle();
    expect(await h.app.store.outbox.countDocuments({ chatId: from })).toBe(1);
    await h.close();

    // Second life on the same database: the person writes again.
    h = await startHarness({ dbUri, env: { SINGLE_INSTANCE: 'true' } });
    await h.postWhatsApp(waWebhook(waText({ from, text: 'menu' })));
    for (let i = 0; i < 20 && h.wa.sentTo(from).length < 2; i++) {
      h.clock.advance(60_000); // past the retry time of the reply left behind
      await h.settle();
    }
    const sent = h.wa.sentTexts(from);
    expect(sent).toHaveLength(2);
    // The answer from the first life first, then the menu.
    expect(sent[0]).toMatch(/^Sama-sama/);
    expect(sent[1]).toMatch(/^Menu utama/);
    expect(await h.app.store.outbox.countDocuments({ chatId: from })).toBe(0);
  });

  it('handles one person\'s messages in order without a lease in the database or reading their session or prompts back', async () => {
    h = await startHarness({ env: { SINGLE_INSTANCE: 'true' } });
    const leaseInserts = countCommands(h, (name, c) => name === 'insert' && c['insert'] === 'leases');
    const sessionReads = countCommands(h, (name, c) => name === 'find' && c['find'] === 'sessions');
    const promptReads = countCommands(h, (name, c) => name === 'find' && c['find'] === 'pushed_prompts');
    const from = '6281900000020';
    for (const text of ['halo', 'menu', 'terima kasih']) {
      h.clock.advance(5_000);
      await h.postWhatsApp(waWebhook(waText({ from, text })));
      await h.settle();
    }
    const sent = h.wa.sentTexts(from);
    expect(sent).toHaveLength(3);
    expect(sent[1]).toMatch(/^Menu utama/);
    expect(sent[2]).toMatch(/^Sama-sama/);
    expect(leaseInserts()).toBe(0);
    // Written the first time (someone new has none), then used as written: never read.
    expect(sessionReads()).toBe(0);
    // Everyone's pushed prompts were read once at start; none is read per message.
    expect(promptReads()).toBe(0);
    const stored = await h.app.store.sessions.findById(`whatsapp:${from}`).lean();
    expect(stored?.version).toBe(3);
  });
});
