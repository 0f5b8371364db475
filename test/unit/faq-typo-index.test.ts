import { describe, expect, it } from 'vitest';
import { editDistance } from '../../src/domain/faq/edit-distance.js';
import { deletionVariants, TypoIndex } from '../../src/domain/faq/typo-index.js';
import { mulberry32 } from '../../src/domain/understanding/corpus.js';

/** The reference: compare with every vocabulary word (what the matcher did before the index). */
function fullScan(vocabulary: string[], word: string, max: number): string | undefined {
  let best = max + 1;
  let result: string | undefined;
  let tie = false;
  for (const cand of vocabulary) {
    const d = editDistance(word, cand, max);
    if (d < best) [best, result, tie] = [d, cand, false];
    else if (d === best && cand !== result) tie = true;
  }
  return best <= max && !tie ? result : undefined;
}

const VOCABULARY = ['pendaftaran', 'persyaratan', 'formasi', 'ijazah', 'akreditasi', 'sanggah', 'pengumuman', 'kelulusan', 'sertifikat', 'pendidikan', 'honorer', 'kontrak', 'jabatan', 'golongan', 'gajian', 'gajinya', 'tahapan', 'tahunan'];

describe('typo index', () => {
  it('lists every string made by deleting up to the given number of letters', () => {
    expect([...deletionVariants('abc', 1)].sort()).toEqual(['ab', 'abc', 'ac', 'bc']);
    expect(deletionVariants('abcd', 2).has('ad')).toBe(true);
  });

  it('corrects one typo in a short word and two in a long one', () => {
    const index = new TypoIndex(VOCABULARY);
    expect(index.closest('fromasi', 1)).toBe('formasi');
    expect(index.closest('pendaftrn', 2)).toBe('pendaftaran');
    expect(index.closest('akreditsai', 2)).toBe('akreditasi');
  });

  it('gives no correction when two words are equally close, or none is close enough', () => {
    const index = new TypoIndex(VOCABULARY);
    expect(index.closest('tahanan', 1)).toBeUndefined(); // tahapan and tahunan are both one edit away
    expect(index.closest('football', 2)).toBeUndefined();
  });

  it('finds exactly what comparing with every vocabulary word finds (2,000 random typos)', () => {
    const rand = mulberry32(7);
    const index = new TypoIndex(VOCABULARY);
    const letters = 'aeinrstgkmpuol';
    for (let n = 0; n < 2000; n += 1) {
      let w = VOCABULARY[Math.floor(rand() * VOCABULARY.length)]!;
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e += 1) {
        const i = Math.floor(rand() * w.length);
        const op = Math.floor(rand() * 4);
        const c = letters[Math.floor(rand() * letters.length)]!;
        if (op === 0) w = w.slice(0, i) + w.slice(i + 1);
        else if (op === 1) w = w.slice(0, i) + c + w.slice(i);
        else if (op === 2) w = w.slice(0, i) + c + w.slice(i + 1);
        else if (i + 1 < w.length) w = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
      }
      const max = w.length >= 8 ? 2 : 1;
      expect(index.closest(w, max), w).toBe(fullScan(VOCABULARY, w, max));
    }
  });
});
