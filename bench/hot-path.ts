/**
 * Issue #11's figures, on one embedded FerretDB and one fake Graph API, in one run:
 *
 * 1. flood: first messages ("halo") from 500 distinct WhatsApp numbers, 16 connections posting at
 *    once, webhook POST → reply at the fake Graph API; first through the minimal handler
 *    (minimal-handler.ts), then through the service: throughput of both and the ratio, p50/p99,
 *    peak RSS;
 * 2. steady: 20 messages/s for 30 s from 100 of those people (sessions exist: steady state),
 *    p50/p99 webhook → reply, and database commands per inbound text (command-monitor.ts: every
 *    command the service sent in the window, background work included, divided by messages);
 * 3. idle: the service running with nothing to do; commands over `BENCH_IDLE_S` seconds (default
 *    60), given per minute.
 *
 *   npx tsx bench/hot-path.ts            (BENCH_FLOOD=500 BENCH_STEADY_S=30 BENCH_IDLE_S=60)
 *
 * The service runs with its background jobs (cron, outbox) as in production. Peak RSS is of this
 * process, which also holds the fake Graph API and the load generator (a few MB of the figure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { startEmbeddedDatabase } from '../src/db/embedded-ferretdb.js';
import { startFakeWhatsApp, type FakeWhatsApp } from '../test/support/fake-whatsapp.js';
import { signWhatsApp, waText, waWebhook } from '../test/support/payloads/whatsapp.js';
import { CommandMonitor, formatCounts } from './command-monitor.js';
import { startMinimalHandler } from './minimal-handler.js';
import { runAsScript } from './run-as-script.js';

const PHONE_ID = '106540352242922';
const SECRET = 'bench-secret';
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const r1 = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  from: string;
  at: number;
  /** Replies this person had before the message: its reply is the next one. */
  before: number;
}

/** Posts `messages` webhooks over 16 connections (at `ratePerSecond`, or as fast as they go). */
async function drive(url: string, wa: FakeWhatsApp, plan: Array<{ from: string; text: string }>, ratePerSecond = 0): Promise<{ sent: Sent[]; seconds: number; e2e: number[] }> {
  const sent: Sent[] = [];
  const start = Date.now();
  let next = 0;
  const workers = Array.from({ length: 16 }, async () => {
    for (;;) {
      const i = next++;
      if (i >= plan.length) return;
      if (ratePerSecond > 0) {
        const wait = start + (i * 1000) / ratePerSecond - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const { from, text } = plan[i]!;
      const raw = JSON.stringify(waWebhook(waText({ from, text, userId: false })));
      const s = { from, at: Date.now(), before: wa.sentTo(from).length };
      sent.push(s);
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsApp(raw, SECRET) }, body: raw });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    }
  });
  await Promise.all(workers);
  const deadline = Date.now() + 300_000;
  while (!sent.every((s) => wa.sentTo(s.from).length > s.before) && Date.now() < deadline) await sleep(20);
  const e2e = sent.map((s) => (wa.sentTo(s.from)[s.before]?.at ?? Infinity) - s.at).sort((a, b) => a - b);
  const unanswered = e2e.filter((x) => x === Infinity).length;
  if (unanswered > 0) console.log(`  (${unanswered} of ${sent.length} messages had no reply within 300 s)`);
  const last = Math.max(...sent.map((s) => wa.sentTo(s.from)[s.before]?.at ?? Date.now()));
  return { sent, seconds: (last - start) / 1000, e2e };
}

