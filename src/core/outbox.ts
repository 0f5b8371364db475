/**
 * One outbox for all channels: replies are stored first, then sent per chat in order, paced by the
 * rate limiter, retried with backoff on 5xx/network errors, paused on 429, stopped for blocked
 * contacts, parked while a channel is down. Every outcome is kept in `outbound_log`.
 *
 * The parts, each with one job:
 * - outbox-queue.ts: the `outbound_messages` queue (batched inserts and deletes, reads, what this
 *   process knows of each chat's queue);
 * - outbox-lanes.ts: per-chat lanes (order within a chat, fairness between chats);
 * - outbox-attempt.ts: one send attempt (claim, send with a timeout, record the outcome);
 * - outbox-due.ts: the due pass (bulk bursts, `flushDue`, the slow safety sweep);
 * - outbox-backlog.ts: how much waits here, for bulk producers (`whenRoom`);
 * - outbox-owners.ts: which outbox processes are alive (claims of dead ones are taken over).
 *
 * Concurrency (why nothing goes out twice): the queue `_id` is the idempotency key, so a reply is
 * queued once; each attempt is claimed by a unique insert (see outbox-attempt.ts); a finished
 * message is in the log under the same key and is never sent again. Within one process a chat has
 * one lane, which keeps order; across processes a lane stops at a message another live process
 * has claimed.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChannelSender, SendError } from './sender.js';
import { retryTransient } from '../db/retry.js';
import { neutraliseReply } from './bidi.js';
import type { ContactsService } from './contacts-service.js';
import { isDatabaseDown } from './errors.js';
import type { Channel, Reply } from './messages.js';
import { SendAttempt } from './outbox-attempt.js';
import { OutboxBacklog } from './outbox-backlog.js';
import { DuePass, SWEEP_MS } from './outbox-due.js';
import { ChatLanes } from './outbox-lanes.js';
import { OutboxOwners } from './outbox-owners.js';
import { OutboxQueue } from './outbox-queue.js';
import { RateLimiter } from './rate-limiter.js';
import type { LeaseStore } from './leases.js';
import type { OutboxDoc, OutboxStore } from './outbox-store.js';

export { SWEEP_MS } from './outbox-due.js';

/** A reply to queue. */
export interface OutboundItem {
  channel: Channel;
  chatId: string;
  userKey?: string;
  reply: Reply;
  /** Idempotency key; parts of a split reply get `#<n>` appended. */
  key: string;
  /**
   * Report the outcome to this topic in `outbound_reports` (read with `OutboxOutcomes`), for
   * producers that must learn what happened to each message (forum reminders). Default: none.
   */
  report?: string;
}

export interface OutboxOptions {
  /** The queue, send claims, log and reports. */
  store: OutboxStore;
  /** Where live outbox processes keep their heartbeat (see outbox-owners.ts). */
  leases: LeaseStore;
  senders: ChannelSender[];
  contacts: ContactsService;
  logger: Logger;
  clock?: () => Date;
  limiter?: RateLimiter;
  /** Attempts before a message is recorded failed (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at 10 minutes (default 2 s). */
  baseBackoffMs?: number;
  /** Sends in progress at the same time by this process, per channel (default 16). */
  lanes?: number;
  /** A send not answered within this is abandoned and retried (default 15 s). */
  sendTimeoutMs?: number;
  /** Messages not sent within this are recorded failed (`expired`) instead (default 24 h). */
  maxAgeMs?: number;
  /** Only this process writes the queue: chats' queues are kept in memory (see outbox-queue.ts). Default false. */
  soleWriter?: boolean;
  /** Told once per process when a channel cannot send at all (expired token): alert staff. */
  onChannelDown?: (channel: Channel, err: SendError) => void;
}

/** Up to this many chats kicked together are each started on their own; more share one due read. */
const DIRECT_KICKS = 2;

export class Outbox {
  private readonly senders = new Map<Channel, ChannelSender>();
  private readonly limiter: RateLimiter;
  private readonly clock: () => Date;
  private readonly attempt: SendAttempt;
  private readonly owners: OutboxOwners;
  private readonly queue: OutboxQueue;
  private readonly lanes: ChatLanes;
  private readonly due: DuePass;
  private readonly backlogs = new OutboxBacklog();
  private readonly down = new Map<Channel, SendError>();
  private readonly dirty = new Map<string, { channel: Channel; chatId: string; bulk: boolean }>();
  private dirtyScheduled = false;
  private readonly background = new Set<Promise<unknown>>();
  private stopped = false;
  private seq = 0;

