/**
 * Dates and times as staff type them and residents read them, in WIB (Asia/Jakarta).
 * Storage is always UTC `Date`; everything here converts at the edge.
 */
import { DateTime } from 'luxon';
import type { Lang } from '../../core/messages.js';
import { MONTHS } from '../month-names.js';

/** A calendar day in the display zone. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
}

export type DayParse = { ok: true; value: LocalDay } | { ok: false; reason: 'format' | 'invalid' | 'past' };
export type TimeParse = { ok: true; value: { hour: number; minute: number } } | { ok: false; reason: 'format' | 'invalid' };


/**
 * Parses "31/12", "31/12/2026", "31-12-26", "2026-12-31" or "31 Desember 2026".
 * Without a year the next such day from today is meant. A day that does not exist ("31/02")
 * is `invalid`; a day before today is `past`.
 */
export function parseDay(text: string, now: Date, tz: string): DayParse {
  const s = text.trim().toLowerCase().replace(/^(tgl|tanggal)\.?\s*/, '');
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  m = m ?? /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$/.exec(s);
  if (m && day === undefined) {
    [day, month] = [Number(m[1]), Number(m[2])];
    if (m[3]) year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  }
  if (day === undefined) {
    const w = /^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$/.exec(s);
    if (w && MONTHS[w[2]!] !== undefined) {
      day = Number(w[1]);
      month = MONTHS[w[2]!];
      if (w[3]) year = Number(w[3]);
    }
  }
  if (day === undefined || month === undefined) return { ok: false, reason: 'format' };
  const today = DateTime.fromJSDate(now, { zone: tz }).startOf('day');
  const explicitYear = year !== undefined;
  const y = year ?? today.year;
  let dt = DateTime.fromObject({ year: y, month, day }, { zone: tz });
  if (!dt.isValid) return { ok: false, reason: 'invalid' };
  if (dt < today) {
    if (explicitYear) return { ok: false, reason: 'past' };
    dt = DateTime.fromObject({ year: y + 1, month, day }, { zone: tz });
    if (!dt.isValid) return { ok: false, reason: 'invalid' };
  }
  return { ok: true, value: { year: dt.year, month: dt.month, day: dt.day } };
}

/** Parses "09:00", "9.30", "0930", "09" or "jam 9" (24-hour clock). */
export function parseClock(text: string): TimeParse {
  const s = text.trim().toLowerCase().replace(/^(jam|pukul|pkl)\.?\s*/, '').replace(/\s*wib$/, '');
  const m = /^(\d{1,2})(?:[:.](\d{2})|(\d{2}))?$/.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? m[3] ?? '0');
  if (hour > 23 || minute > 59) return { ok: false, reason: 'invalid' };
  return { ok: true, value: { hour, minute } };
}

/** The instant of a local day and clock time in `tz`. */
export function toInstant(day: LocalDay, clock: { hour: number; minute: number }, tz: string): Date {
  return DateTime.fromObject({ ...day, hour: clock.hour, minute: clock.minute }, { zone: tz }).toJSDate();
}

/** Parses a duration: "90", "90 menit", "2 jam", "1,5 jam", "1 jam 30 menit". Minutes, or undefined. */
export function parseDurationMinutes(text: string): number | undefined {
  const s = text.trim().toLowerCase().replace(',', '.');
  let m = /^(\d+(?:\.\d+)?)\s*(?:jam|j|hours?|h)(?:\s*(\d+)\s*(?:menit|mnt|m|minutes?))?$/.exec(s);
  if (m) return Math.round(Number(m[1]) * 60 + Number(m[2] ?? '0'));
  m = /^(\d+)\s*(?:menit|mnt|m|minutes?|min)?$/.exec(s);
  if (m) return Number(m[1]);
  return undefined;
}

/** "Selasa, 1 Desember 2026" / "Tuesday, 1 December 2026". */
export function formatDay(at: Date, lang: Lang, tz: string): string {
  return DateTime.fromJSDate(at, { zone: tz }).setLocale(lang === 'en' ? 'en-GB' : 'id').toFormat('cccc, d LLLL yyyy');
}

/** "09.00" / "09:00". */
export function formatClock(at: Date, lang: Lang, tz: string): string {
  return DateTime.fromJSDate(at, { zone: tz }).toFormat(lang === 'en' ? 'HH:mm' : 'HH.mm');
}

/** "Selasa, 1 Desember 2026 pukul 09.00 WIB". */
export function formatWhen(at: Date, lang: Lang, tz: string): string {
  return `${formatDay(at, lang, tz)} ${lang === 'en' ? 'at' : 'pukul'} ${formatClock(at, lang, tz)} WIB`;
}

/** "1/12 09.00" — compact, for buttons and lists. */
export function formatShort(at: Date, tz: string): string {
  return DateTime.fromJSDate(at, { zone: tz }).toFormat('d/M HH.mm');
}

/** `YYYY-MM-DD` of an instant in `tz` (daily keys). */
export function localDate(at: Date, tz: string): string {
  return DateTime.fromJSDate(at, { zone: tz }).toISODate() ?? '';
}

/** Hour of day of an instant in `tz`. */
export function localHour(at: Date, tz: string): number {
  return DateTime.fromJSDate(at, { zone: tz }).hour;
}

/** Example dates for re-asks, counted from now: "15/12/2026". */
export function exampleDay(now: Date, tz: string, daysAhead = 7): string {
  return DateTime.fromJSDate(now, { zone: tz }).plus({ days: daysAhead }).toFormat('d/M/yyyy');
}
