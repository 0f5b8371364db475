import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/core/messages.js';
import { PushedPromptsKnownAbsent } from '../../src/core/pushed-prompts-known-absent.js';
import type { ExpectedReply, PushedPrompt, PushedPromptStore } from '../../src/core/pushed-prompts.js';

/** Pushed prompts in a map, counting reads. */
class MapPrompts implements PushedPromptStore {
  reads = 0;
  readonly byPerson = new Map<string, PushedPrompt>();
  async record(channel: Channel, userKey: string, id: string, expect: ExpectedReply, now: Date): Promise<void> {
    this.byPerson.set(`${channel}:${userKey}`, { id, flow: expect.flow, step: expect.step, data: expect.data, at: now, expiresAt: new Date(now.getTime() + 3_600_000) });
  }
  async latest(channel: Channel, userKey: string): Promise<PushedPrompt | null> {
    this.reads += 1;
    return this.byPerson.get(`${channel}:${userKey}`) ?? null;
  }
  async prune(): Promise<number> {
    return 0;
  }
}

const rating: ExpectedReply = { flow: 'complaint-rating', step: 'rate', data: { ticket: 'GJM-2026-00042' } };

describe('Pushed prompts when this is the only instance', () => {
  it('reads once for someone with no prompt, then answers from memory', async () => {
    const inner = new MapPrompts();
    const prompts = new PushedPromptsKnownAbsent(inner);
    expect(await prompts.latest('whatsapp', '628111')).toBeNull();
    expect(await prompts.latest('whatsapp', '628111')).toBeNull();
    expect(await prompts.latest('whatsapp', '628111')).toBeNull();
    expect(inner.reads).toBe(1);
  });

  it('finds a prompt pushed after the person was known to have none', async () => {
    const inner = new MapPrompts();
    const prompts = new PushedPromptsKnownAbsent(inner);
    expect(await prompts.latest('telegram', '42')).toBeNull();
    await prompts.record('telegram', '42', 'p1', rating, new Date('2026-11-30T03:00:00Z'));
    expect((await prompts.latest('telegram', '42'))?.flow).toBe('complaint-rating');
  });

  it('keeps reading for people who have a prompt, and starts its memory again when full', async () => {
    const inner = new MapPrompts();
    const prompts = new PushedPromptsKnownAbsent(inner, 2);
    await prompts.record('telegram', '1', 'p1', rating, new Date('2026-11-30T03:00:00Z'));
    await prompts.latest('telegram', '1');
    await prompts.latest('telegram', '1');
    expect(inner.reads).toBe(2);
    for (const k of ['2', '3', '4']) await prompts.latest('telegram', k);
    expect(await prompts.latest('telegram', '2')).toBeNull();
    expect(inner.reads).toBe(6); // '2' was forgotten when the memory started again at the third
  });
});
