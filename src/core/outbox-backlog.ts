/**
 * How much this process has queued per channel and not attempted yet, so a bulk producer (forum
 * reminders) hands messages over at the pace they can go out (`whenRoom`).
 *
 * Why: on FerretDB every pass over the queue reads all of it, so a queue of 10,000 makes each
 * message cost 10,000 reads, and sending falls behind its rate limit.
 */
import type { Channel } from './messages.js';

/** Entries older than this are dropped: another process may have sent them, or they wait on a retry. */
const STALE_MS = 30_000;

export class OutboxBacklog {
  /** Per channel: messages queued here and not attempted yet (key → when, real ms). */
  private readonly unsettled = new Map<Channel, Map<string, number>>();
  private readonly waiters = new Set<() => void>();

  /** `key` was queued here. */
  add(channel: Channel, key: string): void {
    let m = this.unsettled.get(channel);
    if (!m) this.unsettled.set(channel, (m = new Map()));
    m.set(key, Date.now());
  }

  /** An attempt at `key` is over (whatever its result): it no longer counts. */
  settle(channel: Channel, key: string): void {
    if (!this.unsettled.get(channel)?.delete(key)) return;
    for (const wake of this.waiters) wake();
  }

  /** Messages of `channel` queued here and not attempted yet (stale entries dropped). */
  count(channel: Channel): number {
    const m = this.unsettled.get(channel);
    if (!m) return 0;
    const stale = Date.now() - STALE_MS;
    for (const [key, at] of m) {
      if (at >= stale) break; // insertion order is time order
      m.delete(key);
    }
    return m.size;
  }

  /** Resolves when fewer than `max` messages of `channel` wait here, or `stopped()`. */
  async whenBelow(channel: Channel, max: number, stopped: () => boolean): Promise<void> {
    while (this.count(channel) >= max && !stopped()) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        // Also re-check now and then: entries can go stale without a settle.
        const timer = setTimeout(wake, 1000);
        this.waiters.add(wake);
      });
    }
  }

  /** Wakes every waiter (stop). */
  wakeAll(): void {
    for (const wake of this.waiters) wake();
  }
}
