/**
 * The conversation engine: given one inbound message and the person's current state, decides the
 * replies and the next state. It does no I/O of its own beyond what flows' services do; the inbox
 * processor loads and saves state around it.
 */
import { t } from './texts.js';
import type { ContactView, Flow, StepContext, StepOutcome } from './flow.js';
import type { TurnUnderstander, UnderstandContext, Understanding } from './understanding.js';
import { globalWordOf, simplify, type GlobalWord } from './global-words.js';
import type { Choice, InboundContent, InboundMessage, Lang, Reply } from './messages.js';
import type { PushedPromptReader } from './pushed-prompts.js';
import type { FlowData, HistoryEntry } from './session-store.js';

/** The part of a session the engine reads and rewrites. */
export interface ConversationState {
  flow: string | null;
  step: string | null;
  data: FlowData;
  history: HistoryEntry[];
  offeredChoices: Choice[];
  resumePrompt: { pending: InboundMessage } | null;
  memory: Record<string, unknown>;
  lastActivityAt: Date;
  /** True until the person has had any reply from us. */
  isNew: boolean;
}

/** Per-person settings the engine may change. */
export interface PersonState {
  lang: Lang;
  langExplicit: boolean;
}

/** Result of handling one message. */
export interface EngineResult {
  state: ConversationState;
  person: PersonState;
  replies: Reply[];
  /** For the log line: where the conversation is now. */
  trace: { flow: string | null; step: string | null; route: string };
}

export class UnknownFlowError extends Error {
  override name = 'UnknownFlowError';
}

/** Engine options. */
export interface EngineOptions<S> {
  flows: Flow<S>[];
  services: S;
  /** Minutes of silence before "continue or start over?" (default 30). */
  idleMinutes?: number;
  tz?: string;
  /** Longest text accepted (default 4,096 characters, the platforms' own limit); longer gets a polite re-ask. */
  maxTextLength?: number;
  /** Minimum confidence for free-text routing to a flow (default 0.5). */
  detectThreshold?: number;
  /** Prompts the service pushed to people (rating requests, staff questions, reminders); see `answerPushed`. */
  pushedPrompts?: PushedPromptReader;
  /**
   * The understanding step: what a free-text turn means. Without it, only flows' own `detect`
   * functions route free text (used by tests of the engine alone).
   */
  understander?: TurnUnderstander;
}

/** Memory key: the id of the last pushed prompt already answered (each is read against once). */
const PUSHED_ANSWERED = 'pushedPromptAnswered';

/** Intents the engine answers itself, without a flow. */
const ENGINE_INTENTS = new Set(['greeting', 'thanks', 'smalltalk.bot', 'help', 'language', 'menu']);
/** A confident intent of another flow typed where a choice was expected switches to that flow. */
const SWITCH_CONFIDENCE = 0.6;

const MAX_CHAIN = 4;

export class Engine<S> {
  private readonly flows = new Map<string, Flow<S>>();
  private readonly idleMs: number;
  private readonly maxText: number;
  private readonly threshold: number;

  constructor(private readonly opts: EngineOptions<S>) {
    for (const f of opts.flows) {
      if (!f.steps[f.start]) throw new UnknownFlowError(`flow ${f.name}: start step "${f.start}" is missing`);
      this.flows.set(f.name, f);
    }
    this.idleMs = (opts.idleMinutes ?? 30) * 60_000;
    this.maxText = opts.maxTextLength ?? 4096;
    this.threshold = opts.detectThreshold ?? 0.5;
  }

