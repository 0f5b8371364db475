/**
 * Receives Telegram updates (from the webhook or from long polling) and hands them to the core:
 * messages go to the durable inbox, membership changes mark contacts (un)blocked.
 */
import type { Logger } from 'pino';
import type { Update } from 'telegraf/types';
import type { ContactsService } from '../../core/contacts-service.js';
import type { InboxProcessor } from '../../core/inbox-processor.js';
import { maskId } from '../../logging/mask.js';
import { parseTelegramUpdate, telegramUpdateSchema } from './parse-update.js';
import type { TelegramSender } from './sender.js';

export class TelegramIngest {
  constructor(
    private readonly deps: {
      processor: InboxProcessor<unknown>;
      contacts: ContactsService;
      sender: TelegramSender;
      staffChatIds: readonly string[];
      logger: Logger;
      clock: () => Date;
    },
  ) {}

  /** Stores one update. Throws when the database cannot take it (the caller answers 503). */
  async receive(json: unknown): Promise<'stored' | 'duplicate' | 'ignored' | 'invalid'> {
    const check = telegramUpdateSchema.safeParse(json);
    if (!check.success) return 'invalid';
    const update = json as Update;
    const { logger, processor } = this.deps;
    const event = parseTelegramUpdate(update, this.deps.staffChatIds, this.deps.clock());
    if ('callbackQueryId' in event && event.callbackQueryId) this.answerCallback(event.callbackQueryId);
    switch (event.kind) {
      case 'ignored':
        logger.info({ channel: 'telegram', updateId: update.update_id, reason: event.reason }, 'update ignored');
        return 'ignored';
      case 'membership':
        await this.deps.contacts.markBlocked('telegram', event.chatId, event.blocked, event.at);
        logger.info({ channel: 'telegram', user: maskId(event.userKey), blocked: event.blocked }, 'bot membership changed');
        return 'stored';
      case 'message': {
        const n = await processor.accept([event.message]);
        if (n === 0) return 'duplicate';
        processor.kick('telegram', event.message.userKey);
        return 'stored';
      }
    }
  }

  /** Telegram shows a spinner until the callback is answered: answer at once, log failures. */
  private answerCallback(id: string): void {
    this.deps.sender.answerCallback(id).catch((err: unknown) => {
      this.deps.logger.warn({ channel: 'telegram', err: err instanceof Error ? err.message : String(err) }, 'answerCallbackQuery failed');
    });
  }
}
