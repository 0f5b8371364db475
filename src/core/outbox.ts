/**
 * One outbox for all channels: replies are stored first, then sent per chat in order, paced by the
 * rate limiter, retried with backoff on 5xx/network errors, paused on 429, stopped for blocked
 * contacts. Every outcome is kept in `outbound_log`.
 *
 * Concurrency (why nothing goes out twice): the queue `_id` is the idempotency key, so a reply is
 * queued once; before each attempt the sender inserts a claim `<key>#a<attempt>`, and only the
 * process whose insert succeeds sends; a finished message is in the log under the same key and is
 * never sent again. Within one process a chat is flushed by one lane at a time, which keeps order;
 * across processes a lane stops at a message another process has claimed.
 *
 * Cost: FerretDB (SQLite) walks the whole collection for every read (by `_id` alone ten times
 * faster than by other fields) and only inserts use an index. So the hot path inserts (claims,
 * log) and reads only the queue, which holds just unfinished messages: bulk producers wait for
 * room (`whenRoom`), and finished messages leave the queue in batches.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { SendError, type ChannelSender } from '../channels/types.js';
import { retryTransient } from '../db/retry.js';
import { maskId } from '../logging/mask.js';
import type { ContactsService } from './contacts-service.js';
import { isDatabaseDown, isDuplicateKey } from './errors.js';
import type { Channel, Reply } from './messages.js';
import { RateLimiter } from './rate-limiter.js';
import { Semaphore } from './semaphore.js';
import type { OutboxClaimModel, OutboxDoc, OutboxLogDoc, OutboxLogModel, OutboxModel, OutboxReportModel } from './store/outbox.js';

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
  model: OutboxModel;
  claims: OutboxClaimModel;
  log: OutboxLogModel;
  reports: OutboxReportModel;
  senders: ChannelSender[];
  contacts: ContactsService;
  logger: Logger;
  clock?: () => Date;
  limiter?: RateLimiter;
  /** Attempts before a message is recorded failed (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at 10 minutes (default 2 s). */
  baseBackoffMs?: number;
  /** Chats sent to at the same time by this process, per channel (default 16). */
  lanes?: number;
}

/** How long a claim protects an attempt before another process may retry it (crash recovery). */
const CLAIM_MS = 60_000;
const CHAT_BATCH = 20;
const DUE_BATCH = 500;
const BACKLOG_STALE_MS = 30_000;

export class Outbox {
  private readonly senders = new Map<Channel, ChannelSender>();
  private readonly limiter: RateLimiter;
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly baseBackoff: number;
  private readonly owner = randomUUID();
  /** Chats being flushed in this process, and whether more work arrived meanwhile. */
  private readonly active = new Map<string, { again: boolean; done: Promise<void> }>();
  /** Per channel, so chats waiting on one platform's rate limit never hold up the other platform. */
  private readonly slots = new Map<Channel, Semaphore>();
  private readonly dirty = new Map<string, { channel: Channel; chatId: string }>();
  private dirtyScheduled = false;
  private readonly background = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private seq = 0;
  /**
   * Per channel: messages finished in a batch pass → when their delete from the queue completed
   * (`Infinity` until then). They are deleted together in the background (`deleteFinished`), and
   * reads of the queue skip them until a read that started after the delete (an earlier read may
   * still return them).
   */
  private readonly finishedIds = new Map<Channel, Map<string, number>>();
  private readonly deleting = new Map<Channel, Promise<void>>();
  private readonly dueRuns = new Map<Channel, { again: boolean; done: Promise<number> }>();
  /** Per channel: messages this process queued and has not attempted yet (key → when, real ms). */
  private readonly unsettled = new Map<Channel, Map<string, number>>();
  private readonly roomWaiters = new Set<() => void>();

  constructor(private readonly opts: OutboxOptions) {
    for (const s of opts.senders) this.senders.set(s.channel, s);
    this.limiter = opts.limiter ?? new RateLimiter();
    this.clock = opts.clock ?? (() => new Date());
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.baseBackoff = opts.baseBackoffMs ?? 2000;
    for (const s of opts.senders) this.slots.set(s.channel, new Semaphore(opts.lanes ?? 16));
  }

  hasChannel(channel: Channel): boolean {
    return this.senders.has(channel);
  }

