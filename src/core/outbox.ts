/**
 * One outbox for all channels: replies are stored first, then sent per chat in order, paced by the
 * rate limiter, retried with backoff on 5xx/network errors, paused on 429, stopped for blocked
 * contacts. Every outcome stays on the stored item.
 */
import type { Logger } from 'pino';
import { maskId } from '../logging/mask.js';
import { SendError, type ChannelSender } from '../channels/types.js';
import type { ContactsService } from './contacts-service.js';
import { isDatabaseDown, isDuplicateKey } from './errors.js';
import type { Channel, Reply } from './messages.js';
import { RateLimiter } from './rate-limiter.js';
import type { OutboxDoc, OutboxModel } from './store/outbox.js';

/** A reply to queue. */
export interface OutboundItem {
  channel: Channel;
  chatId: string;
  userKey?: string;
  reply: Reply;
  /** Idempotency key; parts get `#n` appended. */
  key: string;
}

export interface OutboxOptions {
  model: OutboxModel;
  senders: ChannelSender[];
  contacts: ContactsService;
  logger: Logger;
  clock?: () => Date;
  limiter?: RateLimiter;
  /** Attempts before an item is marked failed (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at 10 minutes (default 2 s). */
  baseBackoffMs?: number;
}

const LEASE_MS = 60_000;

export class Outbox {
  private readonly senders = new Map<Channel, ChannelSender>();
  private readonly limiter: RateLimiter;
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly baseBackoff: number;
  /** Chats being flushed in this process, and whether more work arrived meanwhile. */
  private readonly active = new Map<string, { again: boolean; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: OutboxOptions) {
    for (const s of opts.senders) this.senders.set(s.channel, s);
    this.limiter = opts.limiter ?? new RateLimiter();
    this.clock = opts.clock ?? (() => new Date());
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.baseBackoff = opts.baseBackoffMs ?? 2000;
  }

  hasChannel(channel: Channel): boolean {
    return this.senders.has(channel);
  }

  /** Stores replies (split into platform-sized parts). Re-queuing the same key is a no-op. */
  async enqueue(items: OutboundItem[]): Promise<void> {
    const now = this.clock();
    const docs: Array<Omit<OutboxDoc, '_id'>> = [];
    for (const item of items) {
      const sender = this.senders.get(item.channel);
      const parts = sender ? sender.split(item.reply) : [item.reply];
      parts.forEach((reply, i) =>
        docs.push({
          channel: item.channel,
          chatId: item.chatId,
          ...(item.userKey ? { userKey: item.userKey } : {}),
          reply,
          key: parts.length > 1 ? `${item.key}#${i}` : item.key,
          status: sender ? 'pending' : 'failed',
          attempts: 0,
          // Keeps the order of parts even when stored in the same millisecond.
          createdAt: new Date(now.getTime() + docs.length),
          nextAttemptAt: now,
          leaseUntil: null,
          platformMessageIds: [],
          deliveryRank: 0,
          ...(sender ? {} : { lastError: { code: 'no-channel', message: `channel ${item.channel} is not enabled` } }),
        }),
      );
    }
    if (docs.length === 0) return;
    try {
      await this.opts.model.insertMany(docs, { ordered: false });
    } catch (err) {
      // Already queued by an earlier attempt at the same message: fine. Anything else is real.
      const writeErrors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
      const allDup = isDuplicateKey(err) || (Array.isArray(writeErrors) && writeErrors.every((w) => (w.code ?? w.err?.code) === 11000));
      if (!allDup) throw err;
    }
  }

  /** Starts sending to one chat in the background (in order). */
  kick(channel: Channel, chatId: string): void {
    void this.flushChat(channel, chatId).catch((err: unknown) =>
      this.opts.logger.error({ err, channel, chat: maskId(chatId) }, 'outbox flush failed'),
    );
  }

