/**
 * The engine's understanding port: what one free-text turn means (intent, confidence, slots) and
 * the decision to act, ask or say "not understood". The engine and the flows own these types; the
 * understanding step in src/domain/understanding/ implements {@link TurnUnderstander}. Intent ids
 * and slot values are listed in `flows/content/understanding/README.md`.
 */
import type { Lang } from './messages.js';

/** `faq:<entry-id>`, `complaint.new`, `forum.signup`, `bribery`, `off_topic`, … */
export type IntentId = string;

/** One candidate intent with its score (0..1, higher is surer). */
export interface IntentScore {
  intent: IntentId;
  score: number;
}

/** A date as the person wrote it, resolved in WIB against the turn's `now`. */
export interface DateSlot {
  /** The calendar date in WIB, `yyyy-mm-dd`. */
  date: string;
  /** The words it came from ("besok", "senin depan", "tgl 12"). */
  text: string;
}

/** A time of day in WIB (24-hour clock). */
export interface TimeSlot {
  hour: number;
  minute: number;
  text: string;
}

/** A ticket reference: a full number ("GJM-2026-00042") or a bare sequence ("tiket 42"). */
export interface TicketSlot {
  /** The full ticket number when it can be told (`GJM-2026-00042`). */
  number?: string;
  /** The sequence part (42). */
  seq: number;
  text: string;
}

/** What the text says about the slots; absent means "not said". */
export interface Slots {
  /** A kelurahan id (src/domain/complaints/catalog.ts), or `unknown` when the person says they do not know it. */
  kelurahan?: string;
  /** A complaint category id (src/domain/complaints/catalog.ts). */
  category?: string;
  /** A street or place as written ("gang Sampangan III dekat masjid"). */
  street?: string;
  date?: DateSlot;
  time?: TimeSlot;
  ticket?: TicketSlot;
  /** 1..5 */
  rating?: number;
  /** A person's name as written ("pak Slamet"). */
  person?: string;
}

/** What one turn means. */
export interface Understanding {
  /** The text as received. */
  text: string;
  /** The language the reply should be in, judged from this message alone. */
  lang: 'id' | 'en';
  /** The best intent. */
  intent: IntentId;
  /** 0..1 for `intent`. */
  confidence: number;
  /** The next-best intents, best first (may be empty). */
  alternatives: IntentScore[];
  slots: Slots;
  /**
   * True when the text only says what the person wants ("mau lapor", "daftar forum") and carries
   * no content of its own, so a flow should not keep it as, e.g., a complaint's description.
   */
  bare: boolean;
  /**
   * Set when a hard rule decided the intent rather than the classifier: the bribery guard, a
   * ticket number, or a follow-up resolved against the last FAQ answer.
   */
  rule?: 'bribery-guard' | 'ticket' | 'follow-up';
}

/** What the understanding step knows about the conversation. */
export interface UnderstandContext {
  isStaff: boolean;
  /** The FAQ entry answered last, for follow-ups ("kalau PPPK?"). */
  lastFaqId?: string;
  /** The remembered language, used when the message itself does not tell. */
  lang: 'id' | 'en';
  /** The turn's time and display zone: with them the slots (dates, kelurahan, ticket …) are read too. */
  now?: Date;
  tz?: string;
}

/** Sure → act; unsure between two or three → ask; lost → say so. */
export type Decision =
  | { kind: 'act'; intent: string }
  | { kind: 'clarify'; intents: string[] }
  | { kind: 'lost' };

/** The language a message is written in, as far as one message tells. */
export interface MessageLanguage {
  /** `null` when the message says nothing about its language (loan words, names, numbers). */
  lang: Lang | null;
  /** True when it is unmistakably English (then English is remembered for the person). */
  clearlyEnglish: boolean;
}

/** The understanding step as the engine uses it (implemented in src/domain/understanding/). */
export interface TurnUnderstander {
  /** What one message means. */
  understand(text: string, ctx: UnderstandContext): Understanding;
  /** Act, ask or say "not understood". */
  decide(u: Understanding): Decision;
  /** The language of one message, for the reply. */
  language(text: string): MessageLanguage;
}
