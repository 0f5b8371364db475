/**
 * The one place that reads `process.env`. Everything else receives a typed {@link Config}.
 * Validation collects every problem at once so a bad deployment is fixed in one go.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { defaultFerretdbBinary } from './db/embedded-ferretdb.js';
import { AGENCIES_MAX, DEFAULT_AGENCIES, type Agency } from './domain/complaints/catalog.js';

/** Raised at start-up when the environment is not usable; `problems` names each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === undefined || s === '' ? undefined : s));

const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  );

const url = (def?: string) =>
  optionalString.transform((s, ctx) => {
    const v = s ?? def;
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      return v.replace(/\/+$/, '');
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, got "${v}"` });
      return z.NEVER;
    }
  });

const int = (def: number, min: number, max: number) =>
  optionalString.transform((s, ctx) => {
    if (s === undefined) return def;
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, got "${s}"` });
      return z.NEVER;
    }
    return n;
  });

const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: optionalString.transform((s) => s ?? '0.0.0.0'),
  MONGODB_URI: optionalString.refine((s) => s === undefined || /^mongodb(\+srv)?:\/\//.test(s), {
    message: 'must start with mongodb:// or mongodb+srv://',
  }),
  DATA_DIR: optionalString.transform((s) => s ?? './data'),
  FERRETDB_BIN: optionalString,
  PUBLIC_URL: url(),
  TELEGRAM_BOT_TOKEN: optionalString.refine((s) => s === undefined || /^\d+:[\w-]{20,}$/.test(s), {
    message: 'does not look like a bot token (digits:letters, from @BotFather)',
  }),
  TELEGRAM_API_ROOT: url('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine((s) => s === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(s), {
    message: 'must be 1-256 characters of A-Z a-z 0-9 _ -',
  }),
  WHATSAPP_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString.refine((s) => s === undefined || /^\d+$/.test(s), {
    message: 'must be the numeric phone number id from the Meta app dashboard',
  }),
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_API_BASE: url('https://graph.facebook.com/v21.0'),
  WHATSAPP_RATE_PER_SECOND: int(80, 1, 1000),
  STAFF_TELEGRAM_CHAT_IDS: csv.refine((a) => a.every((x) => /^-?\d+$/.test(x)), {
    message: 'must be a comma-separated list of numeric Telegram chat ids',
  }),
  STAFF_WHATSAPP_NUMBERS: csv.refine((a) => a.every((x) => /^\d{8,15}$/.test(x)), {
    message: 'must be a comma-separated list of numbers in international format without "+", e.g. 6281234567890',
  }),
  TZ_DISPLAY: optionalString.transform((s, ctx) => {
    const tz = s ?? 'Asia/Jakarta';
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return tz;
    } catch {
      ctx.addIssue({ code: 'custom', message: `unknown time zone "${tz}"` });
      return z.NEVER;
    }
  }),
  LOG_LEVEL: optionalString.transform((s, ctx) => {
    const v = (s ?? 'info').toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(v)) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${LOG_LEVELS.join(', ')}` });
      return z.NEVER;
    }
    return v as (typeof LOG_LEVELS)[number];
  }),
  SESSION_IDLE_MINUTES: int(30, 1, 24 * 60),
  CONSOLE_IDLE_MINUTES: int(30, 5, 12 * 60),
  CONSOLE_LOGIN_MAX_FAILURES: int(5, 3, 20),
  CONSOLE_LOCKOUT_MINUTES: int(15, 1, 24 * 60),
  OUTBOX_SEND_TIMEOUT_MS: int(15_000, 1000, 120_000),
  OUTBOX_MAX_AGE_HOURS: int(24, 1, 24 * 14),
  OUTBOX_CONCURRENCY: int(16, 1, 256),
  SINGLE_INSTANCE: optionalString.transform((s, ctx) => {
    if (s === undefined) return undefined;
    const v = s.toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes') return true;
    if (v === 'false' || v === '0' || v === 'no') return false;
    ctx.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  }),
  WHATSAPP_TEMPLATE_LANGUAGE: optionalString.transform((s) => s ?? 'id'),
  COMPLAINT_STATUS_TEMPLATE: optionalString.transform((s) => s ?? 'status_pengaduan'),
  COMPLAINT_DAILY_LIMIT: int(5, 1, 100),
  COMPLAINT_RESPONSE_WORKING_DAYS: int(3, 1, 60),
  COMPLAINT_RESOLUTION_WORKING_DAYS: int(10, 1, 120),
  COMPLAINT_CONTEST_DAYS: int(7, 1, 60),
  // `id=Name;id=Name` — e.g. `dpu=DPU Kota Semarang;pln=PLN UP3 Semarang`.
  COMPLAINT_AGENCIES: optionalString.transform((s, ctx) => {
    if (s === undefined) return undefined;
    const out: Agency[] = [];
    for (const part of s.split(';').map((x) => x.trim()).filter(Boolean)) {
      const m = /^([a-z0-9-]{2,20})=(.{2,80})$/.exec(part);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not id=Name (id: 2-20 of a-z, 0-9, -; name: 2-80 characters)` });
        return z.NEVER;
      }
      out.push({ id: m[1]!, name: m[2]!.trim() });
    }
    if (out.length === 0 || out.length > AGENCIES_MAX) {
      ctx.addIssue({ code: 'custom', message: `give 1 to ${AGENCIES_MAX} agencies (one WhatsApp list holds ${AGENCIES_MAX})` });
      return z.NEVER;
    }
    return out;
  }),
  HOLIDAYS: csv.refine((a) => a.every((x) => /^\d{4}-\d{2}-\d{2}$/.test(x) && !Number.isNaN(Date.parse(x))), {
    message: 'must be a comma-separated list of dates YYYY-MM-DD',
  }),
  HEAD_OF_OFFICE_TELEGRAM_CHAT_IDS: csv.refine((a) => a.every((x) => /^-?\d+$/.test(x)), { message: 'must be numeric Telegram chat ids, comma-separated' }),
  HEAD_OF_OFFICE_WHATSAPP_NUMBERS: csv.refine((a) => a.every((x) => /^\d{8,15}$/.test(x)), { message: 'must be WhatsApp numbers like 6281234567890, comma-separated' }),
  SENIOR_STAFF_TELEGRAM_CHAT_IDS: csv.refine((a) => a.every((x) => /^-?\d+$/.test(x)), { message: 'must be numeric Telegram chat ids, comma-separated' }),
  SENIOR_STAFF_WHATSAPP_NUMBERS: csv.refine((a) => a.every((x) => /^\d{8,15}$/.test(x)), { message: 'must be WhatsApp numbers like 6281234567890, comma-separated' }),
  FORUM_REMINDER_TEMPLATE: optionalString.transform((s) => s ?? 'pengingat_forum'),
  FORUM_CANCELLED_TEMPLATE: optionalString.transform((s) => s ?? 'forum_dibatalkan'),
  FORUM_REMINDER_OFFSETS_HOURS: optionalString.transform((s, ctx) => {
    const parts = (s ?? '24,2').split(',').map((x) => Number(x.trim()));
    if (parts.some((n) => !Number.isFinite(n) || n <= 0 || n > 24 * 14)) {
      ctx.addIssue({ code: 'custom', message: `must be hours before the forum, comma-separated (e.g. 24,2), got "${s}"` });
      return z.NEVER;
    }
    return [...new Set(parts)].sort((a, b) => b - a);
  }),
  FORUM_STAFF_REMINDER_HOURS: optionalString.transform((s, ctx) => {
    const n = Number(s ?? '2');
    if (!Number.isFinite(n) || n <= 0 || n > 24 * 7) {
      ctx.addIssue({ code: 'custom', message: `must be hours before the forum, got "${s}"` });
      return z.NEVER;
    }
    return n;
  }),
  REMINDER_MAX_ATTEMPTS: int(5, 1, 50),
  IKM_PERIOD_MONTHS: optionalString.transform((s, ctx) => {
    const n = Number(s ?? '3');
    if (![1, 2, 3, 4, 6, 12].includes(n)) {
      ctx.addIssue({ code: 'custom', message: `must be 1, 2, 3, 4, 6 or 12 (months that divide the year), got "${s}"` });
      return z.NEVER;
    }
    return n;
  }),
  IKM_POPULATION: optionalString.transform((s, ctx) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number of people from 1 to 10,000,000, got "${s}"` });
      return z.NEVER;
    }
    return n;
  }),
});

/** Telegram settings; present only when the channel is on. */
export interface TelegramConfig {
  token: string;
  apiRoot: string;
  /** Secret Telegram echoes in `X-Telegram-Bot-Api-Secret-Token`; required in webhook mode. */
  webhookSecret: string | undefined;
  /** `webhook` when PUBLIC_URL is set, else `polling`. */
  mode: 'webhook' | 'polling';
  staffChatIds: string[];
}

