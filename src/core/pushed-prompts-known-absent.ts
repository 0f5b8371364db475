/**
 * Pushed prompts for the only instance on the database (sole writer): remembers who has none, so
 * most messages — from people the office has pushed nothing to — are handled without reading
 * `pushed_prompts`. Only this process records prompts, and it forgets a person's "none" before it
 * records one for them, so the memory is never behind the database. At most `max` people are
 * remembered; beyond that the memory starts again (reads resume for those people).
 */
import type { Channel } from './messages.js';
import type { ExpectedReply, PushedPrompt, PushedPromptStore } from './pushed-prompts.js';

export class PushedPromptsKnownAbsent implements PushedPromptStore {
  private none = new Set<string>();

  constructor(
    private readonly inner: PushedPromptStore,
    private readonly max = 50_000,
  ) {}

  async record(channel: Channel, userKey: string, id: string, expect: ExpectedReply, now: Date): Promise<void> {
    this.none.delete(`${channel}:${userKey}`);
    await this.inner.record(channel, userKey, id, expect, now);
  }

  async latest(channel: Channel, userKey: string): Promise<PushedPrompt | null> {
    const k = `${channel}:${userKey}`;
    if (this.none.has(k)) return null;
    const found = await this.inner.latest(channel, userKey);
    if (found === null) {
      if (this.none.size >= this.max) this.none = new Set();
      this.none.add(k);
    }
    return found;
  }

  prune(now: Date): Promise<number> {
    return this.inner.prune(now);
  }
}
