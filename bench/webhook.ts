/**
 * Webhook throughput: N WhatsApp messages through the whole stack — HTTP, signature check,
 * durable inbox on FerretDB, engine, outbox, Graph API client — against the fake Graph API.
 *
 *   npx tsx bench/webhook.ts [messages=2000] [senders=200]
 *
 * Figures: messages/s until every reply reached the fake, webhook ack latency (POST → 200),
 * end-to-end latency (POST → reply received by the fake), peak RSS of this process (which also
 * holds the fake servers and the load generator). The WhatsApp send rate is set to 1,000/s (the
 * highest Meta tier) so the stack, not the default 80/s business limit, is what is measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startEmbeddedDatabase } from '../src/db/embedded-ferretdb.js';
import { startFakeWhatsApp } from '../test/support/fake-whatsapp.js';
import { signWhatsApp, waText, waWebhook } from '../test/support/payloads/whatsapp.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

export async function benchWebhook(messages = 2000, senders = 200): Promise<Record<string, number | string>> {
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
  // Every message gets at least one reply; wait for one reply per message.
  const deadline = Date.now() + 120_000;
  const repliesPerSender = () => new Map([...sentAt.keys()].map((k) => [k, wa.sentTo(k).length]));
  while ([...repliesPerSender().values()].reduce((a, b) => a + b, 0) < messages && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
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
  const duplicates = (await app.store.processed.countDocuments()) - messages;
  await app.close();
  await wa.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    messages,
    senders,
    seconds: round(elapsed / 1000),
    messagesPerSecond: round((messages * 1000) / elapsed),
    ackP50Ms: round(percentile(ack, 50)),
    ackP99Ms: round(percentile(ack, 99)),
    endToEndP50Ms: round(percentile(e2e, 50)),
    endToEndP99Ms: round(percentile(e2e, 99)),
    inboxDuplicates: duplicates,
    peakRssMB: round(peakRss / 1048576),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [n, s] = process.argv.slice(2).map(Number);
  benchWebhook(n || undefined, s || undefined)
    .then((f) => {
      for (const [k, v] of Object.entries(f)) console.log(`${k.padEnd(20)} ${v}`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
void fileURLToPath;