/** WhatsApp Cloud API settings; present only when the channel is on. */
export interface WhatsAppConfig {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  /** Graph API base including the version, e.g. `https://graph.facebook.com/v21.0`. */
  apiBase: string;
  /** Messages per second per business number (default 80). */
  ratePerSecond: number;
  staffNumbers: string[];
}

/** Complaint handling settings (issue: complaints and aspirations). */
export interface ComplaintConfig {
  /** Approved WhatsApp template for status updates outside the 24-hour window (default `status_pengaduan`). */
  statusTemplate: string;
  /** Complaints one person may file per day (default 5). */
  dailyLimit: number;
  /** Working days to accept or reject a new complaint (default 3, as LAPOR!). */
  responseWorkingDays: number;
  /** Working days to finish handling (default 10). */
  resolutionWorkingDays: number;
  /** Non-working days besides weekends, `YYYY-MM-DD` in WIB. */
  holidays: string[];
  /** Head of office, alerted once per breached target. */
  headOfOffice: { telegramChatIds: string[]; whatsappNumbers: string[] };
  /** Senior staff who alone see *rahasia* (confidential) reports. */
  seniorStaff: { telegramChatIds: string[]; whatsappNumbers: string[] };
  /** Days after "selesai" in which the reporter may say it is not done (default 7). */
  contestDays: number;
  /** Agencies a ticket can be handed over to (default: the usual Kota Semarang agencies, PLN, PDAM). */
  agencies: Agency[];
}