  /** Sends everything due for one chat, in order; returns when done or blocked by a backoff. */
  flushChat(channel: Channel, chatId: string): Promise<void> {
    const k = `${channel}:${chatId}`;
    const running = this.active.get(k);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await this.drainChat(channel, chatId);
        } while (entry.again && !this.stopped);
      } finally {
        this.active.delete(k);
      }
    })();
    this.active.set(k, entry);
    return entry.done;
  }

  private async drainChat(channel: Channel, chatId: string): Promise<void> {
    const sender = this.senders.get(channel);
    if (!sender) return;
    for (;;) {
      if (this.stopped) return;
      const now = this.clock();
      const head = await this.opts.model
        .findOne({ channel, chatId, status: { $in: ['pending', 'sending'] } })
        .sort({ createdAt: 1, _id: 1 })
        .lean<OutboxDoc>();
      if (!head) return;
      // Order within a chat: nothing overtakes a head that waits for its retry time.
      if (head.nextAttemptAt.getTime() > now.getTime()) return;
      if (head.status === 'sending' && head.leaseUntil && head.leaseUntil.getTime() > now.getTime()) return;
      const claimed = await this.opts.model
        .findOneAndUpdate(
          { _id: head._id, status: head.status, attempts: head.attempts },
          { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + LEASE_MS) }, $inc: { attempts: 1 } },
          { new: true },
        )
        .lean<OutboxDoc>();
      if (!claimed) continue; // another worker took it
      const ok = await this.sendOne(sender, claimed);
      if (!ok) return;
    }
  }

  /** Sends one claimed item; returns false when the chat must wait (backoff / blocked). */
  private async sendOne(sender: ChannelSender, item: OutboxDoc): Promise<boolean> {
    const { channel, chatId } = item;
    const chatSpec = chatId.startsWith('-') && sender.limits.groupPerMinute
      ? { rate: sender.limits.groupPerMinute / 60, burst: 3 }
      : { rate: sender.limits.perChatPerSecond, burst: sender.limits.perChatBurst };
    await this.limiter.take(channel, { rate: sender.limits.perSecond, burst: sender.limits.perSecond }, `${channel}:${chatId}`, chatSpec);
    try {
      const res = await sender.send(chatId, item.reply);
      await this.opts.model.updateOne(
        { _id: item._id },
        { $set: { status: 'sent', sentAt: this.clock(), leaseUntil: null, platformMessageIds: res.platformMessageIds } },
      );
      return true;
    } catch (err) {
      if (isDatabaseDown(err)) throw err;
      const e = err instanceof SendError ? err : new SendError('retryable', 'unknown', err instanceof Error ? err.message : String(err));
      return this.recordFailure(item, e);
    }
  }

  private async recordFailure(item: OutboxDoc, e: SendError): Promise<boolean> {
    const now = this.clock();
    const log = { channel: item.channel, chat: maskId(item.chatId), key: item.key, code: e.code, kind: e.kind, attempts: item.attempts };
    const lastError = { code: e.code, message: e.message };
    if (e.kind === 'blocked') {
      this.opts.logger.warn(log, 'recipient blocked the bot; cancelling queued messages');
      await this.opts.contacts.markBlocked(item.channel, item.chatId, true, now);
      await this.opts.model.updateOne({ _id: item._id }, { $set: { status: 'failed', lastError, leaseUntil: null } });
      await this.opts.model.updateMany(
        { channel: item.channel, chatId: item.chatId, status: 'pending' },
        { $set: { status: 'cancelled', lastError: { code: 'blocked', message: 'recipient blocked the bot' } } },
      );
      return false;
    }
    if (e.kind === 'permanent' || e.kind === 'outsideWindow' || item.attempts >= this.maxAttempts) {
      this.opts.logger.error(log, 'message not delivered; giving up');
      await this.opts.model.updateOne({ _id: item._id }, { $set: { status: 'failed', lastError, leaseUntil: null } });
      return true; // the rest of the chat's queue may still go
    }
    const delay =
      e.kind === 'rateLimited' && e.retryAfterMs !== undefined
        ? e.retryAfterMs
        : Math.min(this.baseBackoff * 2 ** (item.attempts - 1), 10 * 60_000);
    // A chat-level limit is honoured by nextAttemptAt (nothing overtakes the head of a chat);
    // a channel-level one must also hold back every other chat.
    if (e.kind === 'rateLimited' && e.scope === 'channel') this.limiter.pause(item.channel, delay);
    this.opts.logger.warn({ ...log, retryInMs: delay }, 'send failed; will retry');
    await this.opts.model.updateOne(
      { _id: item._id },
      { $set: { status: 'pending', lastError, leaseUntil: null, nextAttemptAt: new Date(now.getTime() + delay) } },
    );
    return false;
  }

  /** Sends whatever is due in every chat (retries, recovery after a restart). Returns chats visited. */
  async flushDue(): Promise<number> {
    const now = this.clock();
    const due = await this.opts.model
      .find({
        channel: { $in: [...this.senders.keys()] },
        $or: [
          { status: 'pending', nextAttemptAt: { $lte: now } },
          { status: 'sending', leaseUntil: { $lt: now } },
        ],
      })
      .select({ channel: 1, chatId: 1 })
      .limit(5000)
      .lean<Array<{ channel: Channel; chatId: string }>>();
    const chats = new Map(due.map((d) => [`${d.channel}:${d.chatId}`, d]));
    // Chats are independent: flush them concurrently (each chat stays in order).
    await Promise.all([...chats.values()].map((c) => this.flushChat(c.channel, c.chatId)));
    return chats.size;
  }

  /** Polls for due retries every `intervalMs` (real time). */
  start(intervalMs = 1000): void {
    this.stopped = false;
    const tick = () => {
      this.flushDue()
        .catch((err: unknown) => {
          if (!isDatabaseDown(err)) this.opts.logger.error({ err }, 'outbox tick failed');
        })
        .finally(() => {
          this.limiter.prune();
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  /** Stops polling and waits for sends in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  /** Waits until no chat is being flushed (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }
}