  /** Stores replies (split into platform-sized parts). Re-queuing a key already queued or finished is a no-op. */
  async enqueue(items: OutboundItem[]): Promise<void> {
    const now = this.clock();
    for (const item of items) {
      const sender = this.senders.get(item.channel);
      const parts = sender ? sender.split(item.reply) : [item.reply];
      for (let i = 0; i < parts.length; i++) {
        const key = parts.length > 1 ? `${item.key}#${i}` : item.key;
        // Same millisecond, still in order: createdAt carries a per-process sequence.
        const createdAt = new Date(now.getTime() + (this.seq++ % 1000) / 1000);
        const base = { channel: item.channel, chatId: item.chatId, ...(item.userKey ? { userKey: item.userKey } : {}), reply: parts[i]!, createdAt };
        const report = item.report ? { report: item.report } : {};
        // A key already finished may be queued again here; its send attempt meets the earlier
        // claim and finds it in the log.
        try {
          if (!sender) {
            await retryTransient(() =>
              this.finish({ _id: key, ...base, ...report, attempts: 0, nextAttemptAt: now }, 0, 'failed', [], { code: 'no-channel', message: `channel ${item.channel} is not enabled` }),
            );
          } else {
            perChannel(this.unsettled, item.channel).set(key, Date.now());
            await retryTransient(() => this.opts.model.create({ _id: key, ...base, ...report, attempts: 0, nextAttemptAt: now }));
          }
        } catch (err) {
          if (!isDuplicateKey(err)) throw err; // already queued by an earlier attempt at the same work
        }
      }
    }
  }

  /** An attempt at `key` is over (whatever its result): it no longer counts as backlog. */
  private settle(channel: Channel, key: string): void {
    if (!this.unsettled.get(channel)?.delete(key)) return;
    for (const wake of this.roomWaiters) wake();
  }

  /**
   * Messages of `channel` this process queued and has not attempted yet. Entries older than
   * `BACKLOG_STALE_MS` are dropped: another process may have sent them, or they wait on a retry.
   */
  backlog(channel: Channel): number {
    const m = this.unsettled.get(channel);
    if (!m) return 0;
    const stale = Date.now() - BACKLOG_STALE_MS;
    for (const [key, at] of m) {
      if (at >= stale) break; // insertion order is time order
      m.delete(key);
    }
    return m.size;
  }

