/**
 * Forum reminder fan-out: N registrants (default 10,000; 80 % WhatsApp, 20 % Telegram) all due at
 * once, delivered through the real app (reminder runner → notifier → outbox → channel clients)
 * to the fake platform APIs, with the default rate limits (WhatsApp 80/s, Telegram 25/s).
 *
 *   npx tsx bench/forum-fanout.ts [registrants=10000]
 *
 * Figures: total time until the fakes received every reminder, the rate-limit lower bound
 * (the slowest channel's n / rate; channels send in parallel), their ratio (goal ≤ 1.1),
 * duplicates (goal 0), reminders recorded sent, and peak RSS of this process (which also holds
 * the fake servers).
 *
 * FANOUT_MODE=outbox queues the same messages straight into the outbox (no reminder runner), to
 * separate the outbox's own cost from the runner's. FANOUT_DEBUG=1 logs progress.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startEmbeddedDatabase } from '../src/db/embedded-ferretdb.js';
import { isForumsModule } from '../src/features/forums.js';
import { startFakeTelegram } from '../test/support/fake-telegram.js';
import { startFakeWhatsApp } from '../test/support/fake-whatsapp.js';
import { runAsScript } from './run-as-script.js';
import { startWireCounter, type WireCounter } from './wire-counter.js';

const HOUR = 3_600_000;
const debug = (msg: string) => {
  if (process.env['FANOUT_DEBUG']) console.error(`${new Date().toISOString()} ${msg}`);
};
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const WA_RATE = 80; // WHATSAPP_RATE_PER_SECOND default
const TG_RATE = 25; // TelegramSender.limits.perSecond

export async function benchForumFanout(registrants = Number(process.env['FANOUT_N'] ?? 10_000)): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-fanout-'));
  const db = await startEmbeddedDatabase({ dataDir: dir });
  // FANOUT_WIRE=1: reach the database through the wire-protocol counter and print, after the run,
  // the statements that took the database's time (per collection and filter shape).
  const wire: WireCounter | undefined = process.env['FANOUT_WIRE'] ? await startWireCounter({ host: '127.0.0.1', port: db.port }) : undefined;
  const tg = await startFakeTelegram();
  const wa = await startFakeWhatsApp({ phoneNumberId: '106540352242922' });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: `${wire?.uri ?? db.uri}/fanout`,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    WHATSAPP_TOKEN: wa.token,
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_APP_SECRET: 'bench-secret',
    WHATSAPP_VERIFY_TOKEN: 'bench',
    WHATSAPP_API_BASE: wa.baseUrl,
    LOG_LEVEL: 'warn',
    // As on the embedded database, the default (reached here by URI): FANOUT_SHARED=1 measures a
    // service that may share its database with other instances.
    SINGLE_INSTANCE: process.env['FANOUT_SHARED'] ? 'false' : 'true',
  });
  const app = await buildApp(config, { logger: pino({ level: process.env['FANOUT_DEBUG'] ? 'debug' : 'warn' }), backgroundJobs: false });
  try {
    const forums = app.modules.find(isForumsModule);
    if (!forums) throw new Error('forums module missing');
    const now = new Date();
    const nWa = Math.round(registrants * 0.8);
    const nTg = registrants - nWa;
    const forum = await forums.services.forums.create(
      { title: 'Forum Warga Kecamatan', topic: 'Musrenbang', kelurahan: null, venue: 'Aula Kecamatan', startAt: new Date(now.getTime() + 2 * HOUR - 60_000), durationMinutes: 120, capacity: registrants, registrationDeadline: new Date(now.getTime() + HOUR) },
      'bench',
      now,
    );
    const people = Array.from({ length: registrants }, (_, i) =>
      i < nWa ? { channel: 'whatsapp' as const, userKey: `6285${String(i).padStart(9, '0')}` } : { channel: 'telegram' as const, userKey: String(500_000 + i) },
    );
    const chunk = 1000;
    for (let i = 0; i < people.length; i += chunk) {
      const part = people.slice(i, i + chunk);
      debug(`seeding ${i}`);
      await app.store.contacts.insertMany(part.map((p) => ({ channel: p.channel, userKey: p.userKey, chatId: p.userKey, lang: 'id', langExplicit: false, blocked: false, isStaff: false, lastInboundAt: now })));
      const regs = await forums.models.registrations.insertMany(
        part.map((p, j) => ({ forumId: forum._id, contactKey: `${p.channel}:${p.userKey}`, channel: p.channel, userKey: p.userKey, name: `Warga ${i + j}`, kelurahan: 'Sampangan', lang: 'id', code: `FW-B${String(i + j).padStart(6, '0')}`, status: 'registered', waitSeq: null, registeredAt: now })),
      );
      const dueAt = new Date(forum.startAt.getTime() - 2 * HOUR);
      await forums.models.reminders.insertMany(
        regs.map((r) => ({ kind: 'resident', forumId: forum._id, contactKey: r.contactKey, offsetHours: 2, channel: r.channel, userKey: r.userKey, registrationId: r._id, generation: 1, dueAt, status: 'pending', attempts: 0, nextAttemptAt: dueAt, leaseOwner: null, leaseUntil: null, handedOffAt: null, outboxKeys: [] })),
      );
    }

    debug('seeded');
    wire?.reset();
    const t0 = performance.now();
    const received = () => wa.messages.length + tg.callsOf('sendMessage').filter((c) => c.status === 200).length;
    // FANOUT_MODE=outbox: queue the same messages straight into the outbox (what the outbox alone does).
    const run =
      process.env['FANOUT_MODE'] === 'outbox'
        ? (async () => {
            for (const [i, p] of people.entries()) await app.notifier.toChat(p.channel, p.userKey, [{ kind: 'text', text: `Pengingat ${i}` }], `probe:${i}`);
          })()
        : forums.reminders.runDueReminders(new Date());
    // FANOUT_TIMES=1: every 5 s, messages received so far and the outbox queue's length.
    const progress = process.env['FANOUT_TIMES']
      ? setInterval(() => {
          void app.store.outbox.estimatedDocumentCount().then((q) => console.error(`${((performance.now() - t0) / 1000).toFixed(0)}s received ${received()} (telegram ${tg.callsOf("sendMessage").length}) queued ${q}`));
        }, 5000)
      : undefined;
    // The runner returns when everything is handed off; the outbox finishes in the background.
    await run;
    debug(`handed off; received ${wa.messages.length + tg.callsOf('sendMessage').length}`);
    const deadline = Date.now() + 30 * 60_000;
    while (received() < registrants && Date.now() < deadline) {
      await app.outbox.idle();
      if (received() < registrants) {
        await app.outbox.flushDue();
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const totalS = (performance.now() - t0) / 1000;
    clearInterval(progress);
    if (process.env['FANOUT_TIMES']) {
      const waAt = wa.messages.map((m) => m.at).sort((a, b) => a - b);
      const tgAt = tg.callsOf('sendMessage').map((c) => c.at).sort((a, b) => a - b);
      const start = Date.now() - (performance.now() - t0);
      for (const [name, at] of [['wa', waAt], ['tg', tgAt]] as const) {
        const gaps = at.slice(1).map((t, i) => t - at[i]!).filter((g) => g > 100);
        console.error(`${name} gaps over 100 ms: ${gaps.length}, total ${gaps.reduce((a, b) => a + b, 0)} ms, largest ${Math.max(0, ...gaps)} ms`);
      }
      console.error(`wa first ${(waAt[0]! - start) / 1000}s last ${(waAt.at(-1)! - start) / 1000}s; tg first ${(tgAt[0]! - start) / 1000}s last ${(tgAt.at(-1)! - start) / 1000}s`);
    }
    if (wire) {
      const shapes = Object.entries(wire.shapes()).sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
      for (const [shape, t] of shapes) console.error(`${String(t.n).padStart(7)} ${String(Math.round(t.ms)).padStart(8)} ms  ${shape}`);
    }
    // What the next run does first: record every reminder's outcome (not part of the total).
    const r0 = performance.now();
    await forums.reminders.reconcile(new Date());
    const reconcileS = (performance.now() - r0) / 1000;

    const perRecipient = new Map<string, number>();
    for (const m of wa.messages) perRecipient.set(`wa:${m.to}`, (perRecipient.get(`wa:${m.to}`) ?? 0) + 1);
    for (const c of tg.callsOf('sendMessage').filter((x) => x.status === 200)) perRecipient.set(`tg:${String(c.params['chat_id'])}`, (perRecipient.get(`tg:${String(c.params['chat_id'])}`) ?? 0) + 1);
    const duplicates = [...perRecipient.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
    const boundS = Math.max(nWa / WA_RATE, nTg / TG_RATE);
    return {
      registrants,
      whatsapp: nWa,
      telegram: nTg,
      delivered: received(),
      recipientsReached: perRecipient.size,
      duplicates,
      remindersRecordedSent: await forums.models.reminders.countDocuments({ status: 'sent' }),
      recordOutcomesS: round(reconcileS),
      totalS: round(totalS),
      rateBoundS: round(boundS),
      ratio: round(totalS / boundS),
      throughputPerS: round(received() / totalS, 1),
      peakRssMB: round(peakRss / 1024 / 1024, 1),
    };
  } finally {
    clearInterval(sampler);
    await app.close();
    await tg.close();
    await wa.close();
    await wire?.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, ([n]) => benchForumFanout(n ? Number(n) : undefined));
