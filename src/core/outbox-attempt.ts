/**
 * One send attempt at one queued message: claim it, send it (with a timeout), record the outcome.
 *
 * Concurrency (why nothing goes out twice while processes live): before each attempt the sender
 * inserts a claim `<key>#a<attempt>`; only the process whose insert succeeds sends. A claim met
 * by another process means "being sent elsewhere" while its owner is alive (see outbox-owners.ts)
 * and the claim is fresh; a claim of a dead owner, or of this process from an attempt that ended
 * abnormally, is in doubt: the attempt is counted and the message sent again (at least once).
 *
 * What is promised: the platforms take no idempotency key, so a message whose send reached the
 * platform but whose record did not reach the database (crash, timeout after acceptance) may go
 * out twice. The window is one insert long; timeouts are counted in the log.
 */
import type { Logger } from 'pino';
import { SendError, type ChannelSender } from './sender.js';
import { retryTransient } from '../db/retry.js';
import { maskId } from '../logging/mask.js';
import type { ContactsService } from './contacts-service.js';
import type { Channel } from './messages.js';
import type { OutboxOwners } from './outbox-owners.js';
import type { RateLimiter } from './rate-limiter.js';
import type { OutboxDoc, OutboxLogDoc, OutboxStore } from './outbox-store.js';

/** What an attempt left the chat with. */
export type AttemptResult =
  /** Sent, failed for good, or done elsewhere: the chat's next message may go. */
  | { kind: 'finished' }
  /**
   * The chat must wait (its head keeps its place): `wakeInMs` when the lane should look again by
   * itself soon (pacing, a claim taken over; the message still counts as backlog); `recheckInMs`
   * when it should look again later by itself (a retry time, another process sending; not
   * backlog, and `idle()` does not wait for it); with neither the due pass brings it back
   * (channel down).
   */
  | { kind: 'held'; wakeInMs?: number; recheckInMs?: number };

/** How soon a lane looks again at a message another live process is sending. */
export const OTHER_OWNER_RECHECK_MS = 5000;

export interface SendAttemptDeps {
  /** The queue, claims, log and reports (claims, log records and reports are each written in batches with whatever else finishes meanwhile). */
  store: OutboxStore;
  contacts: ContactsService;
  logger: Logger;
  clock: () => Date;
  limiter: RateLimiter;
  owners: OutboxOwners;
  maxAttempts: number;
  baseBackoffMs: number;
  /** A send not answered within this is abandoned and retried (the platform may still deliver it). */
  sendTimeoutMs: number;
  /** Messages older than this are not sent any more (recorded failed, `expired`). */
  maxAgeMs: number;
  /** Only this process sends from the queue (see `noteQueued`). */
  soleWriter: boolean;
  /** The channel cannot send at all (e.g. WhatsApp token expired): park everything, tell staff. */
  onChannelDown: (channel: Channel, err: SendError) => void;
  /** Is `channel` known to be down in this process? */
  isChannelDown: (channel: Channel) => boolean;
  /** A message of the chat was cancelled or removed from the queue by the attempt. */
  onRemoved: (item: Pick<OutboxDoc, '_id' | 'channel'>) => void;
  /** Reads the queue without what this process finished but has not deleted yet. */
  readUnfinished: (channel: Channel, read: () => Promise<OutboxDoc[]>) => Promise<OutboxDoc[]>;
}

export class SendAttempt {
  /** Sends abandoned after `sendTimeoutMs` since the start (each may be delivered twice). */
  timeouts = 0;

  /** Sole writer: keys this process queued and has not finished (any other was left from before the start). */
  private readonly queuedHere = new Set<string>();
  /** Sole writer: keys queued here whose first attempt needs no claim (see `noteQueued`). */
  private readonly firstTime = new Set<string>();
  /** Sole writer: keys queued here that may have finished before without a claim (see `noteQueued`). */
  private readonly mayHaveFinished = new Set<string>();

  constructor(private readonly d: SendAttemptDeps) {}

