/**
 * Date and time slots as people write them in Indonesian, resolved in the display zone (WIB)
 * against the turn's `now`:
 *
 * - dates: "hari ini", "besok", "lusa", "Senin", "Senin depan", "Jumat ini", "tgl 12",
 *   "12/1", "12/1/2027", "12-01", "12 Januari", "12 jan 2027"; and about the past "kemarin",
 *   "semalam", "tadi pagi", "wingi" (yesterday or today);
 * - times: "jam 9", "jam 9 pagi", "jam 7 malam", "jam 3 sore", "19.30", "19:30", "pukul 7.30 malam".
 *
 * A date without a year is the next such day from today; "tgl 12" is the next 12th.
 */
import { DateTime } from 'luxon';
import type { DateSlot, TimeSlot } from '../types.js';
import { MONTHS } from '../../month-names.js';
import { lowered } from './text.js';


/** Luxon weekday numbers (Monday = 1). */
const WEEKDAYS: Record<string, number> = {
  senin: 1, snn: 1, selasa: 2, sls: 2, rabu: 3, kamis: 4, kmis: 4, jumat: 5, jum: 5, jumaat: 5, sabtu: 6, minggu: 7, ahad: 7,
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};

const B = String.raw`(?<![\p{L}\p{N}])`;
const E = String.raw`(?![\p{L}\p{N}])`;

const iso = (d: DateTime): string => d.toFormat('yyyy-MM-dd');

/** The date written in `text`, if any. */
export function dateSlot(text: string, now: Date, tz: string): DateSlot | undefined {
  const s = lowered(text).replace(/[’']/g, '');
  const today = DateTime.fromJSDate(now, { zone: tz }).startOf('day');

  let m = new RegExp(`${B}(hari ini|besok|bsk|besuk|lusa|today|tomorrow)${E}`, 'u').exec(s);
  // "3 hari ini" is a span of days, not today.
  if (m && !(m[1] === 'hari ini' && /\d\s*$/.test(s.slice(0, m.index)))) {
    const word = m[1]!;
    const add = word === 'hari ini' || word === 'today' ? 0 : word === 'lusa' ? 2 : 1;
    return { date: iso(today.plus({ days: add })), text: m[0] };
  }
  // Said about the past: "kemarin", "semalam", "tadi pagi", "wingi", "this morning".
  m = new RegExp(`${B}(kemarin|kemaren|kmrn|kmarin|kala wingi|wingi|semalam|semalem|kemarin malam|tadi (?:pagi|siang|sore|malam|malem)|td (?:pagi|siang|sore|malam|malem)|yesterday|last night|this morning|this afternoon|tonight)${E}`, 'u').exec(s);
  // "CPNS 2024 kemarin" names a past round, not a day.
  if (m && !/\d{4}\s*$/.test(s.slice(0, m.index))) {
    const word = m[1]!;
    const yesterday = /^(kemarin|kemaren|kmrn|kmarin|kala wingi|wingi|semalam|semalem|kemarin malam|yesterday|last night)$/.test(word);
    return { date: iso(today.plus({ days: yesterday ? -1 : 0 })), text: m[0] };
  }

  // 12/1, 12/1/2027, 12-01-27, 2027-01-12
  m = new RegExp(`${B}(\\d{4})-(\\d{1,2})-(\\d{1,2})${E}`, 'u').exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]), m[0], today);
  m = new RegExp(`${B}(?:(?:tgl|tanggal)\\.?\\s*)?(\\d{1,2})\\s*[/-]\\s*(\\d{1,2})(?:\\s*[/-]\\s*(\\d{4}|\\d{2}))?${E}`, 'u').exec(s);
  if (m && !/(?:rt|rw|no|nomor|nmr)\.?\s*$/.test(s.slice(0, m.index))) return dm(Number(m[1]), Number(m[2]), m[3], m[0], today);
  m = new RegExp(`${B}(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})${E}`, 'u').exec(s);
  if (m) return dm(Number(m[1]), Number(m[2]), m[3], m[0], today);

  // 12 Januari, 12 jan 2027, tgl 12 des
  m = new RegExp(`${B}(?:(?:tgl|tanggal)\\.?\\s*)?(\\d{1,2})\\s+([a-z]+)\\.?(?:\\s+(\\d{4}))?${E}`, 'u').exec(s);
  if (m && MONTHS[m[2]!] !== undefined) return dm(Number(m[1]), MONTHS[m[2]!]!, m[3], m[0].trim(), today);

  // tgl 12 / tanggal 12: the next 12th
  m = new RegExp(`${B}(?:tgl|tanggal)\\.?\\s*(\\d{1,2})${E}`, 'u').exec(s);
  if (m) {
    const day = Number(m[1]);
    for (let i = 0; i < 13; i += 1) {
      const month = today.startOf('month').plus({ months: i });
      const d = DateTime.fromObject({ year: month.year, month: month.month, day }, { zone: tz });
      if (d.isValid && d >= today) return { date: iso(d), text: m[0] };
    }
    return undefined;
  }

  // senin, senin depan, jumat ini, minggu depan (as a day: Sunday)
  m = new RegExp(`${B}(?:hari\\s+)?(${Object.keys(WEEKDAYS).join('|')})(?:\\s+(depan|ini|besok|minggu depan|pekan depan|next))?${E}`, 'u').exec(s);
  const before = m ? s.slice(0, m.index) : '';
  // "3 minggu" is a span of weeks, and "minggu depan" is next week, not a Sunday.
  const weeks =
    m?.[1] === 'minggu' &&
    !m[0].startsWith('hari') &&
    (/(?:\d+|dua|tiga|empat|lima|beberapa|bbrp|satu|se|malam|malem)\s*$/.test(before) || m[2] !== undefined || /^\s*(?:lalu|kemarin|ini|kmrn)\b/.test(s.slice((m.index ?? 0) + m[0].length)));
  // "tiap Sabtu" is a habit, not a date.
  const habit = m !== null && /(?:tiap|setiap|saben|every)\s*$/.test(before);
  if (m && !weeks && !habit) {
    const wd = WEEKDAYS[m[1]!]!;
    const which = m[2];
    let d: DateTime;
    if (which === 'depan' || which === 'minggu depan' || which === 'pekan depan' || which === 'next') {
      // "Senin depan": that weekday in next week (weeks start on Monday).
      d = today.startOf('week').plus({ weeks: 1 }).plus({ days: wd - 1 });
    } else if (which === 'ini') {
      d = today.startOf('week').plus({ days: wd - 1 });
      if (d < today) d = d.plus({ weeks: 1 });
    } else {
      const ahead = (wd - today.weekday + 7) % 7 || 7;
      d = today.plus({ days: ahead });
    }
    return { date: iso(d), text: m[0] };
  }
  return undefined;
}

