/** The WhatsApp channel: Graph API sender, webhook routes, read receipts, staff numbers. */
import type { Config } from '../../config.js';
import { whatsappWebhookRoutes } from '../../http/routes/whatsapp-webhook.js';
import type { ChannelEnv, EnabledChannel } from '../channel.js';
import { WhatsAppGraphClient } from './graph-client.js';
import { WhatsAppIngest } from './ingest.js';
import { WhatsAppSender } from './sender.js';

/** The WhatsApp channel, or undefined when WhatsApp is not configured. */
export function whatsappChannel(config: Config, env: ChannelEnv): (EnabledChannel & { sender: WhatsAppSender }) | undefined {
  const wa = config.whatsapp;
  if (!wa) return undefined;
  const client = new WhatsAppGraphClient({ apiBase: wa.apiBase, token: wa.token, phoneNumberId: wa.phoneNumberId, timeoutMs: config.outbox.sendTimeoutMs });
  const sender = new WhatsAppSender(client, wa.ratePerSecond);
  const staff = new Set(wa.staffNumbers);
  return {
    channel: 'whatsapp',
    sender,
    staffTargets: wa.staffNumbers.map((chatId) => ({ channel: 'whatsapp' as const, chatId })),
    isStaff: (userKey, chatId) => staff.has(userKey) || staff.has(chatId),
    fetchMedia: (id, max) => sender.fetchMedia(id, max),
    markRead: (msg) => sender.markRead(msg.externalId),
    async connect({ http, processor, deliveries }) {
      const ingest = new WhatsAppIngest({ processor, deliveries, phoneNumberId: wa.phoneNumberId, logger: env.logger });
      await http.register(whatsappWebhookRoutes({ verifyToken: wa.verifyToken, appSecret: wa.appSecret, ingest }));
    },
  };
}
