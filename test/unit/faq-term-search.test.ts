import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { CachedOrSearch } from '../../src/domain/faq/term-search.js';

interface Doc {
  id: number;
  text: string;
}

const DOCS: Doc[] = [
  'syarat daftar cpns umur',
  'syarat daftar pppk guru',
  'jadwal tes skd cpns',
  'nilai ambang batas skd cpns',
  'dokumen ijazah hilang daftar',
  'gaji pppk paruh waktu',
  'formasi cpns kota semarang',
  'sanggah hasil seleksi administrasi',
].map((text, id) => ({ id, text }));

function index(): MiniSearch<Doc> {
  const s = new MiniSearch<Doc>({
    fields: ['text'],
    tokenize: (t) => t.split(' '),
    processTerm: (t) => t || null,
    searchOptions: { combineWith: 'OR', prefix: (t: string) => t.length >= 5, fuzzy: (t: string) => (t.length >= 5 ? 1 : false), weights: { fuzzy: 0.35, prefix: 0.5 } },
  });
  s.addAll(DOCS);
  return s;
}

const boost = (t: string): number => (t === 'daftar' ? 0.5 : 1);

describe('OR search that remembers each term', () => {
  const queries = [['syarat', 'cpns'], ['syrat', 'daftar', 'pppk'], ['cpns', 'cpns', 'skd'], ['ijazah', 'ilang'], ['football'], ['gaji', 'pppk', 'formasi', 'semarang', 'sanggah']];

  it('finds the same documents with the same scores, in the same order, as MiniSearch itself', () => {
    const ms = index();
    const cached = new CachedOrSearch(ms, boost);
    for (const q of queries) {
      const expected = ms.search(q.join(' '), { boostTerm: boost });
      const got = cached.search(q);
      expect(got.map((r) => r.id), q.join(' ')).toEqual(expected.map((r) => r.id));
      got.forEach((r, i) => {
        const e = expected[i]!;
        expect(r.score).toBeCloseTo(e.score, 9);
        expect([...r.queryTerms].sort()).toEqual([...e.queryTerms].sort());
        expect([...r.terms].sort()).toEqual([...e.terms].sort());
      });
    }
  });

  it('gives the same answer the second time, from memory', () => {
    const cached = new CachedOrSearch(index(), boost);
    const first = cached.search(['syarat', 'cpns']);
    expect(cached.search(['syarat', 'cpns'])).toEqual(first);
  });
});
