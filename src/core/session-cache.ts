/**
 * Sessions this process wrote last, kept in memory when it is the only instance on the database
 * (sole writer): then nobody else writes them, and a person's next message is handled without
 * reading their session back. Entries are copies (a turn may change the objects it was given),
 * last a few minutes, and are at most `max`; a failed or refused write drops the entry, so the
 * next attempt reads the database.
 */
import type { SessionDoc } from './session-store.js';

export class SessionCache {
  private readonly entries = new Map<string, { doc: SessionDoc; at: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 5000,
  ) {}

  /** A copy of the session as last written here, if that was recent. */
  get(id: string, now: number): SessionDoc | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (now - e.at > this.ttlMs) {
      this.entries.delete(id);
      return undefined;
    }
    return structuredClone(e.doc);
  }

  /** What was just written (copied); the oldest entries go beyond `max`. */
  set(doc: SessionDoc, now: number): void {
    this.entries.delete(doc._id);
    this.entries.set(doc._id, { doc: structuredClone(doc), at: now });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
  }

  drop(id: string): void {
    this.entries.delete(id);
  }
}
