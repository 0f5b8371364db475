/** The Telegram channel: telegraf sender, webhook route or long polling, staff chats. */
import type { Config } from '../../config.js';
import { telegramWebhookRoute } from '../../http/routes/telegram-webhook.js';
import type { ChannelEnv, EnabledChannel } from '../channel.js';
import { TelegramIngest } from './ingest.js';
import { TelegramPolling } from './polling.js';
import { TelegramSender } from './sender.js';

/** The Telegram channel, or undefined when no bot token is configured. */
export function telegramChannel(config: Config, env: ChannelEnv): (EnabledChannel & { sender: TelegramSender }) | undefined {
  const tg = config.telegram;
  if (!tg) return undefined;
  const sender = new TelegramSender(tg.token, tg.apiRoot);
  const staff = new Set(tg.staffChatIds);
  let polling: TelegramPolling | undefined;
  return {
    channel: 'telegram',
    sender,
    staffTargets: tg.staffChatIds.map((chatId) => ({ channel: 'telegram' as const, chatId })),
    isStaff: (userKey, chatId) => staff.has(chatId) || staff.has(userKey),
    fetchMedia: (id, max) => sender.fetchMedia(id, max),
    async connect({ http, processor, contacts }) {
      const ingest = new TelegramIngest({ processor, contacts, sender, staffChatIds: tg.staffChatIds, logger: env.logger, clock: env.clock });
      await http.register(telegramWebhookRoute({ secret: tg.webhookSecret, ingest }));
      if (tg.mode === 'polling') polling = new TelegramPolling(tg.token, tg.apiRoot, ingest, env.logger);
    },
    async start() {
      if (tg.mode !== 'webhook') return polling?.start();
      const url = `${config.publicUrl}/webhooks/telegram`;
      await sender.api
        .setWebhook(url, {
          secret_token: tg.webhookSecret!,
          allowed_updates: ['message', 'callback_query', 'my_chat_member', 'edited_message', 'channel_post'],
        })
        .then(() => env.logger.info({ url }, 'telegram webhook set'))
        .catch((err: unknown) => env.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'could not set telegram webhook; will receive nothing until it is set'));
    },
    stop() {
      polling?.stop();
    },
  };
}
