import { describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { forumCalendar } from '../../src/domain/forums/calendar.js';
import { toCsv } from '../../src/domain/forums/csv.js';
import { cleanInput, normalisePhone } from '../../src/domain/forums/input.js';
import { typedKelurahan } from '../../flows/forums/common.js';
import { finalFailure, retryDelayMs } from '../../src/domain/forums/reminder-delivery.js';
import { formatWhen, parseClock, parseDay, parseDurationMinutes, toInstant } from '../../src/domain/forums/wib-time.js';

const TZ = 'Asia/Jakarta';
const NOW = new Date('2026-11-30T02:00:00Z'); // Monday 09:00 WIB

describe('forum dates typed by staff (WIB)', () => {
  it('reads day/month[/year], ISO dates and Indonesian month names', () => {
    expect(parseDay('7/12/2026', NOW, TZ)).toEqual({ ok: true, value: { year: 2026, month: 12, day: 7 } });
    expect(parseDay('2026-12-07', NOW, TZ)).toEqual({ ok: true, value: { year: 2026, month: 12, day: 7 } });
    expect(parseDay('7 Desember 2026', NOW, TZ)).toEqual({ ok: true, value: { year: 2026, month: 12, day: 7 } });
  });

  it('refuses days that do not exist and days in the past', () => {
    expect(parseDay('31/02', NOW, TZ)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseDay('29/11/2026', NOW, TZ)).toEqual({ ok: false, reason: 'past' });
    expect(parseDay('besok lusa', NOW, TZ)).toEqual({ ok: false, reason: 'format' });
  });

  it('takes a day without a year as the next such day', () => {
    expect(parseDay('15/1', NOW, TZ)).toEqual({ ok: true, value: { year: 2027, month: 1, day: 15 } });
  });

  it('reads 24-hour times and durations, and converts WIB to UTC', () => {
    expect(parseClock('09.30')).toEqual({ ok: true, value: { hour: 9, minute: 30 } });
    expect(parseClock('jam 19:00')).toEqual({ ok: true, value: { hour: 19, minute: 0 } });
    expect(parseClock('25.00')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseDurationMinutes('2 jam')).toBe(120);
    expect(parseDurationMinutes('1,5 jam')).toBe(90);
    expect(parseDurationMinutes('90 menit')).toBe(90);
    expect(toInstant({ year: 2026, month: 12, day: 7 }, { hour: 9, minute: 0 }, TZ).toISOString()).toBe('2026-12-07T02:00:00.000Z');
    expect(formatWhen(new Date('2026-12-07T02:00:00Z'), 'id', TZ)).toBe('Senin, 7 Desember 2026 pukul 09.00 WIB');
  });
});

describe('forum calendar file (RFC 5545)', () => {
  const forum = {
    _id: new Types.ObjectId('6b0b4c80fa615a0f671d39a8'),
    title: 'Forum Warga, Sampangan; "Drainase"',
    topic: 'Genangan di Jl. Menoreh',
    venue: 'Aula Kelurahan Sampangan',
    startAt: new Date('2026-12-07T02:00:00Z'),
    durationMinutes: 90,
    sequence: 2,
    status: 'scheduled' as const,
  };

  it('has a stable UID, a DTSTAMP, WIB times with their VTIMEZONE, the sequence and CRLF lines', () => {
    const ics = forumCalendar(forum, NOW, { tz: TZ, registrationCode: 'FW-ABC234' });
    expect(ics).toContain('UID:forum-6b0b4c80fa615a0f671d39a8@sapa-gajahmungkur\r\n');
    expect(ics).toContain('DTSTAMP:20261130T020000Z\r\n');
    expect(ics).toContain('DTSTART;TZID=Asia/Jakarta:20261207T090000\r\n');
    expect(ics).toContain('DTEND;TZID=Asia/Jakarta:20261207T103000\r\n');
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:Asia/Jakarta\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700');
    expect(ics).toContain('SEQUENCE:2\r\n');
    expect(ics).toContain('SUMMARY:Forum Warga\\, Sampangan\\; "Drainase"');
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });
});

describe('registrants CSV', () => {
  it('is UTF-8 with a BOM, quotes every cell and defuses spreadsheet formulas', () => {
    const bytes = toCsv(['nama', 'catatan'], [['Sri Rahayu', '=HYPERLINK("x")'], ['Budi "Bud"', null]]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1)).toBe('"nama","catatan"\r\n"Sri Rahayu","\'=HYPERLINK(""x"")"\r\n"Budi ""Bud""",""\r\n');
  });
});

describe('what residents type', () => {
  it('is kept as written, without control characters, within limits', () => {
    expect(cleanInput('  Siti\u0000 Aminah\u200b ', { max: 80 })).toEqual({ ok: true, value: 'Siti Aminah' });
    expect(cleanInput('x'.repeat(81), { max: 80 })).toMatchObject({ ok: false, reason: 'tooLong' });
    expect(normalisePhone('0812-3456-7890')).toBe('6281234567890');
    expect(normalisePhone('+62 812 3456 7890')).toBe('6281234567890');
    expect(normalisePhone('12345')).toBeUndefined();
    expect(typedKelurahan('kel. bendan duwur')).toBe('Bendan Duwur');
    expect(typedKelurahan('bendan')).toBeUndefined(); // ambiguous: Duwur or Ngisor
  });
});

describe('reminder failures', () => {
  it('never retries a blocked contact, a closed WhatsApp window or a refused message; retries the rest with backoff', () => {
    expect(finalFailure('403')).toBe('blocked');
    expect(finalFailure('131047')).toBe('outside-window');
    expect(finalFailure('131026')).toBe('undeliverable');
    expect(finalFailure('500')).toBeUndefined();
    expect(finalFailure('429')).toBeUndefined();
    expect(retryDelayMs(1, 300_000)).toBe(300_000);
    expect(retryDelayMs(3, 300_000)).toBe(1_200_000);
    expect(retryDelayMs(10, 300_000)).toBe(7_200_000);
  });
});
