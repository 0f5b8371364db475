/**
 * Long polling for development (no PUBLIC_URL). Each update is stored in the inbox before telegraf
 * moves its offset on; while the database is down we keep retrying so no update is lost.
 */
import { Telegraf } from 'telegraf';
import type { Logger } from 'pino';
import { isDatabaseDown, StoreUnavailableError } from '../../core/errors.js';
import type { TelegramIngest } from './ingest.js';

export class TelegramPolling {
  private readonly bot: Telegraf;
  private running = false;

  constructor(token: string, apiRoot: string, private readonly ingest: TelegramIngest, private readonly logger: Logger) {
    this.bot = new Telegraf(token, { telegram: { apiRoot } });
    this.bot.use(async (ctx) => {
      for (let attempt = 1; this.running; attempt++) {
        try {
          const r = await this.ingest.receive(ctx.update);
          if (r === 'invalid') this.logger.warn({ channel: 'telegram', updateId: ctx.update.update_id }, 'invalid update from polling');
          return;
        } catch (err) {
          if (!(err instanceof StoreUnavailableError) && !isDatabaseDown(err)) throw err;
          this.logger.error({ channel: 'telegram', attempt }, 'database unavailable; holding the update and retrying');
          await new Promise((r) => setTimeout(r, Math.min(1000 * attempt, 10_000)));
        }
      }
    });
    this.bot.catch((err, ctx) => {
      this.logger.error({ channel: 'telegram', updateId: ctx.update.update_id, err }, 'polling handler failed');
    });
  }

  start(): void {
    this.running = true;
    this.bot
      .launch({ allowedUpdates: ['message', 'callback_query', 'my_chat_member', 'edited_message', 'channel_post'] })
      .catch((err: unknown) => {
        this.logger.error({ channel: 'telegram', err: err instanceof Error ? err.message : String(err) }, 'telegram long polling stopped');
      });
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    try {
      this.bot.stop('shutdown');
    } catch (err) {
      // telegraf throws "Bot is not running!" when launch had failed; nothing left to stop.
      this.logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'telegram polling stop');
    }
  }
}
