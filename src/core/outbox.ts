/**
 * One outbox for all channels: replies are stored first, then sent per chat in order, paced by the
 * rate limiter, retried with backoff on 5xx/network errors, paused on 429, stopped for blocked
 * contacts, parked while a channel is down. Every outcome is kept in `outbound_log`.
 *
 * Fairness (why one busy chat never holds up the others): each chat has its own lane. A lane
 * sends its chat's messages in order; when the chat's pacing (or the channel's) says "not yet",
 * the lane sets its own timer and lets go, so it never waits inside anything shared. No pass
 * waits for chats: the due pass (a tick, or a burst of kicks) reads what is due and hands each
 * chat to its lane without awaiting it. Sends run under a per-channel cap (`lanes`) with a per-send
 * timeout, so a hung platform call holds one slot for at most the timeout.
 *
 * Concurrency (why nothing goes out twice): the queue `_id` is the idempotency key, so a reply is
 * queued once; each attempt is claimed by a unique insert (see outbox-attempt.ts); a finished
 * message is in the log under the same key and is never sent again. Within one process a chat has
 * one lane, which keeps order; across processes a lane stops at a message another live process
 * has claimed.
 *
 * Cost: FerretDB (SQLite) walks the whole collection for every read (by `_id` alone ten times
 * faster than by other fields) and only inserts use an index. So the hot path inserts (claims,
 * log) and reads only the queue, which holds just unfinished messages: bulk producers wait for
 * room (`whenRoom`), and finished messages leave the queue in batches.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChannelSender, SendError } from './sender.js';
import { retryTransient } from '../db/retry.js';
import { neutraliseReply } from './bidi.js';
import type { ContactsService } from './contacts-service.js';
import { isDatabaseDown, isDuplicateKey } from './errors.js';
import type { Channel, Reply } from './messages.js';
import { SendAttempt, type AttemptResult } from './outbox-attempt.js';
import { OutboxOwners } from './outbox-owners.js';
import { RateLimiter } from './rate-limiter.js';
import { Semaphore } from './semaphore.js';
import type { LeaseModel } from './store/leases.js';
import type { OutboxClaimModel, OutboxDoc, OutboxLogModel, OutboxModel, OutboxReportModel } from './store/outbox.js';

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
  /** Where live outbox processes keep their heartbeat (see outbox-owners.ts). */
  leases: LeaseModel;
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
  /** Told once per process when a channel cannot send at all (expired token): alert staff. */
  onChannelDown?: (channel: Channel, err: SendError) => void;
}

const CHAT_BATCH = 20;
const DUE_BATCH = 500;
const BACKLOG_STALE_MS = 30_000;
/** Up to this many chats kicked together are each read on their own; more share one due read. */
const DIRECT_KICKS = 2;
/**
 * A background dispatch (bulk kicks, the tick) waits this long at most for the lanes it started
 * before it reads again: a bulk run (reminders to thousands) then costs one read of the queue per
 * round rather than one per chat (measured: 3,000 reminders in 40 s with 1 s rounds, 32 s with
 * 3 s), and a slow or hung send delays other bulk chats by this much at most. Replies and alerts
 * do not wait for it (see `kick`).
 */
const DISPATCH_ROUND_MS = 3000;

/** One chat's lane: at most one run at a time; a timer when its pacing asked it to wait. */
interface Lane {
  run: Promise<void> | null;
  again: boolean;
  timer: NodeJS.Timeout | undefined;
  /** Resolves when the timer's run is over (or the outbox stops): what `idle()` waits for. */
  woken: Promise<void> | undefined;
  wake: (() => void) | undefined;
}