  /** Flows offered in the main menu for this person, in menu order. */
  menuFlows(contact: ContactView): Flow<S>[] {
    return [...this.flows.values()]
      .filter((f) => f.menu && (!f.menu.staffOnly || contact.isStaff) && (!f.staffOnly || contact.isStaff))
      .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0));
  }

  flowTitle(name: string, lang: Lang): string {
    return this.flows.get(name)?.title[lang] ?? name;
  }

  async handle(
    msg: InboundMessage,
    contact: ContactView,
    person: PersonState,
    state: ConversationState,
    now: Date,
    idempotencyKey: string,
  ): Promise<EngineResult> {
    const run = new Run(this, this.opts, contact, { ...person }, cloneState(state), now, idempotencyKey);
    const route = await run.dispatch(msg);
    run.state.lastActivityAt = now;
    if (run.replies.length > 0) run.state.isNew = false;
    return {
      state: run.state,
      person: run.person,
      replies: run.replies,
      trace: { flow: run.state.flow, step: run.state.step, route },
    };
  }

  /** @internal */
  getFlow(name: string): Flow<S> {
    const f = this.flows.get(name);
    if (!f) throw new UnknownFlowError(`unknown flow "${name}"`);
    return f;
  }
  /** @internal Flows this person may enter. */
  allFlows(contact?: ContactView): Flow<S>[] {
    return [...this.flows.values()].filter((f) => !f.staffOnly || contact?.isStaff === true);
  }
  /** @internal The flow serving an intent (exact name or `prefix:*`), if this person may enter it. */
  flowForIntent(intent: string, contact: ContactView): Flow<S> | undefined {
    // Telegram group chats have negative ids.
    const inGroup = contact.chatId.startsWith('-');
    return this.allFlows(contact).find(
      (f) => !(inGroup && f.notFromGroupText) && f.intents?.some((i) => i === intent || (i.endsWith(':*') && intent.startsWith(i.slice(0, -1)))),
    );
  }
  /** @internal */
  get limits() {
    return { idleMs: this.idleMs, maxText: this.maxText, threshold: this.threshold };
  }
}

function cloneState(s: ConversationState): ConversationState {
  return structuredClone(s);
}

/** One message's handling: accumulates replies and mutates a private copy of the state. */
class Run<S> {
  replies: Reply[] = [];
  /** The language of this turn's replies: the message's own when it is clear, else the remembered one. */
  private turnLang: Lang;
  /** What the understanding step made of this turn's text, once computed. */
  private understood: Understanding | undefined;

  constructor(
    private readonly engine: Engine<S>,
    private readonly opts: EngineOptions<S>,
    private readonly contact: ContactView,
    public person: PersonState,
    public state: ConversationState,
    private readonly now: Date,
    private readonly key: string,
  ) {
    this.turnLang = person.lang;
  }

  private get lang(): Lang {
    return this.turnLang;
  }

  private ctx(lang: Lang = this.lang): StepContext<S> {
    return {
      lang,
      langExplicit: this.person.langExplicit,
      contact: this.contact,
      now: this.now,
      data: structuredClone(this.state.data),
      memory: this.state.memory,
      services: this.opts.services,
      idempotencyKey: this.key,
      tz: this.opts.tz ?? 'Asia/Jakarta',
      ...(this.understood ? { understanding: this.understood } : {}),
    };
  }

  /** The understanding of a text, computed once per turn. */
  private understand(text: string): Understanding | undefined {
    const u = this.opts.understander;
    if (!u) return undefined;
    if (this.understood?.text !== text) this.understood = u.understand(text, this.understandContext());
    return this.understood;
  }

  private say(...replies: Reply[]): void {
    this.replies.push(...replies);
    // Remember the last choices shown, so a typed "2" or a typed title picks them.
    for (const r of replies) if (r.kind === 'text' && r.choices?.length) this.state.offeredChoices = r.choices;
  }

