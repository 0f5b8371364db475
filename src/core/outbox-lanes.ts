/**
 * Per-chat lanes: each chat's messages go out in order, one lane per chat in this process.
 *
 * Fairness (why one busy chat never holds up the others): when a chat's pacing (or the channel's)
 * says "not yet", its lane sets its own timer and lets go, so it never waits inside anything
 * shared. Sends run under a per-channel cap (`lanes` option) with a per-send timeout, so a hung
 * platform call holds one slot for at most the timeout. A lane held by a retry time, or by a
 * message another process is sending, sets a (longer) timer of its own too: no pass over the
 * queue has to run every second for it.
 */
import type { ChannelSender } from './sender.js';
import type { Channel } from './messages.js';
import type { OutboxBacklog } from './outbox-backlog.js';
import type { AttemptResult, SendAttempt } from './outbox-attempt.js';
import { CHAT_BATCH, type OutboxQueue } from './outbox-queue.js';
import { Semaphore } from './semaphore.js';
import type { OutboxDoc } from './outbox-store.js';

/** One chat's lane: at most one run at a time; a timer when it waits to look again. */
interface Lane {
  run: Promise<void> | null;
  again: boolean;
  timer: NodeJS.Timeout | undefined;
  /** The timer is the chat's pacing (short; `idle()` waits for it), not a later re-check. */
  pacing: boolean;
  /** Resolves when the timer's run is over (or the outbox stops): what `idle()` waits for. */
  woken: Promise<void> | undefined;
  wake: (() => void) | undefined;
}

/** Why a chat's lane stopped before its queue was empty. */
type Held = { wakeInMs?: number; recheckInMs?: number };

export class ChatLanes {
  private readonly lanes = new Map<string, Lane>();
  /** Per channel: a cap on sends in progress (a hung call holds one slot until its timeout). */
  private readonly slots = new Map<Channel, Semaphore>();

  constructor(
    private readonly d: {
      senders: ReadonlyMap<Channel, ChannelSender>;
      queue: OutboxQueue;
      attempt: SendAttempt;
      backlog: OutboxBacklog;
      /** Sends in progress at the same time, per channel. */
      perChannel: number;
      stopped: () => boolean;
      track: (p: Promise<unknown>) => void;
    },
  ) {
    for (const channel of d.senders.keys()) this.slots.set(channel, new Semaphore(d.perChannel));
  }

  /** True while the chat's lane is sending (not merely waiting on a timer). */
  isRunning(channel: Channel, chatId: string): boolean {
    return Boolean(this.lanes.get(`${channel}:${chatId}`)?.run);
  }

  has(chatKey: string): boolean {
    return this.lanes.has(chatKey);
  }

  /**
   * Runs a chat's lane on `preloaded` messages (a due pass's) or its queue. A lane already running
   * is asked to look again; a lane sleeping on its pacing timer is left alone (new messages queue
   * behind its head anyway) unless `force`; one waiting to re-check (a retry time, another
   * process's send) looks now, as whoever starts it has reason to (a due pass, a new message).
   */
  start(channel: Channel, chatId: string, preloaded: OutboxDoc[] | undefined, force: boolean): Promise<void> {
    const k = `${channel}:${chatId}`;
    let lane = this.lanes.get(k);
    if (lane?.run) {
      lane.again = true;
      return lane.run;
    }
    if (lane?.timer && lane.pacing && !force) return Promise.resolve();
    if (!lane) {
      lane = { run: null, again: false, timer: undefined, pacing: false, woken: undefined, wake: undefined };
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
          const held = await this.drainChat(channel, chatId, batch);
          batch = undefined;
          if (held?.wakeInMs !== undefined && !this.d.stopped()) {
            if (held.wakeInMs <= 1) {
              l.again = true; // look again at once (a claim taken over)
              continue;
            }
            this.sleep(l, channel, chatId, held.wakeInMs, true);
            l.again = false;
          } else if (held?.recheckInMs !== undefined && !this.d.stopped()) {
            this.sleep(l, channel, chatId, held.recheckInMs, false);
            l.again = false;
          }
        } while (l.again && !this.d.stopped());
      } finally {
        l.run = null;
        if (!l.timer) this.lanes.delete(k);
        wake?.();
      }
    })();
    return l.run;
  }

  /** The lane looks again by itself in `ms` (its chat's pacing, or a later re-check). */
  private sleep(lane: Lane, channel: Channel, chatId: string, ms: number, pacing: boolean): void {
    lane.pacing = pacing;
    lane.woken = new Promise<void>((resolve) => (lane.wake = resolve));
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      this.d.track(this.start(channel, chatId, undefined, true));
    }, ms);
  }

  /** Sends a chat's messages in order (those given, or its queue); says why it stopped early. */
  private async drainChat(channel: Channel, chatId: string, preloaded?: OutboxDoc[]): Promise<Held | undefined> {
    const { queue } = this.d;
    const sender = this.d.senders.get(channel);
    if (!sender) return undefined;
    for (let first = true; ; first = false) {
      if (this.d.stopped()) return undefined;
      const { items, read } = first && preloaded ? { items: preloaded, read: preloaded.length } : await queue.readChat(channel, chatId);
      if (items.length === 0) {
        if (read === 0) return undefined;
        // Only messages finished here and still being deleted: once they are gone, look again.
        await queue.deleteFinished(channel);
        continue;
      }
      for (const item of items) {
        const r = await this.tryOne(sender, item);
        if (r.kind === 'finished') {
          queue.finished(channel, chatId, item._id);
          continue;
        }
        // Held: what the queue says of it (attempts, retry time) is read again next time.
        queue.forget(channel, chatId);
        return r;
      }
      if (preloaded || read < CHAT_BATCH) return undefined;
    }
  }

  /** One message: checks it may go now, then sends it under the channel's cap. */
  private async tryOne(sender: ChannelSender, item: OutboxDoc): Promise<AttemptResult> {
    const { attempt, backlog } = this.d;
    const wait = attempt.readiness(sender, item);
    if (wait) {
      // Held by its retry time or a channel outage: no longer backlog. Held by pacing: still
      // backlog (bulk producers must not outrun the rate).
      if (wait.kind === 'held' && wait.wakeInMs === undefined) backlog.settle(item.channel, item._id);
      return wait;
    }
    try {
      if (await attempt.expireIfStale(item)) return { kind: 'finished' };
      return await this.slots.get(item.channel)!.run(() => attempt.run(sender, item, this.d.stopped));
    } finally {
      backlog.settle(item.channel, item._id);
    }
  }

  /** What `idle()` waits for: lanes sending, and lanes sleeping on their pacing. */
  pending(): Array<Promise<void>> {
    const out: Array<Promise<void>> = [];
    for (const lane of this.lanes.values()) {
      if (lane.run) out.push(lane.run);
      else if (lane.timer && lane.pacing && lane.woken) out.push(lane.woken);
    }
    return out;
  }

  /** Cancels every lane's timer (stop). */
  clearTimers(): void {
    for (const [k, lane] of this.lanes) {
      if (lane.timer) clearTimeout(lane.timer);
      lane.timer = undefined;
      lane.wake?.();
      lane.wake = undefined;
      lane.woken = undefined;
      if (!lane.run) this.lanes.delete(k);
    }
  }
}