export class Outbox {
  private readonly senders = new Map<Channel, ChannelSender>();
  private readonly limiter: RateLimiter;
  private readonly clock: () => Date;
  private readonly attempt: SendAttempt;
  private readonly owners: OutboxOwners;
  private readonly lanes = new Map<string, Lane>();
  /** Per channel: a cap on sends in progress (a hung call holds one slot until its timeout). */
  private readonly slots = new Map<Channel, Semaphore>();
  private readonly down = new Map<Channel, SendError>();
  private readonly dirty = new Map<string, { channel: Channel; chatId: string; bulk: boolean }>();
  private dirtyScheduled = false;
  private readonly background = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private seq = 0;
  /**
   * Per channel: messages finished by a lane → when their delete from the queue completed
   * (`Infinity` until then). They are deleted together in the background (`deleteFinished`), and
   * reads of the queue skip them until a read that started after the delete (an earlier read may
   * still return them).
   */
  private readonly finishedIds = new Map<Channel, Map<string, number>>();
  private readonly deleting = new Map<Channel, Promise<void>>();
  /** Per channel: the background dispatch running, and whether to run it once more. */
  private readonly dispatching = new Map<Channel, { again: boolean; nudge: Set<string>; done: Promise<void> }>();
  /** Per channel: messages this process queued and has not attempted yet (key → when, real ms). */
  private readonly unsettled = new Map<Channel, Map<string, number>>();
  private readonly roomWaiters = new Set<() => void>();