  /**
   * Notes a message this process queued, and for the replies to an inbound message whether this
   * is the first time that message is handled here (`first`: accepted just now, so its reply
   * keys were never queued before — an inbound id is accepted once, see store/inbox-accept.ts)
   * or again (`again`: after a failed try or by the recovery sweep; the keys may have been queued
   * and sent already).
   *
   * Why a sole writer may skip the claim of a `first` message's first attempt: a claim does three
   * things — keeps a second process from sending the message (there is none), makes a key queued
   * again after it finished meet its old claim and look in the log (a first-time key has not
   * finished; `again` keys and messages left from before a start look in the log themselves, see
   * `claimAndSend`), and shows an attempt a crash interrupted (the message is then left in the
   * queue, and looked up in the log after the restart). One command less per reply.
   */
  noteQueued(key: string, handling: 'first' | 'again' | undefined): void {
    if (!this.d.soleWriter) return;
    this.queuedHere.add(key);
    if (handling === 'first') this.firstTime.add(key);
    else if (handling === 'again') this.mayHaveFinished.add(key);
  }

  /** Claim lifetime: the longest send, plus time to record it. */
  private get claimMs(): number {
    return this.d.sendTimeoutMs + 15_000;
  }

  /**
   * Whether `item` may be tried now; `undefined` = go, else why the chat waits. Only the chat's
   * own pacing makes the lane sleep on a timer; the channel's rate is waited for in `take`
   * (shared by every chat alike, so waiting there holds up no chat more than another).
   */
  readiness(sender: ChannelSender, item: OutboxDoc): AttemptResult | undefined {
    const retryIn = new Date(item.nextAttemptAt).getTime() - this.d.clock().getTime();
    if (retryIn > 0) return { kind: 'held', recheckInMs: Math.max(2, retryIn) };
    if (this.d.isChannelDown(item.channel)) return { kind: 'held' };
    const { chatKey, chatSpec } = this.buckets(sender, item);
    const wait = this.d.limiter.wait(chatKey, chatSpec);
    if (wait > 0) return { kind: 'held', wakeInMs: Math.max(2, Math.ceil(wait)) };
    return undefined;
  }

  private buckets(sender: ChannelSender, item: OutboxDoc) {
    const chatSpec =
      item.chatId.startsWith('-') && sender.limits.groupPerMinute
        ? { rate: sender.limits.groupPerMinute / 60, burst: 3 }
        : { rate: sender.limits.perChatPerSecond, burst: sender.limits.perChatBurst };
    return {
      channelKey: item.channel,
      channelSpec: { rate: sender.limits.perSecond, burst: Math.max(1, Math.ceil(sender.limits.perSecond / 4)) },
      chatKey: `${item.channel}:${item.chatId}`,
      chatSpec,
    };
  }

  /** Waits for the channel's rate (the chat's is free after `readiness`) and takes both tokens; gives up when `stop()`. */
  private take(sender: ChannelSender, item: OutboxDoc, stop: () => boolean): Promise<void> {
    const { channelKey, channelSpec, chatKey, chatSpec } = this.buckets(sender, item);
    return this.d.limiter.take(channelKey, channelSpec, chatKey, chatSpec, stop);
  }

  /** Too old to be worth sending (parked through an outage): recorded failed instead. */
  async expireIfStale(item: OutboxDoc): Promise<boolean> {
    const now = this.d.clock();
    if (now.getTime() - new Date(item.createdAt).getTime() <= this.d.maxAgeMs) return false;
    this.d.logger.warn({ channel: item.channel, chat: maskId(item.chatId), key: item._id, attempts: item.attempts }, 'message too old to send; recorded as expired');
    await retryTransient(() => this.finish(item, item.attempts, 'failed', [], { code: 'expired', message: `not sent within ${Math.round(this.d.maxAgeMs / 3_600_000)} h` }));
    return true;
  }

  /** Claims, sends and records one attempt (with this process's heartbeat going meanwhile). */
  run(sender: ChannelSender, item: OutboxDoc, stopped: () => boolean): Promise<AttemptResult> {
    return this.d.owners.busy(() => this.claimAndSend(sender, item, stopped));
  }

