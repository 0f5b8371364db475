/**
 * Pushed prompts for the only instance on the database (sole writer): every person's latest
 * prompt is kept in memory, read from the store once at start, so no message costs a read of
 * `pushed_prompts`. Only this process records prompts, and it writes each to the store before it
 * remembers it, so the memory is never ahead of the database nor behind it.
 *
 * Memory: one entry per person pushed to within a prompt's lifetime (72 h unless it says otherwise), dropped
 * when it expires (on read and by the daily prune).
 */
import type { Channel } from './messages.js';
import { promptExpiry, type ExpectedReply, type PushedPrompt, type PushedPromptStore } from './pushed-prompts.js';

/** A store that can also hand over everyone's latest live prompt in one read. */
export interface PushedPromptSource extends PushedPromptStore {
  latestOfEveryone(now: Date): Promise<Map<string, PushedPrompt>>;
}

export class PushedPromptsInMemory implements PushedPromptStore {
  private byPerson: Map<string, PushedPrompt> | undefined;
  private loading: Promise<Map<string, PushedPrompt>> | undefined;

  constructor(
    private readonly inner: PushedPromptSource,
    private readonly clock: () => Date,
  ) {}

  /** Reads every live prompt once; later calls (and `latest`/`record` before it) share that read. */
  load(): Promise<Map<string, PushedPrompt>> {
    if (this.byPerson) return Promise.resolve(this.byPerson);
    this.loading ??= this.inner.latestOfEveryone(this.clock()).then(
      (m) => (this.byPerson = m),
      (err: unknown) => {
        this.loading = undefined; // the next caller tries again
        throw err;
      },
    );
    return this.loading;
  }

  async record(channel: Channel, userKey: string, id: string, expect: ExpectedReply, now: Date): Promise<void> {
    const memory = await this.load();
    await this.inner.record(channel, userKey, id, expect, now);
    const prompt: PushedPrompt = { id, flow: expect.flow, step: expect.step, data: expect.data, at: now, expiresAt: promptExpiry(expect, now) };
    const k = `${channel}:${userKey}`;
    const seen = memory.get(k);
    if (!seen || seen.at.getTime() <= now.getTime()) memory.set(k, prompt);
  }

  async latest(channel: Channel, userKey: string): Promise<PushedPrompt | null> {
    const memory = await this.load();
    const k = `${channel}:${userKey}`;
    const p = memory.get(k);
    if (p && p.expiresAt.getTime() <= this.clock().getTime()) {
      memory.delete(k);
      return null;
    }
    return p ?? null;
  }

  async prune(now: Date): Promise<number> {
    const memory = await this.load();
    for (const [k, p] of memory) if (p.expiresAt.getTime() < now.getTime()) memory.delete(k);
    return this.inner.prune(now);
  }
}
