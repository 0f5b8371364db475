/**
 * The IKM as PermenPANRB No. 14 Tahun 2017 computes it (Lampiran, Bab III "pengolahan data"):
 * NRR per element = Σ values / respondents who answered it; weights 1/9; weighted NRR = Σ NRR/9;
 * IKM = weighted NRR × 25; grade from the conversion table
 *   25.00–64.99 D Tidak Baik · 65.00–76.60 C Kurang Baik · 76.61–88.30 B Baik · 88.31–100.00 A Sangat Baik
 * (the same figures are quoted, e.g., by the Nganjuk open-data IKM dataset
 * https://dashboard.nganjukkab.go.id/… "25-64,99 D, 65-76,6 C, 76,61-88,3 B, 88,31-100 A").
 *
 * The regulation's appendix worked example could not be retrieved from the sources at hand, so the
 * tabulation below is our own, worked by hand in the comments, step by step as the appendix lays
 * it out (respondent × element, total per element, NRR, weighted NRR, IKM, grade).
 */
import { describe, expect, it } from 'vitest';
import { ELEMENT_WEIGHT, gradeOf, round, scoreResponses, weakestElements } from '../../src/domain/ikm/scoring.js';
import { minimumSample } from '../../src/domain/ikm/sample.js';

//            U1 U2 U3 U4 U5 U6 U7 U8 U9
const TABULATION = [
  [4, 4, 3, 4, 3, 3, 4, 3, 3],
  [3, 3, 3, 4, 3, 3, 3, 3, 3],
  [3, 4, 2, 4, 3, 4, 4, 3, 3],
  [4, 3, 3, 4, 4, 3, 4, 3, 2],
];

describe('IKM of a tabulation (PermenPANRB 14/2017, Lampiran Bab III)', () => {
  const score = scoreResponses(TABULATION);

  it('totals and NRR per element: Σ values / respondents', () => {
    // totals: 14 14 11 16 13 13 15 12 11  (4 respondents)
    expect(score.elements.map((e) => e.total)).toEqual([14, 14, 11, 16, 13, 13, 15, 12, 11]);
    expect(score.elements.map((e) => e.nrr)).toEqual([3.5, 3.5, 2.75, 4, 3.25, 3.25, 3.75, 3, 2.75]);
    expect(score.respondents).toBe(4);
  });

  it('weighted NRR with equal weights 1/9, IKM = weighted × 25, grade B Baik', () => {
    // Σ NRR = 29.75; × 1/9 = 3.3056; × 25 = 82.64 → 76.61–88.30 → B (Baik)
    expect(ELEMENT_WEIGHT).toBeCloseTo(0.111, 3);
    expect(round(score.weightedNrr!, 4)).toBe(3.3056);
    expect(round(score.ikm!, 2)).toBe(82.64);
    expect(score.grade).toBe('B');
    // Reports that multiply by the rounded 0.111 get 29.75 × 0.111 × 25 = 82.56: the same grade.
    expect(gradeOf(29.75 * 0.111 * 25)).toBe('B');
  });

  it('per element: NRR × 25 graded on the same table; the weakest first', () => {
    expect(score.elements[3]!.grade).toBe('A'); // biaya 4.00 → 100
    expect(score.elements[2]!.grade).toBe('C'); // waktu 2.75 → 68.75
    expect(weakestElements(score, 3)).toEqual([2, 8, 7]); // waktu 2.75, sarana 2.75, pengaduan 3.00
  });

  it('NRR counts only the respondents who answered the element', () => {
    const s = scoreResponses([
      [4, 4, 4, 4, 4, 4, 4, 4, 4],
      [2, 2, 2, 2, 2, 2, 2, 2, null],
    ]);
    expect(s.elements[8]!.nrr).toBe(4);
    expect(s.elements[0]!.nrr).toBe(3);
  });

  it('no IKM until every element has an answer; no respondents, no score', () => {
    expect(scoreResponses([]).ikm).toBeNull();
    expect(scoreResponses([[4, 4, 4, 4, 4, 4, 4, 4, null]]).ikm).toBeNull();
  });

  it('refuses a value outside the four-point scale', () => {
    expect(() => scoreResponses([[5, 4, 4, 4, 4, 4, 4, 4, 4]])).toThrow(RangeError);
  });

  it('everyone answering 3 ("sesuai", "mudah", …) gives NRR 3.00, IKM 75.00: C Kurang Baik, as the table says', () => {
    const s = scoreResponses([Array(9).fill(3) as number[]]);
    expect(s.ikm).toBe(75);
    expect(s.grade).toBe('C');
  });
});

describe('grade boundaries of the conversion table', () => {
  it.each([
    [25.0, 'D'],
    [64.99, 'D'],
    [65.0, 'C'],
    [76.6, 'C'],
    [76.61, 'B'],
    [88.3, 'B'],
    [88.31, 'A'],
    [100, 'A'],
  ] as const)('%s → %s', (ikm, grade) => {
    expect(gradeOf(ikm)).toBe(grade);
  });

  it('reads the IKM on two decimals, as the table is written (76.605 → 76.61 → B; 76.6049 → C)', () => {
    expect(gradeOf(76.605)).toBe('B');
    expect(gradeOf(76.6049)).toBe('C');
    expect(gradeOf(64.994)).toBe('D');
    expect(gradeOf(64.995)).toBe('C');
  });

  it('the NRR intervals map onto the same grades (2.5996 → D, 2.60 → C, 3.064 → C, 3.0644 → B, 3.532 → B, 3.5324 → A)', () => {
    expect(gradeOf(2.5996 * 25)).toBe('D');
    expect(gradeOf(2.6 * 25)).toBe('C');
    expect(gradeOf(3.064 * 25)).toBe('C');
    expect(gradeOf(3.0644 * 25)).toBe('B');
    expect(gradeOf(3.532 * 25)).toBe('B');
    expect(gradeOf(3.5324 * 25)).toBe('A');
  });
});

describe('minimum sample (Krejcie and Morgan table, referenced by the regulation)', () => {
  it.each([
    [10, 10],
    [50, 44],
    [100, 80],
    [200, 132],
    [500, 217],
    [1000, 278],
    [2000, 322],
    [5000, 357],
    [10000, 370],
    [100000, 384],
    [1000000, 384],
  ])('population %i → %i respondents', (population, sample) => {
    expect(minimumSample(population)).toBe(sample);
  });

  it('refuses a population that is not positive', () => {
    expect(() => minimumSample(0)).toThrow(RangeError);
  });
});

describe('the table agrees with the Krejcie–Morgan formula', () => {
  it('every row is the formula rounded, or up to two respondents above it (the published rounding)', async () => {
    const { KREJCIE_MORGAN } = await import('../../src/domain/ikm/sample.js');
    for (const [N, S] of KREJCIE_MORGAN) {
      const s = (3.841 * N * 0.25) / (0.0025 * (N - 1) + 3.841 * 0.25);
      expect(S - s, `N=${N}`).toBeGreaterThan(-0.6);
      expect(S - s, `N=${N}`).toBeLessThan(1.5);
    }
  });

  it('a population between two rows takes the larger row; fewer than 10 people are all asked', () => {
    expect(minimumSample(1001)).toBe(285);
    expect(minimumSample(7)).toBe(7);
  });
});