  constructor(private readonly opts: OutboxOptions) {
    for (const s of opts.senders) this.senders.set(s.channel, s);
    this.limiter = opts.limiter ?? new RateLimiter();
    this.clock = opts.clock ?? (() => new Date());
    for (const s of opts.senders) this.slots.set(s.channel, new Semaphore(opts.lanes ?? 16));
    this.owners = new OutboxOwners(opts.leases, randomUUID(), opts.logger);
    this.attempt = new SendAttempt({
      model: opts.model,
      claims: opts.claims,
      log: opts.log,
      reports: opts.reports,
      contacts: opts.contacts,
      logger: opts.logger,
      clock: this.clock,
      limiter: this.limiter,
      owners: this.owners,
      maxAttempts: opts.maxAttempts ?? 8,
      baseBackoffMs: opts.baseBackoffMs ?? 2000,
      sendTimeoutMs: opts.sendTimeoutMs ?? 15_000,
      maxAgeMs: opts.maxAgeMs ?? 24 * 3_600_000,
      onChannelDown: (channel, err) => this.channelDown(channel, err),
      isChannelDown: (channel) => this.down.has(channel),
      onRemoved: (item) => {
        perChannel(this.finishedIds, item.channel).set(item._id, performance.now());
        this.settle(item.channel, item._id);
      },
      readUnfinished: (channel, read) => this.readUnfinished(channel, read),
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

  /** Stores replies (split into platform-sized parts). Re-queuing a key already queued or finished is a no-op. */
  async enqueue(items: OutboundItem[]): Promise<void> {
    const now = this.clock();
    for (const item of items) {
      const sender = this.senders.get(item.channel);
      // Direction controls never go out (they can make text read differently; see bidi.ts).
      const reply = neutraliseReply(item.reply);
      const parts = sender ? sender.split(reply) : [reply];
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
              this.attempt.finish({ _id: key, ...base, ...report, attempts: 0, nextAttemptAt: now }, 0, 'failed', [], { code: 'no-channel', message: `channel ${item.channel} is not enabled` }),
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
      const direct = chats.filter((c) => !c.bulk);
      const bulkChats = chats.filter((c) => c.bulk);
      // A conversation's chat: its lane reads its own chat (a small read), none waits for another.
      for (const c of direct) this.track(this.startLane(c.channel, c.chatId, undefined, false));
      if (bulkChats.length === 0) return;
      if (bulkChats.length <= DIRECT_KICKS && !bulkChats.some((c) => this.dispatching.has(c.channel))) {
        for (const c of bulkChats) this.track(this.startLane(c.channel, c.chatId, undefined, false));
        return;
      }
      // A burst (reminders to thousands): one read of everything due, handed to the lanes; the
      // kicked chats whose lane is running look again when it is done.
      for (const channel of new Set(bulkChats.map((c) => c.channel))) {
        const nudge = new Set(bulkChats.filter((c) => c.channel === channel).map((c) => c.chatId));
        this.track(this.dispatchCoalesced(channel, nudge));
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
    return this.startLane(channel, chatId, undefined, true);
  }

  /**
   * Runs a chat's lane. A lane already running is asked to look again; a lane sleeping on its
   * pacing timer is left alone (new messages queue behind its head anyway) unless `force`.
   */
  private startLane(channel: Channel, chatId: string, preloaded: OutboxDoc[] | undefined, force: boolean): Promise<void> {
    const k = `${channel}:${chatId}`;
    let lane = this.lanes.get(k);
    if (lane?.run) {
      lane.again = true;
      return lane.run;
    }
    if (lane?.timer && !force) return Promise.resolve();
    if (!lane) {
      lane = { run: null, again: false, timer: undefined, woken: undefined, wake: undefined };
      this.lanes.set(k, lane);
    }
    const l = lane;
    const wake = l.wake;
    if (l.timer) clearTimeout(l.timer);
    l.timer = undefined;
    l.wake = undefined;
    l.woken = undefined;
    l.run = (async () => {
      try {
        let batch = preloaded;
        do {
          l.again = false;
          const wakeIn = await this.drainChat(channel, chatId, batch);
          batch = undefined;
          if (wakeIn !== undefined && !this.stopped) {
            if (wakeIn <= 1) {
              l.again = true; // look again at once (a claim taken over)
              continue;
            }
            this.sleep(l, channel, chatId, wakeIn);
            l.again = false;
          }
        } while (l.again && !this.stopped);
      } finally {
        l.run = null;
        if (!l.timer) this.lanes.delete(k);
        wake?.();
      }
    })();
    return l.run;
  }

  /** The lane looks again by itself in `ms` (its chat's or channel's pacing). */
  private sleep(lane: Lane, channel: Channel, chatId: string, ms: number): void {
    lane.woken = new Promise<void>((resolve) => (lane.wake = resolve));
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      this.track(this.startLane(channel, chatId, undefined, true));
    }, ms);
  }

  /**
   * Sends a chat's messages in order (those given, or read from the queue). Returns how long to
   * wait before looking again when its head must wait for pacing, else undefined.
   */
  private async drainChat(channel: Channel, chatId: string, preloaded?: OutboxDoc[]): Promise<number | undefined> {
    const sender = this.senders.get(channel);
    if (!sender) return undefined;
    let items = preloaded;
    for (;;) {
      if (this.stopped) return undefined;
      let read = 0;
      items ??= await this.readUnfinished(channel, async () => {
        const docs = await this.opts.model.find({ channel, chatId }).sort({ createdAt: 1 }).limit(CHAT_BATCH).lean<OutboxDoc[]>();
        read = docs.length;
        return docs;
      });
      if (items.length === 0) {
        if (read === 0) return undefined;
        // Only messages finished here and still being deleted: once they are gone, look again.
        await this.deleteFinished(channel);
        items = undefined;
        continue;
      }
      const finished: string[] = [];
      let held: AttemptResult | undefined;
      for (const item of items) {
        const r = await this.tryOne(sender, item);
        if (r.kind === 'finished') finished.push(item._id);
        else {
          held = r;
          break;
        }
      }
      if (preloaded) {
        // Handed over by a due pass: deleted with the pass's others in one statement (each delete
        // walks the whole queue on FerretDB, and contends with every write).
        const done = perChannel(this.finishedIds, channel);
        for (const id of finished) done.set(id, Infinity);
      } else if (finished.length) {
        await retryTransient(() => this.opts.model.deleteMany({ _id: { $in: finished } }));
      }
      if (held) return held.kind === 'held' ? held.wakeInMs : undefined;
      if (preloaded || read < CHAT_BATCH) return undefined;
      items = undefined;
    }
  }

  /** One message: checks it may go now, waits for the channel's rate, then sends it under the channel's cap. */
  private async tryOne(sender: ChannelSender, item: OutboxDoc): Promise<AttemptResult> {
    const wait = this.attempt.readiness(sender, item);
    if (wait) {
      // Held by its retry time or a channel outage: no longer backlog. Held by pacing: still
      // backlog (bulk producers must not outrun the rate).
      if (wait.kind === 'held' && wait.wakeInMs === undefined) this.settle(item.channel, item._id);
      return wait;
    }
    try {
      if (await this.attempt.expireIfStale(item)) return { kind: 'finished' };
      return await this.slots.get(item.channel)!.run(() => this.attempt.run(sender, item, () => this.stopped));
    } finally {
      this.settle(item.channel, item._id);
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
   * delete walks the whole queue on FerretDB), in the background: the next read need not wait,
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
   * Reads what is due on `channel` and hands each chat to its lane, without waiting for them.
   * Returns the chats handed over and the lanes' runs (only `flushDue` waits for those).
   */
  /**
   * One background dispatch per channel at a time; requests meanwhile are merged into one more
   * (on FerretDB every read of the queue walks all of it: a burst of kicks must not become a burst
   * of reads).
   */
  private dispatchCoalesced(channel: Channel, nudge: ReadonlySet<string>): Promise<void> {
    const running = this.dispatching.get(channel);
    if (running) {
      for (const c of nudge) running.nudge.add(c);
      running.again = true;
      return running.done;
    }
    const entry = { again: false, nudge: new Set(nudge), done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          const n = entry.nudge;
          entry.nudge = new Set();
          const { runs } = await this.dispatchDue(channel, n);
          if (runs.length) {
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([Promise.allSettled(runs), new Promise((r) => (timer = setTimeout(r, DISPATCH_ROUND_MS)))]);
            clearTimeout(timer);
          }
          void this.deleteFinished(channel);
        } while (entry.again && !this.stopped);
      } finally {
        this.dispatching.delete(channel);
      }
    })();
    this.dispatching.set(channel, entry);
    return entry.done;
  }

  /**
   * `nudge`: chats whose lane, when running, should look again once done ('all' for callers that
   * wait for everything due; the others are left to their running lane).
   */
  private async dispatchDue(channel: Channel, nudge: ReadonlySet<string> | 'all'): Promise<{ chats: number; read: number; runs: Array<Promise<void>> }> {
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
      return { chats: 0, read, runs: [] };
    }
    const chats = new Map<string, OutboxDoc[]>();
    for (const d of due) {
      const list = chats.get(d.chatId) ?? [];
      list.push(d);
      chats.set(d.chatId, list);
    }
    const runs: Array<Promise<void>> = [];
    for (const [chatId, items] of chats) {
      const lane = this.lanes.get(`${channel}:${chatId}`);
      if (lane?.run && nudge !== 'all' && !nudge.has(chatId)) continue; // busy: it carries on by itself
      runs.push(this.startLane(channel, chatId, items, false));
    }
    return { chats: chats.size, read, runs };
  }

