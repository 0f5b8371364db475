import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/domain/complaints/csv-export.js';
import { parsePeriod } from '../../src/domain/complaints/period.js';
import { charLength, cleanText, findTicket, formatTicket, sameTextHash } from '../../src/domain/complaints/text.js';
import { WorkingDayCalendar } from '../../src/domain/complaints/working-days.js';

const TZ = 'Asia/Jakarta';
const wib = (iso: string) => DateTime.fromISO(iso, { zone: TZ }).toJSDate();
const asWib = (d: Date) => DateTime.fromJSDate(d).setZone(TZ).toFormat("yyyy-MM-dd'T'HH:mm");

describe('working-day targets', () => {
  const cal = new WorkingDayCalendar(['2026-12-25'], TZ);

  it('ends at midnight after the n-th working day following the day of filing', () => {
    // Monday 09:00 → three working days → end of Thursday.
    expect(asWib(cal.dueAfter(wib('2026-11-30T09:00'), 3))).toBe('2026-12-04T00:00');
  });

  it('skips weekends', () => {
    // Thursday → Fri, Mon, Tue.
    expect(asWib(cal.dueAfter(wib('2026-12-03T16:00'), 3))).toBe('2026-12-09T00:00');
    // Saturday → Mon, Tue, Wed.
    expect(asWib(cal.dueAfter(wib('2026-12-05T10:00'), 3))).toBe('2026-12-10T00:00');
  });

  it('skips configured holidays', () => {
    // Wednesday 23 Dec → Thu 24, (Fri 25 holiday), Mon 28, Tue 29.
    expect(asWib(cal.dueAfter(wib('2026-12-23T10:00'), 3))).toBe('2026-12-30T00:00');
  });

  it('counts the day in the display zone, not in UTC', () => {
    // 23:30 WIB on Monday is still Monday in WIB (16:30 UTC).
    expect(asWib(cal.dueAfter(wib('2026-11-30T23:30'), 1))).toBe('2026-12-02T00:00');
  });
});


describe('ticket numbers and texts', () => {
  it('formats and finds ticket numbers however they are typed', () => {
    expect(formatTicket(2026, 42)).toBe('GJM-2026-00042');
    expect(formatTicket(2026, 123456)).toBe('GJM-2026-123456');
    expect(findTicket('cek gjm 2026 42 ya')).toBe('GJM-2026-00042');
    expect(findTicket('status GJM-2026-00042')).toBe('GJM-2026-00042');
    expect(findTicket('cek {"$ne": 1}')).toBeNull();
  });

  it('removes control characters but keeps what was written', () => {
    expect(cleanText('  Jalan\u0000 rusak\u0007\r\nparah  ')).toBe('Jalan rusak\nparah');
    expect(charLength('👍🏽 rusak')).toBe(8);
  });

  it('treats texts differing only in case and punctuation as the same', () => {
    expect(sameTextHash('Lampu jalan mati!')).toBe(sameTextHash('lampu   jalan mati'));
    expect(sameTextHash('Lampu jalan mati')).not.toBe(sameTextHash('Lampu jalan menyala'));
  });
});

describe('CSV cells', () => {
  it('quotes separators, quotes and newlines', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('kata "rusak"')).toBe('"kata ""rusak"""');
    expect(csvCell('baris\nbaru')).toBe('"baris\nbaru"');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+62812')).toBe("'+62812");
  });
});

describe('export periods', () => {
  const now = wib('2026-11-18T10:00');
  const span = (s: string) => {
    const p = parsePeriod(s, now, TZ);
    return p ? `${asWib(p.from)}..${asWib(p.to)}` : null;
  };

  it('reads months, ranges, days and words', () => {
    expect(span('2026-10')).toBe('2026-10-01T00:00..2026-11-01T00:00');
    expect(span('2026-11-01 2026-11-15')).toBe('2026-11-01T00:00..2026-11-16T00:00');
    expect(span('2026-11-01 s/d 2026-11-15')).toBe('2026-11-01T00:00..2026-11-16T00:00');
    expect(span('bulan ini')).toBe('2026-11-01T00:00..2026-11-19T00:00');
    expect(span('bulan lalu')).toBe('2026-10-01T00:00..2026-11-01T00:00');
    expect(span('7 hari')).toBe('2026-11-12T00:00..2026-11-19T00:00');
  });

  it('refuses what is not a period', () => {
    expect(span('kemarin sore')).toBeNull();
    expect(span('2026-11-15 2026-11-01')).toBeNull();
    expect(span('2026-13')).toBeNull();
  });
});
