/**
 * Issue #11's figures, on one embedded FerretDB and one fake Graph API, in one run:
 *
 * 1. flood: first messages ("halo") from 500 distinct WhatsApp numbers, 16 connections posting at
 *    once, webhook POST → reply at the fake Graph API; first through the minimal handler
 *    (minimal-handler.ts), then through the service: throughput of both and the ratio, p50/p99,
 *    peak RSS;
 * 2. steady: 20 messages/s for 30 s from 100 of those people (sessions exist: steady state),
 *    p50/p99 webhook → reply, and database commands per inbound text (wire-counter.ts: every
 *    command the service sent in the window, background work included, divided by messages);
 * 3. idle: the service running with nothing to do; commands over `BENCH_IDLE_S` seconds (default
 *    60), given per minute.
 *
 *   npx tsx bench/hot-path.ts            (BENCH_FLOOD=500 BENCH_STEADY_S=30 BENCH_IDLE_S=60;
 *                                         BENCH_CPU_PROF=<dir> writes the service's CPU profile;
 *                                         BENCH_SHAPES=n lists n costliest command shapes, default 5)
 *
 * The service runs as `npm start` runs it (compiled `dist/`, plain node, background jobs on) in its
 * own process, and the minimal handler in another: RSS and CPU time are each program's own (read
 * from /proc), not the load generator's or the fake Graph API's, which stay in this process.
 * Database commands are counted by a wire-protocol proxy both programs connect through.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { freePort, startEmbeddedDatabase } from '../src/db/embedded-ferretdb.js';
import { PROJECT_ROOT } from '../src/project-root.js';

/** The node options `npm start` gives the service (package.json "start"), so the bench runs it the same way. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const m = /node ((?:--\S+ )*)dist\/src\/main\.js/.exec(pkg.scripts['start'] ?? '');
  if (!m) throw new Error('package.json "start" does not run node dist/src/main.js');
  return m[1]!.trim().split(' ').filter(Boolean);
}
import { startFakeWhatsApp, type FakeWhatsApp } from '../test/support/fake-whatsapp.js';
import { signWhatsApp, waText, waWebhook } from '../test/support/payloads/whatsapp.js';
import { answers200, startWatched, type WatchedProcess } from './child-process.js';
import { formatCounts, startWireCounter, type CommandTimes } from './wire-counter.js';
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

/** Builds `dist/` (incremental; as `npm start` does) so the service runs as compiled JavaScript. */
function buildService(): void {
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('tsc build failed');
}

/** `find 3 × 12 ms, insert …`: replies' mean time per command name, and the sum per message. */
const formatTimes = (t: CommandTimes, per: number): string => {
  const total = Object.values(t).reduce((a, x) => a + x.ms, 0);
  const parts = Object.entries(t).map(([k, x]) => `${k} ${Math.round(x.ms / x.n)} ms`);
  return `${Math.round(total / per)} ms of replies per message (mean per command: ${parts.join(', ')})`;
};

/** The five command shapes the database spent most time on, per message. */
const formatShapes = (t: CommandTimes, per: number): string =>
  Object.entries(t)
    .slice(0, Number(process.env['BENCH_SHAPES'] ?? 5))
    .map(([k, x]) => `${k} ${r1(x.n / per)}/msg × ${Math.round(x.ms / x.n)} ms`)
    .join('; ');

const MB = (bytes: number) => `${r1(bytes / 1048576)} MB`;