  async dispatch(msg: InboundMessage): Promise<string> {
    // Context first: a typed reply to the last prompt the service pushed is read against it.
    const pushed = await this.answerPushed(msg.content);
    if (pushed) return pushed;

    let input = this.mapTypedChoice(msg.content);
    const expectedChoice = this.state.offeredChoices.length > 0 && input.kind === 'text';
    this.state.offeredChoices = [];

    if (input.kind === 'text' && input.text.length > this.engine.limits.maxText) {
      this.say({ kind: 'text', text: t(this.lang, 'tooLong', { length: input.text.length, max: this.engine.limits.maxText }) });
      return 'too-long';
    }
    this.applyLanguageRule(input);

    // A long pause in the middle of a flow: ask before going on.
    if (this.state.resumePrompt) {
      const pending = this.state.resumePrompt.pending;
      this.state.resumePrompt = null;
      if (input.kind === 'choice' && input.id === 'g:resume') input = pending.content;
      else if (input.kind === 'choice' && input.id === 'g:restart') {
        this.clearFlow();
        await this.showMenu('menu');
        return 'restart';
      }
    } else if (
      this.state.flow &&
      this.now.getTime() - new Date(this.state.lastActivityAt).getTime() > this.engine.limits.idleMs &&
      !globalWordOf(input)
    ) {
      this.state.resumePrompt = { pending: msg };
      this.say({
        kind: 'text',
        text: t(this.lang, 'resumeAsk', { flow: this.engine.flowTitle(this.state.flow, this.lang) }),
        choices: [
          { id: 'g:resume', title: t(this.lang, 'resumeContinue') },
          { id: 'g:restart', title: t(this.lang, 'resumeRestart') },
        ],
      });
      return 'resume-ask';
    }

    const word = globalWordOf(input);
    if (word && !this.claimedByStep(word)) {
      await this.globalWord(word, input);
      return `global:${word.kind}`;
    }

    // An answer to "Maksud Anda: …?" routes the question it was about.
    if (input.kind === 'choice' && input.id.startsWith('u:')) {
      const pending = this.state.memory['pendingText'];
      this.state.memory['pendingText'] = null;
      const intent = input.id.slice(2);
      if (typeof pending === 'string' && this.opts.understander) {
        this.understood = { ...this.opts.understander.understand(pending, this.understandContext()), intent, confidence: 1, alternatives: [] };
        this.clearFlow();
        return this.routeIntent(intent, { kind: 'text', text: pending }, this.understood);
      }
      await this.showMenu('menu');
      return 'stale-choice';
    }

    // A menu choice starts its flow from anywhere.
    if (input.kind === 'choice' && input.id.startsWith('m:')) {
      const name = input.id.slice(2);
      if (this.engine.allFlows(this.contact).some((f) => f.name === name && f.menu)) {
        await this.startFlow(name, undefined, undefined, 0);
        return `menu:${name}`;
      }
    }

    // A command a flow claims starts that flow from anywhere (e.g. "/cek GJM-2026-00042").
    if (input.kind === 'command') {
      const command = input.command;
      const owner = this.engine.allFlows(this.contact).find((f) => f.commands?.includes(command));
      if (owner) {
        await this.startFlow(owner.name, undefined, input, 0);
        return `command:${owner.name}`;
      }
      this.say({ kind: 'text', text: t(this.lang, 'unknownCommand', { command: `/${command}` }) });
      await this.showMenu('none');
      return 'unknown-command';
    }

    if (this.state.flow && this.state.step) {
      if (input.kind === 'text') {
        const switched = await this.switchFromStep(input, expectedChoice);
        if (switched) return switched;
      }
      await this.feedStep(input, 0);
      return `step:${this.state.flow}`;
    }
    return this.routeIdle(input);
  }

  /** True when the current step reads this global word itself (`Step.claims`, e.g. "batal" on "forum saya"). */
  private claimedByStep(word: GlobalWord): boolean {
    if (!this.state.flow || !this.state.step || (word.kind !== 'cancel' && word.kind !== 'back')) return false;
    const flow = this.engine.allFlows(this.contact).find((f) => f.name === this.state.flow);
    return flow?.steps[this.state.step]?.claims?.includes(word.kind) ?? false;
  }

  /**
   * A typed reply while nothing is in progress, when the last thing the person received was a
   * prompt the service pushed (no message from them since, not expired, not answered yet): the
   * pushed prompt's step reads it if it `accepts` it ("5" after a rating request). Otherwise null,
   * and the message is routed as usual.
   */
  private async answerPushed(content: InboundContent): Promise<string | null> {
    const reader = this.opts.pushedPrompts;
    if (!reader || this.state.flow || this.state.resumePrompt || content.kind !== 'text' || content.text.length > this.engine.limits.maxText) return null;
    // A prompt counts only if pushed after the person's last activity; when that is now (a person
    // with no conversation yet), none can be, and the read is saved.
    if (new Date(this.state.lastActivityAt).getTime() >= this.now.getTime()) return null;
    const p = await reader.latest(this.contact.channel, this.contact.userKey);
    if (!p || p.expiresAt.getTime() <= this.now.getTime() || p.at.getTime() < new Date(this.state.lastActivityAt).getTime()) return null;
    if (this.state.memory[PUSHED_ANSWERED] === p.id) return null;
    const flow = this.engine.allFlows(this.contact).find((f) => f.name === p.flow);
    const step = flow?.steps[p.step];
    if (!flow || !step?.accepts) return null;
    const word = globalWordOf(content);
    if (word && !(word.kind === 'cancel' || word.kind === 'back' ? step.claims?.includes(word.kind) : false)) return null;
    if (!(await step.accepts({ ...this.ctx(), data: structuredClone(p.data) }, content))) return null;
    this.state.memory[PUSHED_ANSWERED] = p.id;
    this.state.offeredChoices = [];
    this.state.flow = flow.name;
    this.state.step = p.step;
    this.state.data = structuredClone(p.data);
    this.state.history = [];
    await this.feedStep(content, 0);
    return `pushed:${flow.name}`;
  }

