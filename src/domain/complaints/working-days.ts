/**
 * Service targets counted in working days: weekends and configured holidays (dates in the
 * display zone) do not count. A target of N working days ends at midnight after the N-th working
 * day following the day the complaint came in.
 */
import { DateTime } from 'luxon';

export class WorkingDayCalendar {
  private readonly holidays: ReadonlySet<string>;

  /** `holidays`: `YYYY-MM-DD` dates in `tz`. */
  constructor(holidays: readonly string[], private readonly tz: string) {
    this.holidays = new Set(holidays);
  }

  isWorkingDay(day: DateTime): boolean {
    return day.weekday <= 5 && !this.holidays.has(day.toISODate() ?? '');
  }

  /** End (exclusive, as an instant) of the `n`-th working day after the day of `from`. */
  dueAfter(from: Date, n: number): Date {
    let day = DateTime.fromJSDate(from).setZone(this.tz).startOf('day');
    let counted = 0;
    while (counted < n) {
      day = day.plus({ days: 1 });
      if (this.isWorkingDay(day)) counted++;
    }
    return day.plus({ days: 1 }).toJSDate();
  }

  /** Start of the day of `at` in the display zone (for "per day" limits). */
  startOfDay(at: Date): Date {
    return DateTime.fromJSDate(at).setZone(this.tz).startOf('day').toJSDate();
  }
}
