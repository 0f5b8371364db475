import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/core/messages.js';
import { PushedPromptsInMemory, type PushedPromptSource } from '../../src/core/pushed-prompts-in-memory.js';
import { promptExpiry, type ExpectedReply, type PushedPrompt } from '../../src/core/pushed-prompts.js';

/** Pushed prompts in a map standing in for the database, counting reads and writes. */
class MapPrompts implements PushedPromptSource {
  reads = 0;
  writes = 0;
  failNextWrite = false;
  readonly byPerson = new Map<string, PushedPrompt>();
  async record(channel: Channel, userKey: string, id: string, expect: ExpectedReply, now: Date): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('database down');
    }
    this.writes += 1;
    this.byPerson.set(`${channel}:${userKey}`, { id, flow: expect.flow, step: expect.step, data: expect.data, at: now, expiresAt: promptExpiry(expect, now) });
  }
  async latest(channel: Channel, userKey: string): Promise<PushedPrompt | null> {
    this.reads += 1;
    return this.byPerson.get(`${channel}:${userKey}`) ?? null;
  }
  async latestOfEveryone(now: Date): Promise<Map<string, PushedPrompt>> {
    this.reads += 1;
    return new Map([...this.byPerson].filter(([, p]) => p.expiresAt.getTime() > now.getTime()));
  }
  async prune(now: Date): Promise<number> {
    const before = this.byPerson.size;
    for (const [k, p] of this.byPerson) if (p.expiresAt.getTime() < now.getTime()) this.byPerson.delete(k);
    return before - this.byPerson.size;
  }
}

const rating: ExpectedReply = { flow: 'complaint-rating', step: 'rate', data: { ticket: 'GJM-2026-00042' } };
const reminder: ExpectedReply = { flow: 'forum-reminder', step: 'confirm', data: { forum: 'f1' }, ttlHours: 2 };
const at = (iso: string) => new Date(`2026-11-30T${iso}Z`);

describe('Pushed prompts when this is the only instance', () => {
  it('reads the database once, at start, and answers every message from memory after that', async () => {
    const db = new MapPrompts();
    await db.record('telegram', '42', 'p0', rating, at('02:00:00'));
    const prompts = new PushedPromptsInMemory(db, () => at('03:00:00'));
    await prompts.load();
    expect((await prompts.latest('telegram', '42'))?.id).toBe('p0');
    expect(await prompts.latest('whatsapp', '628111')).toBeNull();
    expect(await prompts.latest('whatsapp', '628111')).toBeNull();
    expect(db.reads).toBe(1);
  });

  it('writes a new prompt to the database and then answers with it', async () => {
    const db = new MapPrompts();
    const prompts = new PushedPromptsInMemory(db, () => at('03:00:00'));
    await prompts.record('telegram', '42', 'p1', rating, at('03:00:00'));
    expect(db.byPerson.get('telegram:42')?.id).toBe('p1');
    expect((await prompts.latest('telegram', '42'))?.flow).toBe('complaint-rating');
    await prompts.record('telegram', '42', 'p2', reminder, at('03:00:01'));
    expect((await prompts.latest('telegram', '42'))?.id).toBe('p2');
  });

  it('does not remember a prompt the database refused, so memory is never ahead of it', async () => {
    const db = new MapPrompts();
    const prompts = new PushedPromptsInMemory(db, () => at('03:00:00'));
    db.failNextWrite = true;
    await expect(prompts.record('telegram', '42', 'p1', rating, at('03:00:00'))).rejects.toThrow('database down');
    expect(await prompts.latest('telegram', '42')).toBeNull();
  });

  it('stops answering with a prompt once it expires, and the daily prune drops it from both', async () => {
    const db = new MapPrompts();
    let now = at('03:00:00');
    const prompts = new PushedPromptsInMemory(db, () => now);
    await prompts.record('whatsapp', '628111', 'r1', reminder, now);
    now = at('04:59:59');
    expect((await prompts.latest('whatsapp', '628111'))?.id).toBe('r1');
    now = at('05:00:00');
    expect(await prompts.latest('whatsapp', '628111')).toBeNull();
    expect(await prompts.prune(at('05:00:01'))).toBe(1);
    expect(db.byPerson.size).toBe(0);
  });

  it('tries the start-up read again after it failed', async () => {
    const db = new MapPrompts();
    const failing: PushedPromptSource = Object.assign(Object.create(db) as MapPrompts, {
      latestOfEveryone: () => Promise.reject(new Error('database down')),
    });
    const prompts = new PushedPromptsInMemory(failing, () => at('03:00:00'));
    await expect(prompts.load()).rejects.toThrow('database down');
    failing.latestOfEveryone = (now: Date) => db.latestOfEveryone(now);
    expect(await prompts.latest('telegram', '42')).toBeNull();
  });
});
