/**
 * The due pass: reads what is due on a channel and hands each chat to its lane without waiting
 * for it. Run for bursts of bulk kicks (reminders to thousands share one read per round), by
 * `flushDue` (start-up, maintenance, tests), and as a slow safety sweep.
 *
 * Why the sweep is slow (issue #11: an idle service sends at most 20 commands a minute): work is
 * woken by events, not found by polling. A queued reply kicks its chat's lane; a lane held by a
 * retry time or by another process's send sets its own timer. What is left for the sweep is what
 * no event in this process announces: messages queued by a process that died, a lane cut short by
 * a database outage. Those wait up to the sweep's interval longer than with a fast tick.
 */
import type { Logger } from 'pino';
import { isDatabaseDown } from './errors.js';
import type { Channel } from './messages.js';
import type { ChatLanes } from './outbox-lanes.js';
import { DUE_BATCH, type OutboxQueue } from './outbox-queue.js';
import type { OutboxDoc } from './outbox-store.js';

/** The safety sweep's interval (see the module comment). */
export const SWEEP_MS = 30_000;
/**
 * A background dispatch (bulk kicks, the sweep) waits this long at most for the lanes it started
 * before it reads again: a bulk run (reminders to thousands) then costs one read of the queue per
 * round rather than one per chat (measured: 3,000 reminders in 40 s with 1 s rounds, 32 s with
 * 3 s), and a slow or hung send delays other bulk chats by this much at most.
 */
const DISPATCH_ROUND_MS = 3000;

export class DuePass {
  /** Per channel: the background dispatch running, and whether to run it once more. */
  private readonly dispatching = new Map<Channel, { again: boolean; nudge: Set<string>; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly d: {
      channels: Channel[];
      queue: OutboxQueue;
      lanes: ChatLanes;
      clock: () => Date;
      logger: Logger;
      stopped: () => boolean;
      /** Housekeeping after each sweep (rate limiter, known chats). */
      afterSweep: () => void;
    },
  ) {}

  isDispatching(channel: Channel): boolean {
    return this.dispatching.has(channel);
  }

  /**
   * One background dispatch per channel at a time; requests meanwhile are merged into one more
   * (on FerretDB every read of the queue walks all of it: a burst of kicks must not become a burst
   * of reads). `nudge`: chats whose lane, when running, should look again once done.
   */
  dispatch(channel: Channel, nudge: ReadonlySet<string>): Promise<void> {
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
          const { runs } = await this.handOver(channel, n);
          if (runs.length) {
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([Promise.allSettled(runs), new Promise((r) => (timer = setTimeout(r, DISPATCH_ROUND_MS)))]);
            clearTimeout(timer);
          }
          void this.d.queue.deleteFinished(channel);
        } while (entry.again && !this.d.stopped());
      } finally {
        this.dispatching.delete(channel);
      }
    })();
    this.dispatching.set(channel, entry);
    return entry.done;
  }

  /**
   * Reads what is due on `channel` and hands each chat to its lane. `nudge`: chats whose running
   * lane should look again ('all' for callers that wait for everything due; the others are left to
   * their running lane). Returns the chats handed over and the lanes' runs.
   */
  private async handOver(channel: Channel, nudge: ReadonlySet<string> | 'all'): Promise<{ chats: number; read: number; runs: Array<Promise<void>> }> {
    const { items: due, read } = await this.d.queue.readDue(channel, this.d.clock());
    if (due.length === 0 && read > 0) {
      // Only messages finished here and still being deleted: once they are gone, look again.
      await this.d.queue.deleteFinished(channel);
      return { chats: 0, read, runs: [] };
    }
    const chats = new Map<string, OutboxDoc[]>();
    for (const doc of due) {
      const list = chats.get(doc.chatId) ?? [];
      list.push(doc);
      chats.set(doc.chatId, list);
    }
    const runs: Array<Promise<void>> = [];
    for (const [chatId, items] of chats) {
      if (this.d.lanes.isRunning(channel, chatId) && nudge !== 'all' && !nudge.has(chatId)) continue; // busy: it carries on by itself
      runs.push(this.d.lanes.start(channel, chatId, items, false));
    }
    return { chats: chats.size, read, runs };
  }

  /**
   * Sends whatever is due in every chat and waits until each chat is done or held. Returns chats
   * visited.
   */
  async flush(channels: Channel[]): Promise<number> {
    const counts = await Promise.all(
      channels.map(async (channel) => {
        let total = 0;
        for (let round = 0; round < 1000 && !this.d.stopped(); round++) {
          const { chats, read, runs } = await this.handOver(channel, 'all');
          total += chats;
          await Promise.all(runs);
          if (read < DUE_BATCH) break;
        }
        // Quiet now: let the caller see a queue without what was finished.
        while (this.d.queue.hasUndeleted(channel) && !this.d.stopped()) await this.d.queue.deleteFinished(channel);
        return total;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Sweeps every `intervalMs` (real time). */
  start(intervalMs: number): void {
    const tick = () => {
      Promise.all(this.d.channels.map((c) => this.dispatch(c, new Set())))
        .catch((err: unknown) => {
          if (!isDatabaseDown(err)) this.d.logger.error({ err }, 'outbox sweep failed');
        })
        .finally(() => {
          this.d.afterSweep();
          if (!this.d.stopped()) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** Dispatches running (`idle()`). */
  pending(): Array<Promise<void>> {
    return [...this.dispatching.values()].map((d) => d.done);
  }
}
