/**
 * The engine's context-first rules, on a tiny flow: a typed reply goes to the step of the last
 * pushed prompt only when nothing is in progress, nothing was said since the push, the prompt has
 * not expired or been answered, and the step accepts the reply; a step may claim "batal".
 */
import { describe, expect, it } from 'vitest';
import { Engine, type ConversationState } from '../../src/core/engine.js';
import type { ContactView, Flow } from '../../src/core/flow.js';
import type { InboundMessage } from '../../src/core/messages.js';
import type { PushedPrompt, PushedPromptReader } from '../../src/core/pushed-prompts.js';

const T0 = new Date('2026-11-30T02:00:00Z');
const contact: ContactView = { channel: 'telegram', userKey: '1', chatId: '1', isStaff: false };

const rating: Flow = {
  name: 'rating',
  title: { id: 'Nilai', en: 'Rating' },
  start: 'rate',
  steps: {
    rate: {
      prompt: () => [{ kind: 'text', text: 'nilai?' }],
      accepts: (_ctx, input) => input.kind === 'text' && /^[1-5]$/.test(input.text.trim()),
      handle: (ctx, input) => ({ kind: 'done', say: [{ kind: 'text', text: `rated ${input.kind === 'text' ? input.text : ''} for ${String(ctx.data['ticket'])}` }] }),
    },
  },
};

const seats: Flow = {
  name: 'seats',
  title: { id: 'Kursi', en: 'Seats' },
  start: 'list',
  menu: { order: 1, title: { id: 'Kursi', en: 'Seats' } },
  steps: {
    list: {
      prompt: () => [{ kind: 'text', text: 'your seats' }],
      claims: ['cancel'],
      handle: () => ({ kind: 'done', say: [{ kind: 'text', text: 'sure to cancel the seat?' }] }),
    },
  },
};

function state(over: Partial<ConversationState> = {}): ConversationState {
  return { flow: null, step: null, data: {}, history: [], offeredChoices: [], resumePrompt: null, memory: {}, lastActivityAt: T0, isNew: false, ...over };
}

const text = (t: string): InboundMessage => ({ channel: 'telegram', externalId: t, userKey: '1', chatId: '1', occurredAt: T0, content: { kind: 'text', text: t } });

function engineWith(prompt: Partial<PushedPrompt> | null) {
  const reader: PushedPromptReader = {
    latest: async () => (prompt ? { id: 'p1', flow: 'rating', step: 'rate', data: { ticket: 'GJM-2026-00042' }, at: T0, expiresAt: new Date(T0.getTime() + 3_600_000), ...prompt } : null),
  };
  return new Engine({ flows: [rating, seats], services: {}, pushedPrompts: reader });
}

const replies = (r: { replies: Array<{ kind: string; text?: string }> }) => r.replies.map((x) => x.text ?? '').join('\n');
const person = { lang: 'id' as const, langExplicit: false };
const later = new Date(T0.getTime() + 60_000);

describe('Context first in the engine', () => {
  it('reads "5" against the pushed rating request, once', async () => {
    const e = engineWith({});
    const r = await e.handle(text('5'), contact, person, state(), later, 'k1');
    expect(replies(r)).toBe('rated 5 for GJM-2026-00042');
    expect(r.trace.route).toBe('pushed:rating');
    const again = await e.handle(text('5'), contact, person, r.state, later, 'k2');
    expect(replies(again)).not.toContain('rated');
  });

  it('routes as usual when the step does not accept the reply', async () => {
    const r = await engineWith({}).handle(text('halo semuanya apa kabar'), contact, person, state(), later, 'k');
    expect(replies(r)).not.toContain('rated');
  });

  it('ignores a prompt the person has written after, one that expired, and any while a flow is active', async () => {
    const spoke = await engineWith({}).handle(text('5'), contact, person, state({ lastActivityAt: new Date(T0.getTime() + 1000) }), later, 'k');
    expect(replies(spoke)).not.toContain('rated');
    const expired = await engineWith({ expiresAt: new Date(T0.getTime() + 30_000) }).handle(text('5'), contact, person, state(), later, 'k');
    expect(replies(expired)).not.toContain('rated');
    const busy = await engineWith({}).handle(text('5'), contact, person, state({ flow: 'seats', step: 'list' }), later, 'k');
    expect(replies(busy)).not.toContain('rated');
  });

  it('lets a step claim "batal": the step reads it instead of the engine cancelling', async () => {
    const r = await engineWith(null).handle(text('batal'), contact, person, state({ flow: 'seats', step: 'list' }), later, 'k');
    expect(replies(r)).toBe('sure to cancel the seat?');
    // A step that does not claim it: the engine cancels as always.
    const other = await engineWith(null).handle(text('batal'), contact, person, state({ flow: 'rating', step: 'rate' }), later, 'k');
    expect(r.trace.route).not.toBe(other.trace.route);
    expect(other.trace.route).toBe('global:cancel');
  });
});