  private async claimAndSend(sender: ChannelSender, item: OutboxDoc, stopped: () => boolean): Promise<AttemptResult> {
    const now = this.d.clock();
    const attempt = item.attempts + 1;
    if (this.d.soleWriter && (!this.queuedHere.has(item._id) || this.mayHaveFinished.delete(item._id))) {
      // Left in the queue from before this start, or queued again by a message handled again:
      // perhaps sent before without a claim, so the log says whether it finished (a read, but only
      // after a restart or a failed try).
      const done = await retryTransient(() => this.d.store.logOf(item._id));
      if (done) {
        await this.report(item, done.status, done.finishedAt, done.lastError);
        return { kind: 'finished' };
      }
      this.queuedHere.add(item._id);
    }
    // The claim comes first and the log is read only when the claim exists already: on FerretDB a
    // read by `_id` still walks the whole (ever-growing) log, an insert does not. A message that
    // finished and was queued again under its key always meets its own earlier claim here
    // (claims are kept as long as inbound ids are, the horizon of any re-queuing).
    const unclaimed = attempt === 1 && this.firstTime.delete(item._id);
    if (!unclaimed && !(await this.d.store.addClaim({ _id: `${item._id}#a${attempt}`, owner: this.d.owners.owner, until: new Date(now.getTime() + this.claimMs) }))) {
      return this.claimedBefore(item, attempt, now);
    }
    // Rate tokens only for a send that happens (an attempt that meets another's claim takes none):
    // the channel's rate, or a channel-wide pause after a 429, holds every chat alike; a stop ends
    // the wait (the claim then expires or is taken over as in doubt).
    await this.take(sender, item, stopped);
    if (stopped()) return { kind: 'held' };

    let platformMessageIds: string[];
    try {
      platformMessageIds = (await this.sendWithTimeout(sender, item)).platformMessageIds;
    } catch (err) {
      // Only the platform is involved here: whatever failed is a send error, never "database down".
      const e = err instanceof SendError ? err : new SendError('retryable', 'unknown', err instanceof Error ? err.message : String(err));
      return retryTransient(() => this.recordFailure(item, attempt, e));
    }
    // The platform has it: recording that must survive a passing conflict, or the message would
    // be in doubt and go out twice.
    await retryTransient(() => this.finish(item, attempt, 'sent', platformMessageIds), 30);
    return { kind: 'finished' };
  }

