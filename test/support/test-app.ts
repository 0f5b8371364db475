/**
 * Builds the real app against FerretDB and the fake platform servers, for end-to-end specs.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { inject } from 'vitest';
import { buildApp, type App, type AppOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { TestClock } from './clock.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';
import { startFakeWhatsApp, type FakeWhatsApp } from './fake-whatsapp.js';
import { signWhatsApp } from './payloads/whatsapp.js';

export const TG_SECRET = 'test-secret_123';
export const WA_APP_SECRET = 'wa-app-secret';
export const WA_VERIFY_TOKEN = 'verify-me';
export const WA_PHONE_NUMBER_ID = '106540352242922';

/** A fresh database name on the shared test FerretDB. */
export function testDatabaseUri(label = 'e2e'): string {
  return `${inject('mongoUri')}/t_${label}_${randomBytes(4).toString('hex')}`;
}

export interface Harness {
  app: App;
  tg: FakeTelegram;
  wa: FakeWhatsApp;
  clock: TestClock;
  /** Log lines the app wrote (JSON objects). */
  logs: Array<Record<string, unknown>>;
  /** POSTs a Telegram update to the webhook with the right secret (or `secret`). */
  postTelegram(update: unknown, secret?: string | null): Promise<{ statusCode: number; body: string }>;
  /** POSTs a WhatsApp body signed with the app secret (or a given signature / none). */
  postWhatsApp(body: unknown, opts?: { signature?: string | null; raw?: string }): Promise<{ statusCode: number; body: string }>;
  /** Waits until every stored message is handled and every due reply is sent. */
  settle(): Promise<void>;
  /** Builds a second app on the same database (restart, second instance). */
  rebuild(): Promise<App>;
  close(): Promise<void>;
}

/** A message the bot queued or finished, as tests look at it (queue and log merged). */
export interface OutboundView {
  key: string;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  lastError?: { code: string; message: string };
  nextAttemptAt?: Date;
  platformMessageIds: string[];
  createdAt: Date;
}

/** Every outbound message to one chat, oldest first. */
export async function outboundTo(app: App, chatId: string): Promise<OutboundView[]> {
  const queued = await app.store.outbox.find({ chatId }).lean();
  const done = await app.store.outboxLog.find({ chatId }).lean();
  return [
    ...queued.map((q) => ({ key: q._id, status: 'pending' as const, attempts: q.attempts, nextAttemptAt: q.nextAttemptAt, platformMessageIds: [], createdAt: q.createdAt, ...(q.lastError ? { lastError: q.lastError } : {}) })),
    ...done.map((d) => ({ key: d._id, status: d.status, attempts: d.attempts, platformMessageIds: d.platformMessageIds, createdAt: d.createdAt, ...(d.lastError ? { lastError: d.lastError } : {}) })),
  ].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export interface HarnessOptions {
  env?: Record<string, string>;
  dbUri?: string;
  appOptions?: AppOptions;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const tg = await startFakeTelegram();
  const wa = await startFakeWhatsApp({ phoneNumberId: WA_PHONE_NUMBER_ID });
  const clock = new TestClock();
  const dbUri = opts.dbUri ?? testDatabaseUri();
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: dbUri,
    PUBLIC_URL: 'https://sapa.example.test',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    WHATSAPP_TOKEN: wa.token,
    WHATSAPP_PHONE_NUMBER_ID: WA_PHONE_NUMBER_ID,
    WHATSAPP_APP_SECRET: WA_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: WA_VERIFY_TOKEN,
    WHATSAPP_API_BASE: wa.baseUrl,
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  const config = loadConfig(env);
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const apps: App[] = [];
  const build = async () => {
    const a = await buildApp(config, { logger, clock: clock.now, backgroundJobs: false, ...opts.appOptions });
    apps.push(a);
    return a;
  };
  const h: Harness = {
    app: await build(),
    tg,
    wa,
    clock,
    logs,
    async postTelegram(update, secret = TG_SECRET) {
      const res = await h.app.http.inject({
        method: 'POST',
        url: '/webhooks/telegram',
        headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
        payload: typeof update === 'string' ? update : JSON.stringify(update),
      });
      return { statusCode: res.statusCode, body: res.body };
    },
    async postWhatsApp(body, o = {}) {
      const raw = o.raw ?? JSON.stringify(body);
      const signature = o.signature === undefined ? signWhatsApp(raw, WA_APP_SECRET) : o.signature;
      const res = await h.app.http.inject({
        method: 'POST',
        url: '/webhooks/whatsapp',
        headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
        payload: raw,
      });
      return { statusCode: res.statusCode, body: res.body };
    },
    async settle() {
      for (let i = 0; i < 5; i++) {
        await h.app.processor.idle();
        await h.app.outbox.idle();
        await h.app.outbox.flushDue();
      }
    },
    async rebuild() {
      h.app = await build();
      return h.app;
    },
    async close() {
      for (const a of apps) await a.close();
      await tg.close();
      await wa.close();
    },
  };
  return h;
}