  /**
   * Resolves when this process has less than `seconds` of sending queued for `channel` (at the
   * channel's rate), so a bulk producer such as forum reminders hands over messages at the pace
   * they can go out. Why: on FerretDB every pass over the queue reads all of it, so a queue of
   * 10,000 makes each message cost 10,000 reads, and sending falls behind its rate limit.
   */
  async whenRoom(channel: Channel, seconds = 2): Promise<void> {
    const sender = this.senders.get(channel);
    if (!sender) return;
    const max = Math.max(1, Math.ceil(sender.limits.perSecond * seconds));
    while (this.backlog(channel) >= max && !this.stopped) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.roomWaiters.delete(wake);
          resolve();
        };
        // Also re-check now and then: entries can go stale without a settle.
        const timer = setTimeout(wake, 1000);
        this.roomWaiters.add(wake);
      });
    }
  }

  /** Starts sending to one chat in the background (in order). Many kicks at once share one batch scan. */
  kick(channel: Channel, chatId: string): void {
    this.dirty.set(`${channel}:${chatId}`, { channel, chatId });
    if (this.dirtyScheduled) return;
    this.dirtyScheduled = true;
    // A few milliseconds of gathering costs a reply nothing and lets a burst share one pass.
    setTimeout(() => {
      this.dirtyScheduled = false;
      const chats = [...this.dirty.values()];
      this.dirty.clear();
      // One or two chats (a conversation): flush each (a small scan each). A burst (reminders to
      // thousands, a busy minute) or a pass already running: one pass over everything due is far
      // cheaper than a scan per chat.
      const channels = [...new Set(chats.map((c) => c.channel))];
      const busy = channels.some((c) => this.dueRuns.has(c));
      const work = chats.length <= 2 && !busy ? Promise.all(chats.map((c) => this.flushChat(c.channel, c.chatId))) : this.flushDue(channels);
      this.track(work.catch((err: unknown) => this.opts.logger.error({ err, chats: chats.length }, 'outbox flush failed')));
    }, 5);
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  /** Sends everything due for one chat, in order; returns when done or held by a backoff. */
  flushChat(channel: Channel, chatId: string, preloaded?: OutboxDoc[]): Promise<void> {
    const k = `${channel}:${chatId}`;
    const running = this.active.get(k);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        let batch = preloaded;
        do {
          entry.again = false;
          const slots = this.slots.get(channel);
          const b = batch;
          if (slots) await slots.run(() => this.drainChat(channel, chatId, b));
          batch = undefined;
        } while (entry.again && !this.stopped);
      } finally {
        this.active.delete(k);
      }
    })();
    this.active.set(k, entry);
    return entry.done;
  }

  /**
   * Sends a chat's messages in order. With `preloaded` (a batch pass) it sends just those and
   * leaves the finished ids in `finishedIds` for a batched delete; otherwise it reads the chat's
   * queue itself and deletes as it goes.
   */
  private async drainChat(channel: Channel, chatId: string, preloaded?: OutboxDoc[]): Promise<void> {
    const sender = this.senders.get(channel);
    if (!sender) return;
    let items = preloaded;
    for (;;) {
      if (this.stopped) return;
      items ??= await this.readUnfinished(channel, () => this.opts.model.find({ channel, chatId }).sort({ createdAt: 1 }).limit(CHAT_BATCH).lean<OutboxDoc[]>());
      if (items.length === 0) return;
      const finished: string[] = [];
      let held = false;
      for (const item of items) {
        let r: 'finished' | 'held';
        try {
          r = await this.attempt(sender, item);
        } finally {
          this.settle(channel, item._id);
        }
        if (r === 'finished') finished.push(item._id);
        else {
          held = true;
          break;
        }
      }
      if (preloaded) {
        const done = perChannel(this.finishedIds, channel);
        for (const id of finished) done.set(id, Infinity);
        return;
      }
      if (finished.length) await retryTransient(() => this.opts.model.deleteMany({ _id: { $in: finished } }));
      if (held || items.length < CHAT_BATCH) return;
      items = undefined;
    }
  }

  /** Reads queued messages of `channel`, without those finished here (see `finishedIds`). */
  private async readUnfinished(channel: Channel, read: () => Promise<OutboxDoc[]>): Promise<OutboxDoc[]> {
    const startedAt = performance.now();
    const docs = await retryTransient(read);
    const done = this.finishedIds.get(channel);
    if (!done || done.size === 0) return docs;
    const fresh = docs.filter((d) => !done.has(d._id));
    // Deleted before this read started: no read from now on can return them.
    for (const [id, deletedAt] of done) if (deletedAt < startedAt) done.delete(id);
    return fresh;
  }

  private hasUndeleted(channel: Channel): boolean {
    for (const deletedAt of this.finishedIds.get(channel)?.values() ?? []) if (deletedAt === Infinity) return true;
    return false;
  }

  /**
   * Deletes a channel's finished messages from the queue, up to 1,000 in one statement (each
   * delete walks the whole queue on FerretDB), in the background: the next pass need not wait,
   * as it skips them anyway. One delete per channel at a time; returns the one running.
   */
  private deleteFinished(channel: Channel): Promise<void> {
    const running = this.deleting.get(channel);
    if (running) return running;
    const done = this.finishedIds.get(channel);
    const ids: string[] = [];
    for (const [id, deletedAt] of done ?? []) if (deletedAt === Infinity && ids.push(id) >= 1000) break;
    if (!done || ids.length === 0) return Promise.resolve();
    const p = retryTransient(() => this.opts.model.deleteMany({ _id: { $in: ids } }))
      .then(() => {
        const at = performance.now();
        for (const id of ids) if (done.has(id)) done.set(id, at);
      })
      .finally(() => this.deleting.delete(channel))
      .then(() => {
        // More finished meanwhile: delete those too. (Not after a failure: the next pass or tick
        // tries again, rather than this spinning while the database is down.)
        if (!this.stopped && this.hasUndeleted(channel)) void this.deleteFinished(channel);
      });
    this.deleting.set(channel, p);
    this.track(p.catch((err: unknown) => this.opts.logger.error({ err, channel }, 'could not delete finished messages from the queue')));
    return p;
  }

  /**
   * One attempt at one message: `finished` (sent, failed for good, or already done elsewhere),
   * `held` (the chat must wait: retry time, rate limit, another process sending), or `retry`.
   */
  private async attempt(sender: ChannelSender, item: OutboxDoc): Promise<'finished' | 'held'> {
    const now = this.clock();
    if (new Date(item.nextAttemptAt).getTime() > now.getTime()) return 'held';
    const attempt = item.attempts + 1;
    // The claim comes first and the log is read only when the claim exists already: on FerretDB a
    // read by `_id` still walks the whole (ever-growing) log, an insert does not. A message that
    // finished and was queued again under its key always meets its own earlier claim here
    // (claims are kept as long as inbound ids are, the horizon of any re-queuing).
    try {
      await retryTransient(() => this.opts.claims.create({ _id: `${item._id}#a${attempt}`, owner: this.owner, until: new Date(now.getTime() + CLAIM_MS) }));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const done = await retryTransient(() => this.opts.log.findById(item._id, { status: 1, lastError: 1, finishedAt: 1 }).lean<Pick<OutboxLogDoc, 'status' | 'lastError' | 'finishedAt'>>());
      if (done) {
        if (item.report) await retryTransient(() => this.report(item, done.status, done.finishedAt, done.lastError));
        return 'finished';
      }
      const claim = await retryTransient(() => this.opts.claims.findById(`${item._id}#a${attempt}`).lean());
      if (claim && new Date(claim.until).getTime() > now.getTime()) return 'held'; // being sent by someone else
      // The claimer died mid-send: count that attempt and try again (at least once, not at most once).
      await retryTransient(() => this.opts.model.updateOne({ _id: item._id, attempts: item.attempts }, { $set: { attempts: attempt } }));
      return 'held';
    }

    const { channel, chatId } = item;
    const chatSpec =
      chatId.startsWith('-') && sender.limits.groupPerMinute
        ? { rate: sender.limits.groupPerMinute / 60, burst: 3 }
        : { rate: sender.limits.perChatPerSecond, burst: sender.limits.perChatBurst };
    await this.limiter.take(channel, { rate: sender.limits.perSecond, burst: Math.max(1, Math.ceil(sender.limits.perSecond / 4)) }, `${channel}:${chatId}`, chatSpec);
    let platformMessageIds: string[];
    try {
      platformMessageIds = (await sender.send(chatId, item.reply)).platformMessageIds;
    } catch (err) {
      if (isDatabaseDown(err)) throw err;
      const e = err instanceof SendError ? err : new SendError('retryable', 'unknown', err instanceof Error ? err.message : String(err));
      return retryTransient(() => this.recordFailure(item, attempt, e));
    }
    // The platform has it: recording that must survive a passing conflict, or the claim would
    // expire and the message go out twice.
    await retryTransient(() => this.finish(item, attempt, 'sent', platformMessageIds), 30);
    return 'finished';
  }

  private async finish(item: OutboxDoc, attempts: number, status: OutboxLogDoc['status'], platformMessageIds: string[], lastError?: { code: string; message: string }): Promise<void> {
    try {
      await this.opts.log.create({
        _id: item._id,
        channel: item.channel,
        chatId: item.chatId,
        ...(item.userKey ? { userKey: item.userKey } : {}),
        reply: item.reply,
        status,
        attempts,
        platformMessageIds,
        createdAt: item.createdAt,
        finishedAt: this.clock(),
        ...(lastError ? { lastError } : {}),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    if (item.report) await this.report(item, status, this.clock(), lastError);
  }

  /** Tells the item's producer how it ended (kept until acknowledged; a second report is a no-op). */
  private async report(item: Pick<OutboxDoc, '_id' | 'report'>, status: OutboxLogDoc['status'], finishedAt: Date, lastError?: { code: string; message: string }): Promise<void> {
    try {
      await this.opts.reports.create({ _id: item._id, topic: item.report, status, finishedAt, ...(lastError ? { lastError } : {}) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  private async recordFailure(item: OutboxDoc, attempt: number, e: SendError): Promise<'finished' | 'held'> {
    const now = this.clock();
    const log = { channel: item.channel, chat: maskId(item.chatId), key: item._id, code: e.code, kind: e.kind, attempts: attempt };
    const lastError = { code: e.code, message: e.message };
    if (e.kind === 'blocked') {
      this.opts.logger.warn(log, 'recipient blocked the bot; cancelling queued messages');
      await this.opts.contacts.markBlocked(item.channel, item.chatId, true, now);
      await this.finish(item, attempt, 'failed', [], lastError);
      const rest = await this.readUnfinished(item.channel, () => this.opts.model.find({ channel: item.channel, chatId: item.chatId, _id: { $ne: item._id } }).lean<OutboxDoc[]>());
      for (const r of rest) {
        await this.finish(r, r.attempts, 'cancelled', [], { code: 'blocked', message: 'recipient blocked the bot' });
        this.settle(r.channel, r._id);
      }
      await this.opts.model.deleteMany({ _id: { $in: [item._id, ...rest.map((r) => r._id)] } });
      return 'held';
    }
    if (e.kind === 'permanent' || e.kind === 'outsideWindow' || attempt >= this.maxAttempts) {
      this.opts.logger.error(log, 'message not delivered; giving up');
      await this.finish(item, attempt, 'failed', [], lastError);
      return 'finished'; // the rest of the chat's queue may still go
    }
    const delay =
      e.kind === 'rateLimited' && e.retryAfterMs !== undefined ? e.retryAfterMs : Math.min(this.baseBackoff * 2 ** (attempt - 1), 10 * 60_000);
    // A chat-level limit is honoured by nextAttemptAt (nothing overtakes the head of a chat);
    // a channel-level one must also hold back every other chat.
    if (e.kind === 'rateLimited' && e.scope === 'channel') this.limiter.pause(item.channel, delay);
    this.opts.logger.warn({ ...log, retryInMs: delay }, 'send failed; will retry');
    await this.opts.model.updateOne({ _id: item._id }, { $set: { attempts: attempt, lastError, nextAttemptAt: new Date(now.getTime() + delay) } });
    return 'held';
  }

  /**
   * Sends whatever is due in every chat (retries, bursts, recovery after a restart), each channel
   * in its own pass so a backlog on one platform never holds up the other. Returns chats visited.
   */
  async flushDue(channels: Channel[] = [...this.senders.keys()]): Promise<number> {
    const counts = await Promise.all(channels.map((c) => this.flushDueFor(c)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** One pass at a time per channel and process: a call during a pass makes it run once more. */
  private flushDueFor(channel: Channel): Promise<number> {
    const running = this.dueRuns.get(channel);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry = { again: false, done: Promise.resolve(0) };
    entry.done = (async () => {
      let total = 0;
      try {
        do {
          entry.again = false;
          total += await this.duePassFor(channel);
        } while (entry.again && !this.stopped);
        // Quiet now: let the caller see a queue without what was finished.
        while (this.hasUndeleted(channel)) await this.deleteFinished(channel);
      } finally {
        this.dueRuns.delete(channel);
      }
      return total;
    })();
    this.dueRuns.set(channel, entry);
    return entry.done;
  }

  private async duePassFor(channel: Channel): Promise<number> {
    const visited = new Set<string>();
    for (let round = 0; round < 1000 && !this.stopped; round++) {
      const now = this.clock();
      let read = 0;
      const due = await this.readUnfinished(channel, async () => {
        const docs = await this.opts.model.find({ channel, nextAttemptAt: { $lte: now } }).sort({ createdAt: 1 }).limit(DUE_BATCH).lean<OutboxDoc[]>();
        read = docs.length;
        return docs;
      });
      if (due.length === 0 && read > 0) {
        // Only messages finished here and still being deleted: once they are gone, look again.
        await this.deleteFinished(channel);
        continue;
      }
      const chats = new Map<string, OutboxDoc[]>();
      for (const d of due) {
        const list = chats.get(d.chatId) ?? [];
        list.push(d);
        chats.set(d.chatId, list);
      }
      const before = visited.size;
      // Chats are independent: flush them concurrently (each chat stays in order).
      try {
        await Promise.all(
          [...chats.entries()].map(([chatId, items]) => {
            visited.add(chatId);
            return this.flushChat(channel, chatId, items);
          }),
        );
      } finally {
        void this.deleteFinished(channel);
      }
      if (read < DUE_BATCH || visited.size === before) break;
    }
    return visited.size;
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
    for (const wake of this.roomWaiters) wake();
    await this.idle();
  }

  /** Waits until no chat is being flushed (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const pending = [...this.active.values()].map((a) => a.done as Promise<unknown>).concat([...this.background], [...this.dueRuns.values()].map((r) => r.done), [...this.deleting.values()]);
      if (pending.length === 0 && !this.dirtyScheduled) return;
      await Promise.allSettled(pending);
    }
  }
}

/** The per-channel map in `outer`, created when first needed. */
function perChannel<V>(outer: Map<Channel, Map<string, V>>, channel: Channel): Map<string, V> {
  let m = outer.get(channel);
  if (!m) outer.set(channel, (m = new Map()));
  return m;
}