  constructor(private readonly opts: OutboxOptions) {
    for (const s of opts.senders) this.senders.set(s.channel, s);
    this.limiter = opts.limiter ?? new RateLimiter();
    this.clock = opts.clock ?? (() => new Date());
    const stopped = () => this.stopped;
    const track = (p: Promise<unknown>) => this.track(p);
    this.owners = new OutboxOwners(opts.leases, randomUUID(), opts.logger);
    this.queue = new OutboxQueue({ store: opts.store, logger: opts.logger, track, stopped, soleWriter: opts.soleWriter ?? false });
    this.attempt = new SendAttempt({
      store: opts.store,
      contacts: opts.contacts,
      logger: opts.logger,
      clock: this.clock,
      limiter: this.limiter,
      owners: this.owners,
      maxAttempts: opts.maxAttempts ?? 8,
      baseBackoffMs: opts.baseBackoffMs ?? 2000,
      sendTimeoutMs: opts.sendTimeoutMs ?? 15_000,
      maxAgeMs: opts.maxAgeMs ?? 24 * 3_600_000,
      soleWriter: opts.soleWriter ?? false,
      onChannelDown: (channel, err) => this.channelDown(channel, err),
      isChannelDown: (channel) => this.down.has(channel),
      onRemoved: (item) => {
        this.queue.removed(item.channel, item._id);
        this.backlogs.settle(item.channel, item._id);
      },
      readUnfinished: async (channel, read) => (await this.queue.readUnfinished(channel, read)).items,
    });
    this.lanes = new ChatLanes({ senders: this.senders, queue: this.queue, attempt: this.attempt, backlog: this.backlogs, perChannel: opts.lanes ?? 16, stopped, track });
    this.due = new DuePass({
      channels: [...this.senders.keys()],
      queue: this.queue,
      lanes: this.lanes,
      clock: this.clock,
      logger: opts.logger,
      stopped,
      afterSweep: () => {
        this.limiter.prune();
        this.queue.prune((k) => this.lanes.has(k));
      },
    });
  }

  hasChannel(channel: Channel): boolean {
    return this.senders.has(channel);
  }

  /** Sends that timed out since start (each may have been delivered twice). */
  get sendTimeouts(): number {
    return this.attempt.timeouts;
  }

  /** Channels that cannot send until fixed (and a restart), with why. */
  get channelsDown(): ReadonlyMap<Channel, SendError> {
    return this.down;
  }

  private channelDown(channel: Channel, err: SendError): void {
    if (this.down.has(channel)) return;
    this.down.set(channel, err);
    this.opts.logger.error(
      { channel, code: err.code, err: err.message },
      `${channel} cannot send (${err.code}): every message to it is kept in the queue and goes out after a restart with working credentials`,
    );
    try {
      this.opts.onChannelDown?.(channel, err);
    } catch (e) {
      this.opts.logger.error({ err: e, channel }, 'channel-down alert failed');
    }
  }

  /**
   * Stores replies (split into platform-sized parts), all in one statement with whatever else is
   * being queued. Re-queuing a key already queued or finished is a no-op. `handling`: for the
   * replies to an inbound message, whether it is handled for the first time (see
   * `SendAttempt.noteQueued`).
   */
  async enqueue(items: OutboundItem[], opts: { handling?: 'first' | 'again' } = {}): Promise<void> {
    const now = this.clock();
    const writes: Array<Promise<void>> = [];
    for (const item of items) {
      const sender = this.senders.get(item.channel);
      // Direction controls never go out (they can make text read differently; see bidi.ts).
      const reply = neutraliseReply(item.reply);
      const parts = sender ? sender.split(reply) : [reply];
      for (let i = 0; i < parts.length; i++) {
        const key = parts.length > 1 ? `${item.key}#${i}` : item.key;
        // Same millisecond, still in order: createdAt carries a per-process sequence.
        const createdAt = new Date(now.getTime() + (this.seq++ % 1000) / 1000);
        const doc: OutboxDoc = {
          _id: key,
          channel: item.channel,
          chatId: item.chatId,
          ...(item.userKey ? { userKey: item.userKey } : {}),
          reply: parts[i]!,
          createdAt,
          ...(item.report ? { report: item.report } : {}),
          attempts: 0,
          nextAttemptAt: now,
        };
        if (!sender) {
          writes.push(retryTransient(() => this.attempt.finish(doc, 0, 'failed', [], { code: 'no-channel', message: `channel ${item.channel} is not enabled` })));
          continue;
        }
        this.backlogs.add(item.channel, key);
        this.attempt.noteQueued(key, opts.handling);
        writes.push(this.queue.insert(doc));
      }
    }
    await Promise.all(writes);
  }

