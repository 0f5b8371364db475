/**
 * Fairness between chats: one WhatsApp person sends 40 messages at once; once their chat is paced
 * (its 20-message burst used up, then one every 6 s), three other people write "halo", five times
 * over. Prints how long the others waited for their reply, and the same while the busy chat's
 * send hangs until its timeout, against a quiet baseline.
 *
 *   npx tsx bench/fairness.ts
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
const round = (n: number) => Math.round(n);
const SECRET = 'bench-secret';

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

export async function benchFairness(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-bench-fair-'));
  const db = await startEmbeddedDatabase({ dataDir: dir });
  const wa = await startFakeWhatsApp({ phoneNumberId: '106540352242922' });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: `${db.uri}/bench`,
    WHATSAPP_TOKEN: wa.token,
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench',
    WHATSAPP_API_BASE: wa.baseUrl,
    LOG_LEVEL: 'warn',
  });
  const app = await buildApp(config, { logger: pino({ level: 'warn' }) });
  await app.start();
  const addr = app.http.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/webhooks/whatsapp`;
  const post = async (body: unknown) => {
    const raw = JSON.stringify(body);
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsApp(raw, SECRET) }, body: raw });
  };
  let person = 0;
  /** Three people write "halo" at once; their waits (ms), 30 s when no reply came. */
  const othersWrite = async (): Promise<number[]> => {
    const froms = [0, 1, 2].map(() => `62812${String(person++).padStart(7, '0')}`);
    const t = performance.now();
    await Promise.all(froms.map((from) => post(waWebhook(waText({ from, text: 'halo', userId: false })))));
    return Promise.all(froms.map(async (from) => ((await until(() => wa.sentTo(from).length > 0, 30_000)) ? performance.now() - t : 30_000)));
  };
  const rounds = async (n: number): Promise<number[]> => {
    const all: number[] = [];
    for (let i = 0; i < n; i++) {
      all.push(...(await othersWrite()));
      await new Promise((r) => setTimeout(r, 1000));
    }
    return all.sort((a, b) => a - b);
  };

  const quiet = await rounds(3);

  const busy = '6281399999001';
  await post(waWebhook(...Array.from({ length: 40 }, (_, i) => waText({ from: busy, text: i % 2 ? 'menu' : 'halo', userId: false }))));
  await until(() => wa.sentTo(busy).length >= 20, 60_000);
  const burstStart = wa.sentTo(busy).length;
  const during = await rounds(5);
  const busyDuring = wa.sentTo(busy).length - burstStart;

  const hung = '6281399999002';
  wa.hangNext(1, { to: hung });
  await post(waWebhook(waText({ from: hung, text: 'halo', userId: false })));
  await new Promise((r) => setTimeout(r, 300));
  const whileHung = await rounds(3);

  await app.close();
  await wa.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
  const fig = (xs: number[]) => `p50 ${round(percentile(xs, 50))} ms, max ${round(xs[xs.length - 1] ?? NaN)} ms (n=${xs.length})`;
  return {
    'quiet': fig(quiet),
    'during 40-msg burst': fig(during),
    'busy chat meanwhile': `${busyDuring} more replies in ${during.length / 3} rounds (paced at 1 per 6 s)`,
    'while one send hangs': fig(whileHung),
  };
}

runAsScript(import.meta.url, () => benchFairness());
