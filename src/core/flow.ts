/**
 * The shape of a conversation. A flow is a set of named steps; each step asks (`prompt`) and
 * answers (`handle`). Steps never touch a platform or mongoose: they get plain data and call
 * domain services passed in `ctx.services`.
 */
import type { Bilingual, Channel, InboundContent, Lang, Reply } from './messages.js';
import type { Understanding } from './understanding.js';
import type { FlowData } from './session-store.js';

/** What a step knows about the person it talks to. */
export interface ContactView {
  channel: Channel;
  userKey: string;
  chatId: string;
  name?: string;
  phone?: string;
  isStaff: boolean;
}

/** Everything a step may read. `S` is the services bag the app composes. */
export interface StepContext<S = unknown> {
  lang: Lang;
  /** True when the person chose the language explicitly (then never guess from their text). */
  langExplicit: boolean;
  contact: ContactView;
  now: Date;
  /** Data this flow collected so far (a copy: return changes in the outcome). */
  data: FlowData;
  /** Small cross-flow memory (e.g. the last FAQ entry, for follow-ups). */
  memory: Record<string, unknown>;
  services: S;
  /** Unique per inbound message: use it to make side effects idempotent. */
  idempotencyKey: string;
  /** Display time zone (e.g. Asia/Jakarta). */
  tz: string;
  /**
   * What the understanding step made of this turn's text (intent, confidence, slots). Set for
   * the turn that started the flow from free text, and for free text typed inside a flow.
   */
  understanding?: Understanding;
}

/** What a step decides after reading an input. */
export type StepOutcome =
  /** Go to `step` (the current step is remembered for "kembali"); its prompt is sent after `say`. */
  | { kind: 'next'; step: string; data?: FlowData; say?: Reply[] }
  /** Stay on this step (e.g. invalid input): send `say`, keep waiting. */
  | { kind: 'stay'; say: Reply[]; data?: FlowData }
  /** The flow is finished. `memory` is merged into the cross-flow memory. */
  | { kind: 'done'; say: Reply[]; memory?: Record<string, unknown> }
  /** Leave this flow and start `flow`, optionally feeding it `input` instead of prompting. */
  | { kind: 'switch'; flow: string; data?: FlowData; say?: Reply[]; input?: InboundContent };

/** A global word a step may read itself instead of the engine (e.g. "batal" meaning "cancel this seat"). */
export type ClaimableWord = 'cancel' | 'back';

/** One step of a flow. */
export interface Step<S = unknown> {
  prompt(ctx: StepContext<S>): Reply[] | Promise<Reply[]>;
  handle(ctx: StepContext<S>, input: InboundContent): StepOutcome | Promise<StepOutcome>;
  /** Global words this step handles itself while it is the current step (default: none). */
  claims?: ClaimableWord[];
  /**
   * This step reads free text as its answer even though it offers choices (a comment with "Lewati",
   * a reason): the engine never takes a sentence typed here for a request to do something else
   * (a bribery offer still gets the warning).
   */
  freeText?: boolean;
  /**
   * For a step that reads replies to a pushed prompt (see `src/core/pushed-prompts.ts`): whether
   * this typed input answers it. When false, the input is routed as a new message.
   */
  accepts?(ctx: StepContext<S>, input: InboundContent): boolean | Promise<boolean>;
}

/** A free-text guess that this flow is what the person wants. */
export interface Detection {
  /** 0..1; the engine picks the highest above its threshold. */
  confidence: number;
  /** Whether to feed the original input to the start step (true) or just prompt it. */
  feedInput: boolean;
}

/** A conversation. */
export interface Flow<S = unknown> {
  name: string;
  /** Human title, used in "you were in the middle of …". */
  title: Bilingual;
  /** Name of the first step. */
  start: string;
  steps: Record<string, Step<S>>;
  /** Present when the main menu offers this flow; lower `order` shows first. */
  menu?: { order: number; title: Bilingual; description?: Bilingual; staffOnly?: boolean };
  /** Bot commands (without slash, lower case) that start this flow with the command as input, e.g. `['cek']`. */
  commands?: string[];
  /** Only staff may enter this flow (menu, commands, buttons, detection). */
  staffOnly?: boolean;
  /**
   * Intents of the understanding step this flow serves (`complaint.new`, or a prefix such as
   * `faq:*`). The engine starts the flow for them and hands it the {@link Understanding}.
   */
  intents?: string[];
  /** Never started from free text in a group chat (staff talk among themselves in the staff group). */
  notFromGroupText?: boolean;
  /** A photo or location that arrives while nothing is in progress starts this flow with it (one flow at most). */
  takesAttachments?: boolean;
  /** Feed the text that started the flow to its first step (default true; never for bare requests). */
  feedIntent?: boolean;
  /** A short title of one of its intents, for a clarifying question; default the flow's title. */
  intentTitle?(intent: string, lang: Lang): string | undefined;
  /** Guess from free text (no flow active) whether the person wants this flow (flows without `intents`). */
  detect?(ctx: StepContext<S>, text: string): Detection | null | Promise<Detection | null>;
}
