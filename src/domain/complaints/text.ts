/**
 * Text handling for what residents type: stored as written, minus control characters, with
 * lengths counted in characters as people see them.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Lang } from '../faq/types.js';

// Control characters except tab and newline (kept: a description may have paragraphs), and
// direction embeddings / overrides / isolates (see core/bidi.ts).
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_RE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u2028\u2029\uFEFF\u202A-\u202E\u2066-\u2069]/g;

/** Removes control characters, normalises line ends, and trims the ends. Meaning is untouched. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_RE, '').trim();
}

/** Length in characters (code points), as a person counts them. */
export function charLength(text: string): number {
  return [...text].length;
}

/** A short preview: at most `max` characters, with an ellipsis when cut. */
export function preview(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Hash of a text ignoring case, spacing and punctuation: "the same text" for duplicate checks. */
export function sameTextHash(text: string): string {
  const normal = text.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return createHash('sha256').update(normal).digest('hex');
}

const TICKET_RE = /\bGJM[\s-]?(\d{4})[\s-]?(\d{1,7})\b/i;

/** `GJM-2026-00042` from a year and a sequence number (at least five digits). */
export function formatTicket(year: number, seq: number): string {
  return `GJM-${year}-${String(seq).padStart(5, '0')}`;
}

/** Finds a ticket number in what someone typed ("cek gjm 2026 42" → `GJM-2026-00042`). */
export function findTicket(text: string): string | null {
  const m = TICKET_RE.exec(text);
  if (!m) return null;
  return formatTicket(Number(m[1]), Number(m[2]));
}

/** True when `s` is exactly a canonical ticket number (safe to put in a query). */
export function isTicketNo(s: string): boolean {
  return /^GJM-\d{4}-\d{5,7}$/.test(s);
}

/** A date and time in the display zone, e.g. "30 Nov 2026 09.00 WIB". */
export function formatWhen(at: Date, lang: Lang, tz: string): string {
  const dt = DateTime.fromJSDate(at).setZone(tz).setLocale(lang === 'en' ? 'en-GB' : 'id');
  const zone = tz === 'Asia/Jakarta' ? 'WIB' : dt.offsetNameShort ?? tz;
  return `${dt.toFormat(lang === 'en' ? 'd LLL yyyy HH:mm' : 'd LLL yyyy HH.mm')} ${zone}`;
}

/** A date in the display zone, e.g. "Kamis, 3 Des 2026". */
export function formatDay(at: Date, lang: Lang, tz: string): string {
  return DateTime.fromJSDate(at).setZone(tz).setLocale(lang === 'en' ? 'en-GB' : 'id').toFormat('cccc, d LLL yyyy');
}

/** A Google Maps link to a point. */
export function mapLink(latitude: number, longitude: number): string {
  return `https://maps.google.com/?q=${latitude.toFixed(6)},${longitude.toFixed(6)}`;
}
