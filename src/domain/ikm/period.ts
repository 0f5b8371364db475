/**
 * Survey periods: calendar blocks of `months` months starting in January, in the display time
 * zone (3 months = the four quarters of a year, the usual SKM rhythm). A person takes the survey
 * of one service at most once per period.
 */
import { DateTime } from 'luxon';

/** Lengths that divide the year into equal blocks. */
export const PERIOD_MONTHS = [1, 2, 3, 4, 6, 12] as const;

/** A survey period. */
export interface SurveyPeriod {
  /** `YYYY-MM` of its first month, e.g. `2026-10`. */
  key: string;
  from: Date;
  /** Exclusive end. */
  to: Date;
}

/** The period holding `at`. */
export function periodOf(at: Date, months: number, tz: string): SurveyPeriod {
  if (!(PERIOD_MONTHS as readonly number[]).includes(months)) throw new RangeError(`period must be one of ${PERIOD_MONTHS.join(', ')} months, got ${months}`);
  const local = DateTime.fromJSDate(at, { zone: tz });
  const startMonth = Math.floor((local.month - 1) / months) * months + 1;
  const from = DateTime.fromObject({ year: local.year, month: startMonth, day: 1 }, { zone: tz });
  const to = from.plus({ months });
  return { key: from.toFormat('yyyy-MM'), from: from.toJSDate(), to: to.toJSDate() };
}

/** The period with the given key (`YYYY-MM` of a first month), or null when it is not one. */
export function periodByKey(key: string, months: number, tz: string): SurveyPeriod | null {
  const m = /^(\d{4})-(\d{2})$/.exec(key.trim());
  if (!m) return null;
  const dt = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: tz });
  if (!dt.isValid) return null;
  const p = periodOf(dt.toJSDate(), months, tz);
  return p.key === key.trim() ? p : null;
}

/** "Okt–Des 2026" (Indonesian month names), or "Nov 2026" for one month. */
export function periodLabel(p: SurveyPeriod, tz: string): string {
  const from = DateTime.fromJSDate(p.from, { zone: tz }).setLocale('id');
  const last = DateTime.fromJSDate(new Date(p.to.getTime() - 1), { zone: tz }).setLocale('id');
  if (from.month === last.month && from.year === last.year) return from.toFormat('LLL yyyy');
  return from.year === last.year ? `${from.toFormat('LLL')}–${last.toFormat('LLL yyyy')}` : `${from.toFormat('LLL yyyy')}–${last.toFormat('LLL yyyy')}`;
}

/** The period before `p`. */
export function previousPeriod(p: SurveyPeriod, months: number, tz: string): SurveyPeriod {
  return periodOf(new Date(p.from.getTime() - 1), months, tz);
}
