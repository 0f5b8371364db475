/**
 * The ticket slot: a full number ("GJM-2026-00042", "gjm 2026 42") or a bare sequence after a
 * ticket word ("tiket 42", "no tiket 00042", "laporan nomor 42").
 */
import { findTicket } from '../../complaints/text.js';
import type { TicketSlot } from '../types.js';
import { lowered } from './text.js';

const FULL = /\bGJM[\s-]?\d{4}[\s-]?(\d{1,7})\b/i;
const BARE = /(?<![\p{L}\p{N}])(?:no\.?\s*|nomor\s+|nmr\s+)?(?:tiket|ticket|tiketnya|laporan|aduan|pengaduan)\s*(?:no\.?|nomor|nmr|#)?\s*#?(\d{1,7})(?![\p{L}\p{N}])/u;

/** The ticket referred to in `text`, if any. */
export function ticketSlot(text: string): TicketSlot | undefined {
  const full = FULL.exec(text);
  const number = full ? findTicket(full[0]) : null;
  if (full && number) return { number, seq: Number(full[1]), text: full[0] };
  const bare = BARE.exec(lowered(text));
  if (bare) return { seq: Number(bare[1]), text: bare[0].trim() };
  return undefined;
}
