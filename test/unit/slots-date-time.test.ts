import { describe, expect, it } from 'vitest';
import { dateSlot, timeSlot } from '../../src/domain/understanding/slots/index.js';

// Monday 30 November 2026, 10:00 WIB.
const now = new Date('2026-11-30T03:00:00Z');
const tz = 'Asia/Jakarta';

describe('Date slot, in WIB, from Monday 30 November 2026', () => {
  it.each([
    ['hari ini', '2026-11-30'],
    ['besok', '2026-12-01'],
    ['lusa', '2026-12-02'],
    ['Rabu', '2026-12-02'],
    ['senin', '2026-12-07'],
    ['Senin depan', '2026-12-07'],
    ['rabu depan', '2026-12-09'],
    ['jumat ini', '2026-12-04'],
    ['hari minggu', '2026-12-06'],
    ['tgl 12', '2026-12-12'],
    ['tanggal 5', '2026-12-05'],
    ['tgl 1', '2026-12-01'],
    ['tgl 30', '2026-11-30'],
    ['tgl 29', '2026-12-29'],
    ['12/1', '2027-01-12'],
    ['12/12', '2026-12-12'],
    ['12/1/2027', '2027-01-12'],
    ['2027-01-12', '2027-01-12'],
    ['25 Desember', '2026-12-25'],
    ['3 jan 2027', '2027-01-03'],
    ['forumnya besok jam 9 pagi ya', '2026-12-01'],
    ['laporan saya kemarin gimana ya', '2026-11-29'],
    ['banjir lagi semalam', '2026-11-29'],
    ['aduan kulo kala wingi pripun', '2026-11-29'],
    ['td sore ada yg jatuh lagi', '2026-11-30'],
  ])('reads "%s" as %s', (text, date) => {
    expect(dateSlot(text, now, tz)?.date).toBe(date);
  });

  it('turns to the next day at midnight WIB, not UTC', () => {
    // 23:30 WIB on Monday is still Monday 16:30 UTC; "besok" is Tuesday.
    expect(dateSlot('besok', new Date('2026-11-30T16:30:00Z'), tz)?.date).toBe('2026-12-01');
    // 00:30 WIB on Tuesday is Monday 17:30 UTC; "besok" is Wednesday.
    expect(dateSlot('besok', new Date('2026-11-30T17:30:00Z'), tz)?.date).toBe('2026-12-02');
  });

  it.each(['KK saya 3 minggu blm jadi', 'minggu depan', 'tiap malem minggu', 'karaokenya tiap sabtu', 'keruh 3 hari ini', 'skb minggu lalu', 'RT 3/5 banjir', '31/2', 'jam 9'])('finds no date in "%s"', (text) => {
    expect(dateSlot(text, now, tz)).toBeUndefined();
  });
});

describe('Time slot (24-hour)', () => {
  it.each([
    ['jam 9', 9, 0],
    ['jam 9 pagi', 9, 0],
    ['jam 7 malam', 19, 0],
    ['jam 3 sore', 15, 0],
    ['jam 1 siang', 13, 0],
    ['jam 11 siang', 11, 0],
    ['jam 12 malam', 0, 0],
    ['19.30', 19, 30],
    ['09:00 WIB', 9, 0],
    ['pukul 7.30 malam', 19, 30],
    ['besok jam 10', 10, 0],
  ])('reads "%s" as %i:%i', (text, hour, minute) => {
    expect(timeSlot(text)).toMatchObject({ hour, minute });
  });

  it.each(['12/1', 'jam 25', '12.01.2027', 'Rp 50.000', 'besok'])('finds no time in "%s"', (text) => {
    expect(timeSlot(text)).toBeUndefined();
  });
});
