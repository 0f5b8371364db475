/**
 * Token buckets: one for the whole channel and one per chat. `take()` resolves when a message may
 * be sent. Pauses (after a 429) push a bucket's next free time forward.
 *
 * Why in-process: each instance paces its own sends; with N instances, set the channel rate to 1/N
 * of the platform limit. Platform 429s are still honoured by the outbox as a backstop.
 */
export interface BucketSpec {
  /** Tokens added per second. */
  rate: number;
  /** Maximum tokens (burst). */
  burst: number;
}

interface Bucket {
  tokens: number;
  last: number;
  pausedUntil: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Milliseconds to wait before a token is available in `key` (and takes it when 0). */
  private reserve(key: string, spec: BucketSpec): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: spec.burst, last: t, pausedUntil: 0 };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(spec.burst, b.tokens + ((t - b.last) / 1000) * spec.rate);
    b.last = t;
    if (b.pausedUntil > t) return b.pausedUntil - t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return ((1 - b.tokens) / spec.rate) * 1000;
  }

  /** Waits until both the channel and the chat bucket allow one message, then takes it (or until `stop()`). */
  async take(channelKey: string, channelSpec: BucketSpec, chatKey: string, chatSpec: BucketSpec, stop: () => boolean = () => false): Promise<void> {
    for (;;) {
      if (stop()) return;
      const waitChat = this.peek(chatKey, chatSpec);
      const waitChannel = this.peek(channelKey, channelSpec);
      const wait = Math.max(waitChat, waitChannel);
      if (wait <= 0) {
        this.reserve(chatKey, chatSpec);
        this.reserve(channelKey, channelSpec);
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(Math.ceil(wait), 1000)));
    }
  }

  /** Milliseconds before `key` allows one message (0 = now). Takes nothing. */
  wait(key: string, spec: BucketSpec): number {
    return Math.max(0, this.peek(key, spec));
  }

  private peek(key: string, spec: BucketSpec): number {
    const t = this.now();
    const b = this.buckets.get(key);
    if (!b) return 0;
    if (b.pausedUntil > t) return b.pausedUntil - t;
    const tokens = Math.min(spec.burst, b.tokens + ((t - b.last) / 1000) * spec.rate);
    return tokens >= 1 ? 0 : ((1 - tokens) / spec.rate) * 1000;
  }

  /** Nothing goes out on `key` for `ms` milliseconds. */
  pause(key: string, ms: number): void {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: 0, last: t, pausedUntil: 0 };
    b.pausedUntil = Math.max(b.pausedUntil, t + ms);
    this.buckets.set(key, b);
  }

  /** Drops idle per-chat buckets so memory stays flat with many chats. */
  prune(maxIdleMs = 10 * 60_000): void {
    const t = this.now();
    for (const [k, b] of this.buckets) if (t - b.last > maxIdleMs && b.pausedUntil < t) this.buckets.delete(k);
  }
}