  /**
   * Reply in the language of the message; remember a language only when the person chooses it
   * ("bahasa") or clearly writes English (or, after that, clearly Indonesian). Loan words such as
   * "passing grade", "online", "upload" or "formasi" count for neither language.
   */
  private applyLanguageRule(input: InboundContent): void {
    if (input.kind !== 'text' || this.person.langExplicit) return;
    if (!this.opts.understander) return;
    const { lang, clearlyEnglish } = this.opts.understander.language(input.text);
    if (lang) this.turnLang = lang;
    if (lang === 'en' && clearlyEnglish) this.person = { lang: 'en', langExplicit: false };
    else if (lang === 'id' && this.person.lang === 'en') this.person = { lang: 'id', langExplicit: false };
  }

  private understandContext(): UnderstandContext {
    const last = this.state.memory['lastFaqId'];
    return { isStaff: this.contact.isStaff, lang: this.lang, now: this.now, tz: this.opts.tz ?? 'Asia/Jakarta', ...(typeof last === 'string' ? { lastFaqId: last } : {}) };
  }

  /**
   * Text inside a flow. A bribery offer always gets the warning. Where a choice was expected and
   * the text is not one, a sentence that clearly asks for something else starts that instead.
   */
  private async switchFromStep(input: Extract<InboundContent, { kind: 'text' }>, expectedChoice: boolean): Promise<string | null> {
    const u = this.understand(input.text);
    if (!u) return null;
    const current = this.state.flow;
    // Inside a flow only the hard guard counts: a name or an address is no place for a model's guess.
    if (u.rule === 'bribery-guard') {
      const flow = this.engine.flowForIntent('bribery', this.contact);
      if (flow && flow.name !== current) {
        this.clearFlow();
        await this.startFlow(flow.name, undefined, input, 0);
        return 'intent:bribery';
      }
      return null;
    }
    if (!expectedChoice || input.text.trim().split(/\s+/).length < 3 || u.confidence < SWITCH_CONFIDENCE) return null;
    const step = current && this.state.step ? this.engine.allFlows(this.contact).find((f) => f.name === current)?.steps[this.state.step] : undefined;
    // The step reads this text as its answer ("ga ada foto", "anonim aja", "karang rejo"): keep it there.
    if (step?.freeText || (step?.accepts && (await step.accepts(this.ctx(), input)))) return null;
    const flow = this.engine.flowForIntent(u.intent, this.contact);
    if (!flow || flow.name === current) return null;
    this.clearFlow();
    return this.routeIntent(u.intent, input, u);
  }

  /** Typed "2" or a typed title selects an offered choice. */
  private mapTypedChoice(content: InboundContent): InboundContent {
    if (content.kind !== 'text' || this.state.offeredChoices.length === 0) return content;
    const s = simplify(content.text);
    const choices = this.state.offeredChoices;
    const n = /^\d{1,2}$/.test(s) ? Number(s) : NaN;
    if (n >= 1 && n <= choices.length) {
      const c = choices[n - 1]!;
      return { kind: 'choice', id: c.id, title: c.title };
    }
    const hit = choices.find((c) => simplify(c.title) === s);
    return hit ? { kind: 'choice', id: hit.id, title: hit.title } : content;
  }

  private async globalWord(word: GlobalWord, input: InboundContent): Promise<void> {
    switch (word.kind) {
      case 'menu': {
        this.clearFlow();
        const greet = input.kind === 'command' || this.state.isNew;
        await this.showMenu(greet ? 'greeting' : 'menu');
        return;
      }
      case 'cancel': {
        const had = this.state.flow !== null;
        this.clearFlow();
        this.say({ kind: 'text', text: t(this.lang, had ? 'cancelled' : 'nothingToCancel') });
        await this.showMenu('menu');
        return;
      }
      case 'back': {
        const prev = this.state.history.pop();
        if (this.state.flow && prev) {
          this.state.step = prev.step;
          this.state.data = prev.data;
          await this.promptCurrent();
        } else {
          this.clearFlow();
          this.say({ kind: 'text', text: t(this.lang, 'nothingToGoBack') });
          await this.showMenu('menu');
        }
        return;
      }
      case 'help': {
        this.say({ kind: 'text', text: t(this.lang, 'help') });
        if (this.state.flow) await this.promptCurrent();
        else await this.showMenu('menu');
        return;
      }
      case 'language': {
        const to = word.to === 'toggle' ? (this.lang === 'id' ? 'en' : 'id') : word.to;
        this.person = { lang: to, langExplicit: true };
        this.turnLang = to;
        this.say({ kind: 'text', text: t(to, 'languageSwitched') });
        if (this.state.flow) await this.promptCurrent();
        else await this.showMenu('menu');
        return;
      }
    }
  }

