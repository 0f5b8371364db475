/**
 * Webhook throughput: N WhatsApp messages through the whole stack — HTTP, signature check,
 * durable inbox on FerretDB, engine, outbox, Graph API client — against the fake Graph API.
 *
 *   npx tsx bench/webhook.ts [messages=2000] [senders=200] [arrivals per second, 0 = flood]
 *
 * Figures: messages/s until every reply reached the fake, webhook ack latency (POST → 200),
 * end-to-end latency (POST → reply received by the fake), peak RSS of this process (which also
 * holds the fake servers and the load generator). The WhatsApp send rate is set to 1,000/s (the
 * highest Meta tier) so the stack, not the default 80/s business limit, is what is measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startEmbeddedDatabase } from '../src/db/embedded-ferretdb.js';
import { startFakeWhatsApp } from '../test/support/fake-whatsapp.js';
import { signWhatsApp, waText, waWebhook } from '../test/support/payloads/whatsapp.js';
import { runAsScript } from './run-as-script.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * @param messages how many webhook messages
 * @param senders distinct WhatsApp users they come from
 * @param ratePerSecond arrival rate; 0 = as fast as 16 connections can post (a flood)
 */
export async function benchWebhook(messages = 2000, senders = 200, ratePerSecond = 0): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-bench-'));
  const db = await startEmbeddedDatabase({ dataDir: dir });
  const wa = await startFakeWhatsApp({ phoneNumberId: '106540352242922' });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: `${db.uri}/bench`,
    WHATSAPP_TOKEN: wa.token,
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_APP_SECRET: 'bench-secret',
    WHATSAPP_VERIFY_TOKEN: 'bench',
    WHATSAPP_API_BASE: wa.baseUrl,
    WHATSAPP_RATE_PER_SECOND: '1000',
    LOG_LEVEL: 'warn',
  });
  const app = await buildApp(config, { logger: pino({ level: 'warn' }), backgroundJobs: false });
  await app.start();
  // BENCH_CONTACTS=n: n people already known (a service in use for a while), as the collections
  // the hot path reads grow with them on FerretDB.
  const known = Number(process.env['BENCH_CONTACTS'] ?? 0);
  for (let i = 0; i < known; i += 1000) {
    const now = new Date();
    await app.store.contacts.insertMany(Array.from({ length: Math.min(1000, known - i) }, (_, j) => ({ channel: 'whatsapp', userKey: `6289${String(i + j).padStart(9, '0')}`, chatId: `6289${String(i + j).padStart(9, '0')}`, lang: 'id', langExplicit: false, blocked: false, isStaff: false, lastInboundAt: now })));
  }
  const addr = app.http.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}/webhooks/whatsapp`;

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const texts = ['halo', 'brp batas umur cpns?', 'syarat pppk apa aja', 'bantuan', 'menu'];
  const sentAt = new Map<string, number[]>();
  const ack: number[] = [];
  const start = performance.now();
  let next = 0;
  // A few concurrent "Meta delivery" connections, each posting one message at a time.
  const workers = Array.from({ length: 16 }, async () => {
    for (;;) {
      const i = next++;
      if (i >= messages) return;
      if (ratePerSecond > 0) {
        const due = start + (i * 1000) / ratePerSecond;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const from = `62811${String(i % senders).padStart(7, '0')}`;
      const raw = JSON.stringify(waWebhook(waText({ from, text: texts[Math.floor(i / senders) % texts.length]!, userId: false })));
      const t = performance.now();
      const list = sentAt.get(from) ?? [];
      list.push(t);
      sentAt.set(from, list);
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsApp(raw, 'bench-secret') }, body: raw });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      ack.push(performance.now() - t);
    }
  });
  await Promise.all(workers);
  // Done when every message is handled and every sender has at least one reply per message.
  const deadline = Date.now() + 600_000;
  const allAnswered = () => [...sentAt].every(([from, times]) => wa.sentTo(from).length >= times.length);
  while ((!allAnswered() || (await app.store.inbox.countDocuments({ status: 'done' })) < messages) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const elapsed = performance.now() - start;
  clearInterval(sampler);

  // End-to-end: the k-th reply to a sender answers (at least) its k-th message.
  const e2e: number[] = [];
  const t0Wall = Date.now() - performance.now();
  for (const [from, times] of sentAt) {
    const replies = wa.sentTo(from);
    times.forEach((t, k) => {
      const r = replies[k];
      if (r) e2e.push(r.at - (t0Wall + t));
    });
  }
  ack.sort((a, b) => a - b);
  e2e.sort((a, b) => a - b);
  const handled = await app.store.inbox.countDocuments({ status: 'done' });
  await app.close();
  await wa.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    messages,
    senders,
    arrivalPerSecond: ratePerSecond || 'flood',
    handled,
    seconds: round(elapsed / 1000),
    messagesPerSecond: round((messages * 1000) / elapsed),
    ackP50Ms: round(percentile(ack, 50)),
    ackP99Ms: round(percentile(ack, 99)),
    endToEndP50Ms: round(percentile(e2e, 50)),
    endToEndP99Ms: round(percentile(e2e, 99)),
    peakRssMB: round(peakRss / 1048576),
  };
}

runAsScript(import.meta.url, (args) => {
  const [n, s, r] = args.map(Number);
  return benchWebhook(n || undefined, s || undefined, r || 0);
});