/** Community forum settings. */
export interface ForumConfig {
  /** Approved WhatsApp template for reminders outside the 24-hour window (default `pengingat_forum`). */
  reminderTemplate: string;
  /** Approved WhatsApp template for cancellation notices outside the 24-hour window (default `forum_dibatalkan`). */
  cancelledTemplate: string;
  /** Hours before a forum when registrants are reminded (default [24, 2]). */
  reminderOffsetsHours: number[];
  /** Hours before a forum when staff get the attendee list (default 2). */
  staffReminderHours: number;
  /** Attempts per reminder before it is recorded failed (default 5). */
  reminderMaxAttempts: number;
}

/** Survei Kepuasan Masyarakat settings (issue #14). */
export interface IkmConfig {
  /** Length of a survey period in months; a person takes each service's survey at most once per period (default 3). */
  periodMonths: number;
  /** People the office serves in a period, for the Krejcie–Morgan minimum sample; unset = not reported. */
  population: number | undefined;
}

/** Validated service configuration. */
/** How replies go out (see src/core/outbox.ts). */
export interface OutboxConfig {
  /** A platform call not answered within this is abandoned and retried; it may then arrive twice (default 15 s). */
  sendTimeoutMs: number;
  /** Messages not sent within this (e.g. parked while a channel was down) are dropped as expired (default 24 h). */
  maxAgeMs: number;
  /** Sends in progress at once per channel (default 16). */
  concurrency: number;
}