  private async routeIdle(input: InboundContent): Promise<string> {
    if (input.kind === 'choice') {
      // A button from an earlier message: hand it to the flow that owns its prefix.
      const prefix = input.id.split(':')[0] ?? '';
      if (this.engine.allFlows(this.contact).some((f) => f.name === prefix)) {
        await this.startFlow(prefix, undefined, input, 0);
        return `choice:${prefix}`;
      }
      await this.showMenu('menu');
      return 'stale-choice';
    }
    if (input.kind === 'text') {
      const u = this.understand(input.text);
      if (!u) return this.routeByDetect(input);
      const decision = this.opts.understander!.decide(u);
      if (decision.kind === 'act') return this.routeIntent(decision.intent, input, u);
      if (decision.kind === 'clarify') {
        const choices = decision.intents.map((i) => ({ id: `u:${i}`, title: this.intentTitle(i) }));
        this.state.memory['pendingText'] = input.text;
        const titles = choices.map((c) => c.title);
        const list = titles.length > 1 ? `${titles.slice(0, -1).join(', ')}${t(this.lang, 'or')}${titles[titles.length - 1]}` : titles[0] ?? '';
        this.say({ kind: 'text', text: t(this.lang, 'clarify', { choices: list }), choices });
        return 'clarify';
      }
      this.say({ kind: 'text', text: t(this.lang, 'notUnderstood') });
      await this.showMenu('none');
      return 'not-understood';
    }
    if (input.kind === 'unsupported') {
      this.say({ kind: 'text', text: t(this.lang, 'unsupported') });
      await this.showMenu('none');
      return 'unsupported';
    }
    // A photo or location with nothing in progress: the flow that takes such attachments (a
    // follow-up on an open ticket) decides; otherwise, or for a contact card, offer the menu.
    if (input.kind === 'location' || input.kind === 'media') {
      const taker = this.engine.allFlows(this.contact).find((f) => f.takesAttachments);
      if (taker) {
        await this.startFlow(taker.name, undefined, input, 0);
        return `attachment:${taker.name}`;
      }
    }
    await this.showMenu(this.state.isNew ? 'greeting' : 'menu');
    return `idle:${input.kind}`;
  }

  /** Starts what an intent asks for: the engine's own short answers, or the flow that serves it. */
  private async routeIntent(intent: string, input: Extract<InboundContent, { kind: 'text' }>, u: Understanding): Promise<string> {
    if (ENGINE_INTENTS.has(intent)) {
      switch (intent) {
        case 'greeting':
          await this.showMenu('greeting');
          break;
        case 'thanks':
          this.say({ kind: 'text', text: t(this.lang, 'thanks') });
          break;
        case 'smalltalk.bot':
          this.say({ kind: 'text', text: t(this.lang, 'aboutBot') });
          break;
        case 'help':
          await this.globalWord({ kind: 'help' }, input);
          break;
        case 'language': {
          const s = simplify(input.text);
          const to = /english|inggris/.test(s) ? 'en' : /indonesia/.test(s) ? 'id' : 'toggle';
          await this.globalWord({ kind: 'language', to }, input);
          break;
        }
        default:
          await this.showMenu('menu');
      }
      return `intent:${intent}`;
    }
    const flow = this.engine.flowForIntent(intent, this.contact);
    if (!flow) {
      this.say({ kind: 'text', text: t(this.lang, 'notUnderstood') });
      await this.showMenu('none');
      return 'not-understood';
    }
    const feed = flow.feedIntent !== false && !u.bare;
    await this.startFlow(flow.name, undefined, feed ? input : undefined, 0);
    return `intent:${intent}`;
  }

  private intentTitle(intent: string): string {
    if (ENGINE_INTENTS.has(intent)) return t(this.lang, 'menuHelp');
    const flow = this.engine.flowForIntent(intent, this.contact);
    return flow?.intentTitle?.(intent, this.lang) ?? flow?.menu?.title[this.lang] ?? flow?.title[this.lang] ?? intent;
  }