  /**
   * Sends whatever is due in every chat (retries, recovery after a restart) and waits until each
   * chat is done or held: for start-up, maintenance and tests. The background tick does not wait.
   * Returns chats visited.
   */
  async flushDue(channels: Channel[] = [...this.senders.keys()]): Promise<number> {
    const counts = await Promise.all(
      channels.map(async (channel) => {
        let total = 0;
        for (let round = 0; round < 1000 && !this.stopped; round++) {
          const { chats, read, runs } = await this.dispatchDue(channel, 'all');
          total += chats;
          await Promise.all(runs);
          if (read < DUE_BATCH) break;
        }
        // Quiet now: let the caller see a queue without what was finished.
        while (this.hasUndeleted(channel) && !this.stopped) await this.deleteFinished(channel);
        return total;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Looks for due messages every `intervalMs` (real time) and hands them to their lanes. */
  start(intervalMs = 1000): void {
    this.stopped = false;
    const tick = () => {
      Promise.all([...this.senders.keys()].map((c) => this.dispatchCoalesced(c, new Set())))
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

  /** Stops sending and waits for sends in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const wake of this.roomWaiters) wake();
    for (const [k, lane] of this.lanes) {
      if (lane.timer) clearTimeout(lane.timer);
      lane.timer = undefined;
      lane.wake?.();
      lane.wake = undefined;
      lane.woken = undefined;
      if (!lane.run) this.lanes.delete(k);
    }
    await this.idle();
    await this.owners.stop();
  }

  /** Waits until no chat is being sent to or waiting for its pacing (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const pending: Array<Promise<unknown>> = [...this.background, ...this.deleting.values(), ...[...this.dispatching.values()].map((d) => d.done)];
      for (const lane of this.lanes.values()) {
        if (lane.run) pending.push(lane.run);
        else if (lane.timer && lane.woken) pending.push(lane.woken);
      }
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
