/**
 * Receives WhatsApp webhook bodies (already signature-checked) and hands them to the core.
 */
import type { Logger } from 'pino';
import type { DeliveryService } from '../../core/delivery-service.js';
import type { InboxProcessor } from '../../core/inbox-processor.js';
import { parseWhatsAppWebhook } from './parse-webhook.js';
import { waWebhookSchema } from './webhook-schema.js';

export class WhatsAppIngest {
  constructor(
    private readonly deps: {
      processor: InboxProcessor<unknown>;
      deliveries: DeliveryService;
      phoneNumberId: string;
      logger: Logger;
    },
  ) {}

  /** Stores every message and status in the body. Throws when the database cannot take them. */
  async receive(json: unknown): Promise<'stored' | 'ignored' | 'invalid'> {
    const body = waWebhookSchema.safeParse(json);
    if (!body.success) return 'invalid';
    const { logger, processor } = this.deps;
    if (body.data.object !== 'whatsapp_business_account') {
      logger.info({ channel: 'whatsapp', object: body.data.object }, 'webhook for another object ignored');
      return 'ignored';
    }
    const parsed = parseWhatsAppWebhook(body.data, this.deps.phoneNumberId);
    for (const s of parsed.skipped) logger.info({ channel: 'whatsapp', ...s }, 'webhook item skipped');
    await processor.accept(parsed.messages);
    if (parsed.statuses.length) await this.deps.deliveries.record('whatsapp', parsed.statuses);
    for (const failed of parsed.statuses.filter((s) => s.status === 'failed')) {
      logger.warn({ channel: 'whatsapp', messageId: failed.messageId, code: failed.error?.code, reason: failed.error?.message }, 'message delivery failed');
    }
    // Kick every sender (drains are idempotent; a duplicate just finds nothing pending).
    for (const userKey of new Set(parsed.messages.map((m) => m.userKey))) processor.kick('whatsapp', userKey);
    return parsed.messages.length || parsed.statuses.length ? 'stored' : 'ignored';
  }
}
