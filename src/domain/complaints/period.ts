/**
 * Periods staff ask for when exporting ("bulan ini", "2026-11", "2026-11-01 2026-11-30"),
 * as instants in the display zone: `from` inclusive, `to` exclusive.
 */
import { DateTime } from 'luxon';

export interface Period {
  from: Date;
  to: Date;
  /** For the file name, e.g. `2026-11-01_2026-11-30`. */
  label: string;
}

function period(from: DateTime, toExclusive: DateTime): Period {
  return { from: from.toJSDate(), to: toExclusive.toJSDate(), label: `${from.toISODate()}_${toExclusive.minus({ days: 1 }).toISODate()}` };
}

/** Reads a period, or null when the text names none. */
export function parsePeriod(raw: string, now: Date, tz: string): Period | null {
  const s = raw.toLowerCase().trim().replace(/\s+/g, ' ');
  const today = DateTime.fromJSDate(now).setZone(tz).startOf('day');
  if (/^(bulan ini|this month|this-month)$/.test(s)) return period(today.startOf('month'), today.plus({ days: 1 }));
  if (/^(bulan lalu|last month|last-month)$/.test(s)) return period(today.startOf('month').minus({ months: 1 }), today.startOf('month'));
  const days = /^(\d{1,3}) ?(hari|days?|d)( terakhir)?$/.exec(s);
  if (days) {
    const n = Number(days[1]);
    if (n >= 1 && n <= 366) return period(today.minus({ days: n - 1 }), today.plus({ days: 1 }));
  }
  const month = /^(\d{4})-(\d{2})$/.exec(s);
  if (month) {
    const start = DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]), day: 1 }, { zone: tz });
    if (start.isValid) return period(start, start.plus({ months: 1 }));
  }
  const range = /^(\d{4}-\d{2}-\d{2})(?: ?(?:-|s\/d|sd|sampai|to|until|\.\.) ?| )(\d{4}-\d{2}-\d{2})$/.exec(s);
  if (range) {
    const a = DateTime.fromISO(range[1]!, { zone: tz });
    const b = DateTime.fromISO(range[2]!, { zone: tz });
    if (a.isValid && b.isValid && b >= a && b.diff(a, 'days').days <= 731) return period(a, b.plus({ days: 1 }));
  }
  const day = /^(\d{4}-\d{2}-\d{2})$/.exec(s);
  if (day) {
    const a = DateTime.fromISO(day[1]!, { zone: tz });
    if (a.isValid) return period(a, a.plus({ days: 1 }));
  }
  return null;
}