function ymd(year: number, month: number, day: number, text: string, _today: DateTime): DateSlot | undefined {
  const d = DateTime.fromObject({ year, month, day }, { zone: _today.zone });
  return d.isValid ? { date: iso(d), text } : undefined;
}

function dm(day: number, month: number, yearText: string | undefined, text: string, today: DateTime): DateSlot | undefined {
  if (yearText) return ymd(yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText), month, day, text, today);
  let d = DateTime.fromObject({ year: today.year, month, day }, { zone: today.zone });
  if (!d.isValid) return undefined;
  if (d < today) d = DateTime.fromObject({ year: today.year + 1, month, day }, { zone: today.zone });
  return d.isValid ? { date: iso(d), text } : undefined;
}

const PART_OF_DAY = String.raw`(pagi|siang|sore|petang|malam|malem|subuh|dini hari|am|pm)`;

/** The time of day written in `text`, if any (24-hour result). */
export function timeSlot(text: string): TimeSlot | undefined {
  const s = lowered(text);
  // "jam 9", "jam 9 pagi", "pukul 7.30 malam", "jam 19:30"
  let m = new RegExp(`${B}(?:jam|jm|pukul|pkl)\\.?\\s*(\\d{1,2})(?:[.:](\\d{2}))?(?:\\s*${PART_OF_DAY})?${E}`, 'u').exec(s);
  // "19.30", "09:00 wib", "7.30 malam"
  m ??= new RegExp(`${B}(\\d{1,2})[.:](\\d{2})(?:\\s*(?:wib)?\\s*${PART_OF_DAY})?${E}(?![./-]\\d)`, 'u').exec(s);
  // "9 pagi", "7 malam"
  m ??= new RegExp(`${B}(\\d{1,2})()\\s*${PART_OF_DAY}${E}`, 'u').exec(s);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] || '0');
  const part = m[3];
  if (hour > 23 || minute > 59) return undefined;
  if (part && hour <= 12) {
    if (part === 'malam' || part === 'malem') hour = hour === 12 ? 0 : hour >= 6 ? hour + 12 : hour;
    else if (part === 'pagi' || part === 'am' || part === 'subuh' || part === 'dini hari') hour = hour === 12 ? 0 : hour;
    else if (part === 'siang') hour = hour < 11 ? hour + 12 : hour;
    else if (hour < 12) hour += 12; // sore, petang, pm
  }
  return { hour, minute, text: m[0] };
}
