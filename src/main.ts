/**
 * Process bootstrap: configuration, the embedded database when MONGODB_URI is unset, the app,
 * the local chat when no platform is configured, and a clean SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp, type App } from './app.js';
import { startLocalChat } from './channels/cli/local-chat.js';
import { ConfigError, loadConfig, loadDotEnv, type Config } from './config.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded-ferretdb.js';
import { createLogger } from './logging/logger.js';

export interface MainOptions {
  /** Force the local terminal chat (npm run chat). */
  chat?: boolean;
}

function summary(config: Config, db: string, chat: boolean): string {
  const on = (b: boolean) => (b ? 'on ' : 'off');
  const lines = [
    'Sapa Gajahmungkur is running',
    `  database   ${db}`,
    `  telegram   ${config.telegram ? `on  (${config.telegram.mode === 'webhook' ? `webhook ${config.publicUrl}/webhooks/telegram` : 'long polling'})` : 'off (TELEGRAM_BOT_TOKEN not set)'}`,
    `  whatsapp   ${config.whatsapp ? `on  (webhook /webhooks/whatsapp, phone number id ${config.whatsapp.phoneNumberId})` : 'off (WHATSAPP_* not set)'}`,
    `  http       http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}  (/healthz, /readyz)`,
    `  console    ${config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`}/console  (first admin: npm run console:admin -- create --username admin --name "…")`,
    `  local chat ${on(chat)}${chat ? ` (type below; "menu", "bantuan", "batal", Ctrl+C to quit; logs in ${path.join(config.dataDir, 'service.log')})` : ''}`,
    `  times      stored UTC, shown ${config.tzDisplay}`,
  ];
  return lines.join('\n');
}

export async function main(opts: MainOptions = {}): Promise<void> {
  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw err;
  }
  const wantChat = opts.chat === true || (!config.telegram && !config.whatsapp && process.stdin.isTTY === true);
  // In the local chat the terminal is the conversation: logs go to a file instead.
  const logFile = path.resolve(config.dataDir, 'service.log');
  if (wantChat) mkdirSync(config.dataDir, { recursive: true });
  const logger = wantChat ? createLogger(config.logLevel, pino.destination({ dest: logFile, sync: false })) : createLogger(config.logLevel);

  let embedded: EmbeddedDatabase | undefined;
  let unlock: (() => void) | undefined;
  let dbLabel: string;
  if (!config.mongodbUri) {
    const dir = path.resolve(config.dataDir, 'ferretdb');
    unlock = lockDataDir(config.dataDir);
    embedded = await startEmbeddedDatabase({
      dataDir: dir,
      binary: config.ferretdbBin,
      onLog: (line) => logger.warn({ component: 'ferretdb', line }, 'ferretdb'),
      onRestart: (e) => logger.error({ component: 'ferretdb', ...e }, 'embedded FerretDB died; starting it again'),
    });
    config = { ...config, mongodbUri: `${embedded.uri}/sapa_gajahmungkur` };
    dbLabel = `embedded FerretDB v1.24.2 (SQLite) at ${dir}, port ${embedded.port}`;
  } else {
    dbLabel = `MongoDB at ${config.mongodbUri.replace(/\/\/[^@/]*@/, '//***@')}`;
  }

  let app: App;
  const lines: string[] = [];
  try {
    app = await buildApp(config, wantChat ? { logger, cliOutput: (l) => process.stdout.write(l) } : { logger });
    await app.start();
  } catch (err) {
    logger.fatal({ err }, 'could not start');
    await embedded?.stop();
    unlock?.();
    process.exit(1);
  }
  lines.push(summary(config, dbLabel, wantChat));
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app.close();
      await embedded?.stop();
      unlock?.();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  if (wantChat) startLocalChat(app, () => void shutdown('chat closed'));
}

const entry = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (entry.endsWith(`${path.sep}main.ts`) || entry.endsWith(`${path.sep}main.js`)) {
  void main();
}