export interface Config {
  port: number;
  host: string;
  /** Set → use this database; unset → start the embedded FerretDB. */
  mongodbUri: string | undefined;
  /** Folder of the embedded database (default `./data`). */
  dataDir: string;
  /** FerretDB binary for the embedded database (default: the cached build in ~/.cache). */
  ferretdbBin: string;
  publicUrl: string | undefined;
  telegram: TelegramConfig | undefined;
  whatsapp: WhatsAppConfig | undefined;
  /** Time zone used to show times (default Asia/Jakarta); storage is always UTC. */
  tzDisplay: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Minutes of silence after which a half-done conversation asks "continue or start over?" (default 30). */
  sessionIdleMinutes: number;
  /** Language code of the approved WhatsApp templates (default `id`). */
  templateLanguage: string;
  /**
   * This is the only service instance on the database (default: true on the embedded database,
   * which one instance holds locked; false with MONGODB_URI, where several may run). Then each
   * chat's queue is kept in memory instead of read (src/core/outbox-queue.ts, "sole writer"), a
   * person's messages are serialised in the process without a lease in the database, and sessions
   * are not read back after being written (src/core/inbox-processor.ts); see src/README.md, "One
   * instance or several".
   */
  soleWriter: boolean;
  outbox: OutboxConfig;
  complaints: ComplaintConfig;
  forums: ForumConfig;
  console: ConsoleConfig;
  ikm: IkmConfig;
}

/** The staff console at `/console` (see src/http/console/README.md). */
export interface ConsoleConfig {
  /** A signed-in session ends after this many minutes without a request (default 30). */
  idleMinutes: number;
  /** Wrong passwords in a row before an account is locked (default 5). */
  maxFailures: number;
  /** How long a locked account stays locked (default 15 minutes). */
  lockoutMinutes: number;
  /** Cookies get `Secure` when the service is served over https (PUBLIC_URL). */
  secureCookies: boolean;
}

/**
 * Loads `.env` from the working directory into the environment when the file exists (values
 * already set in the environment win). Used by the process bootstrap only.
 */
export function loadDotEnv(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  const before = { ...process.env };
  process.loadEnvFile(file);
  // process.loadEnvFile overrides; put back what the real environment had set.
  for (const [k, v] of Object.entries(before)) process.env[k] = v;
  return true;
}