  /** Routing for engines without an understanding step: the flows' own guesses. */
  private async routeByDetect(input: Extract<InboundContent, { kind: 'text' }>): Promise<string> {
    const best = await this.detect(input.text);
    if (best) {
      await this.startFlow(best.flow, undefined, best.feedInput ? input : undefined, 0);
      return `detect:${best.flow}`;
    }
    if (this.state.isNew) await this.showMenu('greeting');
    else {
      this.say({ kind: 'text', text: t(this.lang, 'notUnderstood') });
      await this.showMenu('none');
    }
    return 'not-understood';
  }

  private async detect(text: string): Promise<{ flow: string; feedInput: boolean } | null> {
    let best: { flow: string; feedInput: boolean; confidence: number } | null = null;
    for (const f of this.engine.allFlows(this.contact)) {
      if (!f.detect) continue;
      const d = await f.detect(this.ctx(), text);
      if (d && d.confidence >= this.engine.limits.threshold && (!best || d.confidence > best.confidence)) {
        best = { flow: f.name, feedInput: d.feedInput, confidence: d.confidence };
      }
    }
    return best;
  }

  private clearFlow(): void {
    this.state.flow = null;
    this.state.step = null;
    this.state.data = {};
    this.state.history = [];
    this.state.resumePrompt = null;
  }

  private async startFlow(name: string, data: FlowData | undefined, input: InboundContent | undefined, depth: number): Promise<void> {
    const flow = this.engine.getFlow(name);
    this.state.flow = flow.name;
    this.state.step = flow.start;
    this.state.data = data ?? {};
    this.state.history = [];
    if (input) await this.feedStep(input, depth + 1);
    else await this.promptCurrent();
  }

  private async promptCurrent(): Promise<void> {
    if (!this.state.flow || !this.state.step) return this.showMenu('menu');
    const step = this.engine.getFlow(this.state.flow).steps[this.state.step];
    if (!step) {
      // A step that no longer exists (flow changed between releases): start the flow over.
      this.state.step = this.engine.getFlow(this.state.flow).start;
      this.state.history = [];
      return this.promptCurrent();
    }
    this.say(...(await step.prompt(this.ctx())));
  }

  private async feedStep(input: InboundContent, depth: number): Promise<void> {
    if (!this.state.flow || !this.state.step) return;
    const flow = this.engine.getFlow(this.state.flow);
    const step = flow.steps[this.state.step];
    if (!step) {
      await this.promptCurrent();
      return;
    }
    const outcome = await step.handle(this.ctx(), input);
    await this.apply(outcome, depth);
  }

  private async apply(outcome: StepOutcome, depth: number): Promise<void> {
    if (depth > MAX_CHAIN) throw new UnknownFlowError('flows switched too many times for one message');
    switch (outcome.kind) {
      case 'next': {
        this.state.history.push({ step: this.state.step!, data: this.state.data });
        this.state.step = outcome.step;
        if (outcome.data) this.state.data = outcome.data;
        if (outcome.say) this.say(...outcome.say);
        await this.promptCurrent();
        return;
      }
      case 'stay': {
        if (outcome.data) this.state.data = outcome.data;
        this.say(...outcome.say);
        return;
      }
      case 'done': {
        this.clearFlow();
        if (outcome.memory) Object.assign(this.state.memory, outcome.memory);
        this.say(...outcome.say);
        return;
      }
      case 'switch': {
        if (outcome.say) this.say(...outcome.say);
        await this.startFlow(outcome.flow, outcome.data, outcome.input, depth);
        return;
      }
    }
  }

  /** The main menu as choices; `greeting` adds the welcome text, `none` only the choices. */
  private async showMenu(mode: 'greeting' | 'menu' | 'none'): Promise<void> {
    const lang = this.lang;
    const choices: Choice[] = this.engine.menuFlows(this.contact).map((f) => ({
      id: `m:${f.name}`,
      title: f.menu!.title[lang],
      ...(f.menu!.description ? { description: f.menu!.description[lang] } : {}),
    }));
    choices.push({ id: 'g:help', title: t(lang, 'menuHelp') }, { id: 'g:lang', title: t(lang, 'menuLanguage') });
    const name = this.contact.name ? ` ${this.contact.name.split(/\s+/)[0]}` : '';
    const body =
      mode === 'greeting' ? t(lang, 'greeting', { name }) : mode === 'menu' ? t(lang, 'menu') : t(lang, 'menu');
    this.say({ kind: 'text', text: body, choices, listButton: t(lang, 'choose') });
  }
}
