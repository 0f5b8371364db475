import { describe, expect, it } from 'vitest';
import { streetSlot } from '../../src/domain/understanding/slots/index.js';

describe('Street slot: a street or landmark as written', () => {
  it.each([
    ['lampu jalan di gang sampangan 3 mati udh seminggu', 'gang sampangan 3'],
    ['jalan di Jl. Papandayan berlubang', 'Jl. Papandayan'],
    ['jalan rusak di jalan Menoreh Raya depan SD', 'jalan Menoreh Raya depan SD'],
    ['got mampet di gg. Kenari II, air masuk rumah', 'gg. Kenari II'],
    ['sampah menumpuk dekat masjid At-Taqwa', 'dekat masjid At-Taqwa'],
    ['lampu mati depan SD sejak kemarin', 'depan SD'],
    ['jalane bolong neng ngarep masjid at-taqwa, nyuwun didandani', 'ngarep masjid at-taqwa'],
    ['WC umum di taman sampangan jorok bgt', 'taman sampangan'],
    ['saya warga rt 3 rw 2 bendan ngisor, saluran tersumbat', 'rt 3 rw 2'],
  ])('finds the place in "%s"', (text, street) => {
    expect(streetSlot(text)).toBe(street);
  });

  it.each(['lampu jalan mati', 'mau lapor jalan rusak', 'jalan di depan rumah saya rusak', 'jalan depan rumah saya di Sampangan rusak parah', 'tutup gorong2 di pinggir jalan ilang', 'KK saya belum jadi'])('finds none in "%s"', (text) => {
    expect(streetSlot(text)).toBeUndefined();
  });
});