/** Parses an environment map (normally `process.env`) into a {@link Config}, or throws {@link ConfigError}. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  // Cross-field rules are checked on the raw values too, so every problem is reported at once.
  const has = (k: string) => (env[k] ?? '').trim() !== '';
  if (has('TELEGRAM_BOT_TOKEN') && has('PUBLIC_URL') && !has('TELEGRAM_WEBHOOK_SECRET')) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: required in webhook mode (PUBLIC_URL is set), so forged updates are refused');
  }
  if (!has('TELEGRAM_BOT_TOKEN') && has('TELEGRAM_WEBHOOK_SECRET')) {
    problems.push('TELEGRAM_BOT_TOKEN: missing, but TELEGRAM_WEBHOOK_SECRET is set (half a channel is an error)');
  }
  const waKeys = ['WHATSAPP_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const;
  const waSet = waKeys.filter(has);
  if (waSet.length > 0 && waSet.length < waKeys.length) {
    for (const k of waKeys.filter((k) => !has(k))) {
      problems.push(`${k}: missing, but ${waSet.join(', ')} ${waSet.length === 1 ? 'is' : 'are'} set (half a channel is an error)`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const telegram: TelegramConfig | undefined = e.TELEGRAM_BOT_TOKEN
    ? {
        token: e.TELEGRAM_BOT_TOKEN,
        apiRoot: e.TELEGRAM_API_ROOT ?? 'https://api.telegram.org',
        webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
        mode: e.PUBLIC_URL ? 'webhook' : 'polling',
        staffChatIds: e.STAFF_TELEGRAM_CHAT_IDS,
      }
    : undefined;
  const whatsapp: WhatsAppConfig | undefined =
    e.WHATSAPP_TOKEN && e.WHATSAPP_PHONE_NUMBER_ID && e.WHATSAPP_APP_SECRET && e.WHATSAPP_VERIFY_TOKEN
      ? {
          token: e.WHATSAPP_TOKEN,
          phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
          appSecret: e.WHATSAPP_APP_SECRET,
          verifyToken: e.WHATSAPP_VERIFY_TOKEN,
          apiBase: e.WHATSAPP_API_BASE ?? 'https://graph.facebook.com/v21.0',
          ratePerSecond: e.WHATSAPP_RATE_PER_SECOND,
          staffNumbers: e.STAFF_WHATSAPP_NUMBERS,
        }
      : undefined;

  return {
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR,
    ferretdbBin: e.FERRETDB_BIN ?? defaultFerretdbBinary(env['XDG_CACHE_HOME'] || undefined),
    publicUrl: e.PUBLIC_URL,
    telegram,
    whatsapp,
    tzDisplay: e.TZ_DISPLAY,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    templateLanguage: e.WHATSAPP_TEMPLATE_LANGUAGE,
    soleWriter: e.SINGLE_INSTANCE ?? e.MONGODB_URI === undefined,
    outbox: {
      sendTimeoutMs: e.OUTBOX_SEND_TIMEOUT_MS,
      maxAgeMs: e.OUTBOX_MAX_AGE_HOURS * 3_600_000,
      concurrency: e.OUTBOX_CONCURRENCY,
    },
    complaints: {
      statusTemplate: e.COMPLAINT_STATUS_TEMPLATE,
      dailyLimit: e.COMPLAINT_DAILY_LIMIT,
      responseWorkingDays: e.COMPLAINT_RESPONSE_WORKING_DAYS,
      resolutionWorkingDays: e.COMPLAINT_RESOLUTION_WORKING_DAYS,
      holidays: e.HOLIDAYS,
      headOfOffice: { telegramChatIds: e.HEAD_OF_OFFICE_TELEGRAM_CHAT_IDS, whatsappNumbers: e.HEAD_OF_OFFICE_WHATSAPP_NUMBERS },
      seniorStaff: { telegramChatIds: e.SENIOR_STAFF_TELEGRAM_CHAT_IDS, whatsappNumbers: e.SENIOR_STAFF_WHATSAPP_NUMBERS },
      contestDays: e.COMPLAINT_CONTEST_DAYS,
      agencies: e.COMPLAINT_AGENCIES ?? DEFAULT_AGENCIES.map((a) => ({ ...a })),
    },
    forums: {
      reminderTemplate: e.FORUM_REMINDER_TEMPLATE,
      cancelledTemplate: e.FORUM_CANCELLED_TEMPLATE,
      reminderOffsetsHours: e.FORUM_REMINDER_OFFSETS_HOURS,
      staffReminderHours: e.FORUM_STAFF_REMINDER_HOURS,
      reminderMaxAttempts: e.REMINDER_MAX_ATTEMPTS,
    },
    console: {
      idleMinutes: e.CONSOLE_IDLE_MINUTES,
      maxFailures: e.CONSOLE_LOGIN_MAX_FAILURES,
      lockoutMinutes: e.CONSOLE_LOCKOUT_MINUTES,
      secureCookies: (e.PUBLIC_URL ?? '').startsWith('https://'),
    },
    ikm: { periodMonths: e.IKM_PERIOD_MONTHS, population: e.IKM_POPULATION },
  };
}