  private async sendWithTimeout(sender: ChannelSender, item: OutboxDoc): Promise<{ platformMessageIds: string[] }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SendError('retryable', 'timeout', `no answer within ${this.d.sendTimeoutMs} ms`)), this.d.sendTimeoutMs);
    });
    try {
      return await Promise.race([sender.send(item.chatId, item.reply), timeout]);
    } catch (err) {
      if (err instanceof SendError && (err.code === 'timeout' || err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT')) {
        this.timeouts++;
        this.d.logger.warn(
          { channel: item.channel, chat: maskId(item.chatId), key: item._id, code: err.code, sendTimeouts: this.timeouts },
          'send timed out; the platform may have accepted it, so the retry may deliver it twice',
        );
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The attempt's claim exists already: finished, being sent elsewhere, or in doubt. */
  private async claimedBefore(item: OutboxDoc, attempt: number, now: Date): Promise<AttemptResult> {
    const done = await retryTransient(() => this.d.store.logOf(item._id));
    if (done) {
      await this.report(item, done.status, done.finishedAt, done.lastError);
      return { kind: 'finished' };
    }
    const claim = await retryTransient(() => this.d.store.claimOf(`${item._id}#a${attempt}`));
    // Our own claim with no attempt running (lanes are exclusive in a process) ended abnormally.
    const ownerGone = !claim || claim.owner === this.d.owners.owner || !(await this.d.owners.isAlive(claim.owner));
    if (!ownerGone && new Date(claim.until).getTime() > now.getTime()) return { kind: 'held', recheckInMs: OTHER_OWNER_RECHECK_MS }; // being sent by someone else
    this.d.logger.warn({ channel: item.channel, chat: maskId(item.chatId), key: item._id, attempt }, 'send attempt in doubt (its process died or it ended abnormally); sending again');
    // Count that attempt and try again at once (at least once, not at most once).
    await retryTransient(() => this.d.store.countAttempt(item._id, item.attempts, attempt));
    return { kind: 'held', wakeInMs: 1 };
  }

  async finish(item: OutboxDoc, attempts: number, status: OutboxLogDoc['status'], platformMessageIds: string[], lastError?: { code: string; message: string }): Promise<void> {
    this.queuedHere.delete(item._id);
    this.firstTime.delete(item._id);
    this.mayHaveFinished.delete(item._id);
    // A record there already (finished before, queued again) is left as it is.
    await this.d.store.addLog({
        _id: item._id,
        channel: item.channel,
        chatId: item.chatId,
        ...(item.userKey ? { userKey: item.userKey } : {}),
        reply: item.reply,
        status,
        attempts,
        platformMessageIds,
        createdAt: item.createdAt,
        finishedAt: this.d.clock(),
        ...(lastError ? { lastError } : {}),
      });
    await this.report(item, status, this.d.clock(), lastError);
  }

  /** Tells the item's producer how it ended (kept until acknowledged; a second report is a no-op). */
  private async report(item: Pick<OutboxDoc, '_id' | 'report'>, status: OutboxLogDoc['status'], finishedAt: Date, lastError?: { code: string; message: string }): Promise<void> {
    if (!item.report) return;
    await this.d.store.addReport({ _id: item._id, topic: item.report, status, finishedAt, ...(lastError ? { lastError } : {}) });
  }

  private async recordFailure(item: OutboxDoc, attempt: number, e: SendError): Promise<AttemptResult> {
    const now = this.d.clock();
    const log = { channel: item.channel, chat: maskId(item.chatId), key: item._id, code: e.code, kind: e.kind, attempts: attempt };
    const lastError = { code: e.code, message: e.message };
    if (e.kind === 'blocked') {
      this.d.logger.warn(log, 'recipient blocked the bot; cancelling queued messages');
      await this.d.contacts.markBlocked(item.channel, item.chatId, true, now);
      await this.finish(item, attempt, 'failed', [], lastError);
      const rest = await this.d.readUnfinished(item.channel, () => this.d.store.chatQueueExcept(item.channel, item.chatId, item._id));
      for (const r of rest) {
        await this.finish(r, r.attempts, 'cancelled', [], { code: 'blocked', message: 'recipient blocked the bot' });
        this.d.onRemoved(r);
      }
      await this.d.store.deleteMessages([item._id, ...rest.map((r) => r._id)]);
      this.d.onRemoved(item);
      return { kind: 'held' };
    }
    if (e.kind === 'channelDown') {
      // Nothing can go out on this channel until it is fixed (a new token, a restart): the message
      // keeps its place and stays due, so it goes first once the channel works again.
      await this.d.store.recordAttempt(item._id, { attempts: attempt, lastError });
      this.d.onChannelDown(item.channel, e);
      return { kind: 'held' };
    }
    if (e.kind === 'permanent' || e.kind === 'outsideWindow' || attempt >= this.d.maxAttempts) {
      this.d.logger.error(log, 'message not delivered; giving up');
      await this.finish(item, attempt, 'failed', [], lastError);
      return { kind: 'finished' }; // the rest of the chat's queue may still go
    }
    const delay = e.kind === 'rateLimited' && e.retryAfterMs !== undefined ? e.retryAfterMs : Math.min(this.d.baseBackoffMs * 2 ** (attempt - 1), 10 * 60_000);
    // A chat-level limit is honoured by nextAttemptAt (nothing overtakes the head of a chat);
    // a channel-level one must also hold back every other chat.
    if (e.kind === 'rateLimited' && e.scope === 'channel') this.d.limiter.pause(item.channel, delay);
    this.d.logger.warn({ ...log, retryInMs: delay }, 'send failed; will retry');
    await this.d.store.recordAttempt(item._id, { attempts: attempt, lastError, nextAttemptAt: new Date(now.getTime() + delay) });
    return { kind: 'held', recheckInMs: Math.max(2, delay) };
  }
}
