import { describe, expect, it } from 'vitest';
import { personSlot, ratingSlot, ticketSlot } from '../../src/domain/understanding/slots/index.js';

describe('Ticket slot', () => {
  it('reads a full ticket number however it is spaced', () => {
    expect(ticketSlot('cek GJM-2026-00042')).toMatchObject({ number: 'GJM-2026-00042', seq: 42 });
    expect(ticketSlot('gjm 2026 42 gimana?')).toMatchObject({ number: 'GJM-2026-00042', seq: 42 });
  });

  it('reads a bare sequence after a ticket word, without guessing the year', () => {
    expect(ticketSlot('tiket 42 udah sampe mana')).toEqual({ seq: 42, text: 'tiket 42' });
    expect(ticketSlot('no tiket #00042')).toMatchObject({ seq: 42 });
    expect(ticketSlot('laporan nomor 7 kok belum')).toMatchObject({ seq: 7 });
  });

  it('finds none in a story with numbers', () => {
    expect(ticketSlot('lampu mati 3 hari di RT 04')).toBeUndefined();
  });
});

describe('Rating slot: a message that is a rating', () => {
  it.each([
    ['5', 5],
    ['4/5', 4],
    ['nilai 4', 4],
    ['bintang 5', 5],
    ['⭐⭐⭐', 3],
    ['lima', 5],
    ['2', 2],
    ['5 mantap', 5],
  ])('reads "%s" as %i', (text, n) => {
    expect(ratingSlot(text)).toBe(n);
  });

  it.each(['6', '0', '2 minggu lalu', 'jalan rusak 5 meter', 'makasih'])('is no rating: "%s"', (text) => {
    expect(ratingSlot(text)).toBeUndefined();
  });
});

describe('Person slot', () => {
  it.each([
    ['daftarin bapak saya pak Slamet ke musrenbang', 'pak Slamet'],
    ['bu Sri Wahyuni mau ikut', 'bu Sri Wahyuni'],
    ['nama saya Budi Santoso', 'Budi Santoso'],
    ['atas nama Dewi, RT 3', 'Dewi'],
  ])('finds the name in "%s"', (text, name) => {
    expect(personSlot(text)).toBe(name);
  });

  it.each(['pak lurah judes', 'tolong ya pak', 'lampu jalan mati'])('finds none in "%s"', (text) => {
    expect(personSlot(text)).toBeUndefined();
  });
});