export async function benchHotPath(): Promise<Record<string, number | string>> {
  const floodN = Number(process.env['BENCH_FLOOD'] ?? 500);
  const steadyS = Number(process.env['BENCH_STEADY_S'] ?? 30);
  const idleS = Number(process.env['BENCH_IDLE_S'] ?? 60);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-bench-hot-'));
  const db = await startEmbeddedDatabase({ dataDir: dir });
  const wa = await startFakeWhatsApp({ phoneNumberId: PHONE_ID });
  const out: Record<string, number | string> = {};
  try {
    // The yardstick, on its own database of the same FerretDB.
    const minConn = await connectDatabase(`${db.uri}/bench_minimal`);
    const minimal = await startMinimalHandler({ conn: minConn, appSecret: SECRET, graphBase: wa.baseUrl, phoneNumberId: PHONE_ID, token: wa.token });
    const minRun = await drive(minimal.url, wa, Array.from({ length: floodN }, (_, i) => ({ from: `62810${String(i).padStart(7, '0')}`, text: 'halo' })));
    await minimal.close();
    await minConn.close();

    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: `${db.uri}/bench`,
      WHATSAPP_TOKEN: wa.token,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'bench',
      WHATSAPP_API_BASE: wa.baseUrl,
      WHATSAPP_RATE_PER_SECOND: '1000',
      LOG_LEVEL: 'warn',
    });
    const app = await buildApp(config, { logger: pino({ level: 'warn' }) });
    await app.start();
    const monitor = new CommandMonitor(app.conn);
    const addr = app.http.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/webhooks/whatsapp`;
    const people = Array.from({ length: floodN }, (_, i) => `62811${String(i).padStart(7, '0')}`);

    global.gc?.();
    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    monitor.reset();
    const flood = await drive(url, wa, people.map((from) => ({ from, text: 'halo' })));
    clearInterval(sampler);
    const floodCommands = monitor.snapshot();
    const minRate = floodN / minRun.seconds;
    const svcRate = floodN / flood.seconds;
    Object.assign(out, {
      'minimal handler': `${r1(minRate)} msg/s, p50 ${Math.round(percentile(minRun.e2e, 50))} ms, p99 ${Math.round(percentile(minRun.e2e, 99))} ms`,
      'service': `${r1(svcRate)} msg/s, p50 ${Math.round(percentile(flood.e2e, 50))} ms, p99 ${Math.round(percentile(flood.e2e, 99))} ms`,
      'flood ratio': `${Math.round((svcRate / minRate) * 1000) / 1000} × the minimal handler (${floodN} first messages, 16 at once)`,
      'flood peak RSS': `${r1(peakRss / 1048576)} MB (${r1(startRss / 1048576)} MB before the flood, service started)`,
      'flood commands/msg': `${r1(floodCommands.total / floodN)} (${formatCounts(floodCommands, floodN)})`,
    });

    // Steady state: people the service knows, 20 messages/s.
    await sleep(3000);
    const texts = ['halo', 'brp batas umur cpns?', 'syarat pppk apa aja', 'menu', 'terima kasih'];
    const regulars = people.slice(0, 100);
    const n = 20 * steadyS;
    monitor.reset();
    const steady = await drive(url, wa, Array.from({ length: n }, (_, i) => ({ from: regulars[i % regulars.length]!, text: texts[Math.floor(i / regulars.length) % texts.length]! })), 20);
    await sleep(2000); // what the outbox finishes after the last reply
    const steadyCommands = monitor.snapshot();
    Object.assign(out, {
      'steady 20 msg/s': `p50 ${Math.round(percentile(steady.e2e, 50))} ms, p99 ${Math.round(percentile(steady.e2e, 99))} ms (${n} messages, 100 people)`,
      'commands per text': `${r1(steadyCommands.total / n)} (${formatCounts(steadyCommands, n)})`,
    });

    // Idle: nothing to do.
    await sleep(5000);
    monitor.reset();
    await sleep(idleS * 1000);
    const idle = monitor.snapshot();
    out['idle commands/min'] = `${r1((idle.total * 60) / idleS)} (over ${idleS} s: ${formatCounts(idle)})`;
    monitor.close();
    await app.close();
  } finally {
    await wa.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

runAsScript(import.meta.url, () => benchHotPath());