  /** Messages of `channel` this process queued and has not attempted yet (see outbox-backlog.ts). */
  backlog(channel: Channel): number {
    return this.backlogs.count(channel);
  }

  /**
   * Resolves when this process has less than `seconds` of sending queued for `channel` (at the
   * channel's rate), so a bulk producer such as forum reminders hands over messages at the pace
   * they can go out.
   */
  async whenRoom(channel: Channel, seconds = 2): Promise<void> {
    const sender = this.senders.get(channel);
    if (!sender) return;
    await this.backlogs.whenBelow(channel, Math.max(1, Math.ceil(sender.limits.perSecond * seconds)), () => this.stopped);
  }

  /**
   * Starts sending to one chat in the background (in order). `bulk`: the message comes from a
   * producer handing over many at once (forum reminders); bulk kicks share one read of the queue
   * per round. Replies and alerts (not bulk) always start their chat's lane at once, so a bulk
   * run never delays a conversation.
   */
  kick(channel: Channel, chatId: string, bulk = false): void {
    const k = `${channel}:${chatId}`;
    const known = this.dirty.get(k);
    this.dirty.set(k, { channel, chatId, bulk: bulk && (known?.bulk ?? true) });
    if (this.dirtyScheduled) return;
    this.dirtyScheduled = true;
    // A few milliseconds of gathering costs a reply nothing and lets a burst share one read.
    setTimeout(() => {
      this.dirtyScheduled = false;
      const chats = [...this.dirty.values()];
      this.dirty.clear();
      if (this.stopped) return;
      // Sole writer: each chat's queue is known in memory (outbox-queue.ts), so a lane started for
      // it reads nothing, and a burst needs no shared read of everything due.
      const sole = this.opts.soleWriter === true;
      const direct = chats.filter((c) => sole || !c.bulk);
      const bulkChats = chats.filter((c) => !sole && c.bulk);
      // A conversation's chat: its lane looks at its own chat, none waits for another.
      for (const c of direct) this.track(this.lanes.start(c.channel, c.chatId, undefined, false));
      if (bulkChats.length === 0) return;
      if (bulkChats.length <= DIRECT_KICKS && !bulkChats.some((c) => this.due.isDispatching(c.channel))) {
        for (const c of bulkChats) this.track(this.lanes.start(c.channel, c.chatId, undefined, false));
        return;
      }
      // A burst (reminders to thousands): one read of everything due, handed to the lanes; the
      // kicked chats whose lane is running look again when it is done.
      for (const channel of new Set(bulkChats.map((c) => c.channel))) {
        const nudge = new Set(bulkChats.filter((c) => c.channel === channel).map((c) => c.chatId));
        this.track(this.due.dispatch(channel, nudge));
      }
    }, 5);
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((err: unknown) => {
      if (!isDatabaseDown(err)) this.opts.logger.error({ err }, 'outbox work failed');
    });
    this.background.add(q);
    void q.finally(() => this.background.delete(q));
  }

  /** Sends everything due for one chat, in order; returns when done or held (pacing, backoff). */
  flushChat(channel: Channel, chatId: string): Promise<void> {
    return this.lanes.start(channel, chatId, undefined, true);
  }

  /**
   * Sends whatever is due in every chat (retries, recovery after a restart) and waits until each
   * chat is done or held: for start-up, maintenance and tests. Returns chats visited.
   */
  flushDue(channels: Channel[] = [...this.senders.keys()]): Promise<number> {
    return this.due.flush(channels);
  }

  /** Runs the due pass's safety sweep every `intervalMs` (see outbox-due.ts for why it is slow). */
  start(intervalMs = SWEEP_MS): void {
    this.stopped = false;
    this.due.start(intervalMs);
  }

  /** Stops sending and waits for sends in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.due.stop();
    this.backlogs.wakeAll();
    this.lanes.clearTimers();
    await this.idle();
    await this.owners.stop();
  }

  /** Waits until no chat is being sent to or waiting for its pacing (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const pending: Array<Promise<unknown>> = [...this.background, ...this.queue.deleteNow(), ...this.due.pending(), ...this.lanes.pending()];
      if (pending.length === 0 && !this.dirtyScheduled) return;
      await Promise.allSettled(pending);
    }
  }
}
