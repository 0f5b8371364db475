/**
 * The result of the understanding step: what one free-text turn means. Produced once per turn by
 * the understanding service and handed to the engine (routing) and to flows (slots), so no flow
 * keeps keyword lists of its own. Intent ids and slot values are listed in
 * `flows/content/understanding/README.md`.
 */
import type { CategoryId, KelurahanId } from '../complaints/catalog.js';

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
  /** A kelurahan id, or `unknown` when the person says they do not know it. */
  kelurahan?: KelurahanId | 'unknown';
  category?: CategoryId;
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
