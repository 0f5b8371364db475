/**
 * The outbox's sender port: the contract between the core and a channel adapter's outbound side
 * (owned by the core, implemented by each channel in src/channels/).
 * Adapters translate platform errors into {@link SendError} so the outbox can decide what to do.
 */
import type { Channel, Reply } from './messages.js';

/** How the outbox should react to a failed send. */
export type SendErrorKind =
  /** Network error or 5xx: retry with backoff. */
  | 'retryable'
  /** Rate limited: retry after `retryAfterMs`; `scope` says whether the chat or the whole channel pauses. */
  | 'rateLimited'
  /** The person blocked the bot: mark blocked, send nothing more. */
  | 'blocked'
  /** WhatsApp 24-hour window closed (131047): only a template can reach them. */
  | 'outsideWindow'
  /**
   * Nothing can be sent on the channel until an operator fixes it (WhatsApp token expired or
   * revoked, 190): the outbox parks every message and tells staff on the other channel.
   */
  | 'channelDown'
  /** Will never succeed as is (bad request, undeliverable). */
  | 'permanent';

export class SendError extends Error {
  override name = 'SendError';
  constructor(
    readonly kind: SendErrorKind,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
    readonly scope: 'chat' | 'channel' = 'chat',
  ) {
    super(message);
  }
}

/** What one successful send produced. */
export interface SendResult {
  platformMessageIds: string[];
}

/** Outbound side of a channel. */
export interface ChannelSender {
  readonly channel: Channel;
  /** Splits a reply into parts the platform accepts (long texts, too many choices). Pure. */
  split(reply: Reply): Reply[];
  /** Sends one part. Throws {@link SendError}. */
  send(chatId: string, reply: Reply): Promise<SendResult>;
  /** Rate limits: messages per second for the channel and sustained per chat, with burst sizes. */
  readonly limits: { perSecond: number; perChatPerSecond: number; perChatBurst: number; groupPerMinute?: number };
}