export async function benchHotPath(): Promise<Record<string, number | string>> {
  const floodN = Number(process.env['BENCH_FLOOD'] ?? 500);
  const steadyS = Number(process.env['BENCH_STEADY_S'] ?? 30);
  const idleS = Number(process.env['BENCH_IDLE_S'] ?? 60);
  buildService();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-bench-hot-'));
  const db = await startEmbeddedDatabase({ dataDir: path.join(dir, 'ferretdb') });
  // Both programs reach the database through the counting proxy: same path, same cost.
  const wire = await startWireCounter({ host: '127.0.0.1', port: db.port });
  const wa = await startFakeWhatsApp({ phoneNumberId: PHONE_ID });
  const out: Record<string, number | string> = {};
  const running: WatchedProcess[] = [];
  try {
    // The yardstick, in its own process, on its own database of the same FerretDB.
    const minPort = await freePort();
    const minimal = await startWatched(
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/minimal-handler-main.ts')],
      { MONGODB_URI: `${wire.uri}/bench_minimal`, PORT: String(minPort), APP_SECRET: SECRET, GRAPH_BASE: wa.baseUrl, PHONE_NUMBER_ID: PHONE_ID, TOKEN: wa.token },
      () => answers200(`http://127.0.0.1:${minPort}/`),
    );
    running.push(minimal);
    const minCpu0 = minimal.cpuMs();
    const minRun = await drive(`http://127.0.0.1:${minPort}/webhooks/whatsapp`, wa, Array.from({ length: floodN }, (_, i) => ({ from: `62810${String(i).padStart(7, '0')}`, text: 'halo' })));
    const minCpu = minimal.cpuMs() - minCpu0;
    await minimal.stop();

    // The service as `npm start` runs it: compiled JavaScript under node, background jobs on.
    const port = await freePort();
    const service = await startWatched(
      [
        ...startFlags(),
        // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the service, written when it stops.
        ...(process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_CPU_PROF']] : []),
        // BENCH_NODE_FLAGS="--max-semi-space-size=4 …": node options to try on the service.
        ...(process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean),
        path.join(PROJECT_ROOT, 'dist/src/main.js'),
      ],
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: path.join(dir, 'service'),
        MONGODB_URI: `${wire.uri}/bench`,
        WHATSAPP_TOKEN: wa.token,
        WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: 'bench',
        WHATSAPP_API_BASE: wa.baseUrl,
        WHATSAPP_RATE_PER_SECOND: '1000',
        LOG_LEVEL: 'warn',
        // As on the embedded database (the default), which only one instance can hold; here the
        // database is reached through the counting proxy, so MONGODB_URI is set and this is said.
        SINGLE_INSTANCE: 'true',
      },
      () => answers200(`http://127.0.0.1:${port}/readyz`),
    );
    running.push(service);
    const url = `http://127.0.0.1:${port}/webhooks/whatsapp`;
    const people = Array.from({ length: floodN }, (_, i) => `62811${String(i).padStart(7, '0')}`);

    await sleep(2000); // start-up work (content seeding, first sweeps) out of the way
    const startRss = service.rss();
    const cpu0 = service.cpuMs();
    const stopSampling = service.samplePeak();
    wire.reset();
    const flood = await drive(url, wa, people.map((from) => ({ from, text: 'halo' })));
    const peakRss = stopSampling();
    const svcCpu = service.cpuMs() - cpu0;
    const floodCommands = wire.snapshot();
    const floodTimes = wire.times();
    const floodShapes = wire.shapes();
    const minRate = floodN / minRun.seconds;
    const svcRate = floodN / flood.seconds;
    Object.assign(out, {
      'minimal handler': `${r1(minRate)} msg/s, p50 ${Math.round(percentile(minRun.e2e, 50))} ms, p99 ${Math.round(percentile(minRun.e2e, 99))} ms, CPU ${r1(minCpu / floodN)} ms/msg`,
      'service': `${r1(svcRate)} msg/s, p50 ${Math.round(percentile(flood.e2e, 50))} ms, p99 ${Math.round(percentile(flood.e2e, 99))} ms, CPU ${r1(svcCpu / floodN)} ms/msg`,
      'flood ratio': `${Math.round((svcRate / minRate) * 1000) / 1000} × the minimal handler (${floodN} first messages, 16 at once); CPU per message ${r1(svcCpu / minCpu)} × the minimal handler's`,
      'flood peak RSS': `${MB(peakRss)} (${MB(startRss)} before the flood; highest since start ${MB(service.peakRss())})`,
      'flood commands/msg': `${r1(floodCommands.total / floodN)} (${formatCounts(floodCommands, floodN)})`,
      'flood database time': formatTimes(floodTimes, floodN),
      'flood costliest': formatShapes(floodShapes, floodN),
    });

    // Steady state: people the service knows, 20 messages/s.
    await sleep(3000);
    const texts = ['halo', 'brp batas umur cpns?', 'syarat pppk apa aja', 'menu', 'terima kasih'];
    const regulars = people.slice(0, 100);
    const n = 20 * steadyS;
    wire.reset();
    const steady = await drive(url, wa, Array.from({ length: n }, (_, i) => ({ from: regulars[i % regulars.length]!, text: texts[Math.floor(i / regulars.length) % texts.length]! })), 20);
    await sleep(2000); // what the outbox finishes after the last reply
    const steadyCommands = wire.snapshot();
    const steadyTimes = wire.times();
    const steadyShapes = wire.shapes();
    Object.assign(out, {
      'steady 20 msg/s': `p50 ${Math.round(percentile(steady.e2e, 50))} ms, p99 ${Math.round(percentile(steady.e2e, 99))} ms (${n} messages, 100 people)`,
      'commands per text': `${r1(steadyCommands.total / n)} (${formatCounts(steadyCommands, n)})`,
      'steady database time': formatTimes(steadyTimes, n),
      'steady costliest': formatShapes(steadyShapes, n),
    });

    // Idle: nothing to do.
    await sleep(5000);
    wire.reset();
    await sleep(idleS * 1000);
    const idle = wire.snapshot();
    out['idle commands/min'] = `${r1((idle.total * 60) / idleS)} (over ${idleS} s: ${formatCounts(idle)})`;
    out['idle commands'] = formatShapes(wire.shapes(), 1);
    out['service peak RSS'] = `${MB(service.peakRss())} over the whole run (VmHWM)`;
  } catch (err) {
    for (const p of running) console.error(`--- output of process ${p.pid}:\n${p.output().slice(-(Number(process.env['BENCH_LOG_CHARS']) || 4000))}`);
    throw err;
  } finally {
    for (const p of running) await p.stop();
    await wa.close();
    await wire.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

runAsScript(import.meta.url, () => benchHotPath());
