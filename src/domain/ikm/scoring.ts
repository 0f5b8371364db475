/**
 * The Indeks Kepuasan Masyarakat, computed as PermenPANRB No. 14 Tahun 2017 says (Lampiran,
 * Bab III, "pengolahan data"):
 *
 * - NRR (nilai rata-rata) per element = total of the perception values (1..4) given to that
 *   element / number of respondents who answered it;
 * - equal weights: jumlah bobot / jumlah unsur = 1/9 (≈ 0.111) per element;
 * - weighted NRR = Σ NRR × 1/9 (the "nilai indeks", 1.00..4.00);
 * - IKM = weighted NRR × 25 (25.00..100.00);
 * - the conversion table (nilai persepsi, interval NRR, interval konversi IKM, mutu, kinerja):
 *     1  1.00–2.5996   25.00–64.99   D  Tidak baik
 *     2  2.60–3.064    65.00–76.60   C  Kurang baik
 *     3  3.0644–3.532  76.61–88.30   B  Baik
 *     4  3.5324–4.00   88.31–100.00  A  Sangat baik
 *
 * Weights: this uses the exact 1/9. Reports that multiply by the rounded 0.111 get 0.999 of it
 * (at most 0.1 point lower); the grade boundaries are read on the IKM rounded to two decimals, as
 * the table is written (so 76.605 counts as 76.61, grade B).
 * Pure functions: no database, no clock.
 */

/** Number of elements (unsur) of the regulation. */
export const ELEMENT_COUNT = 9;
/** Each element's weight: 1/9. */
export const ELEMENT_WEIGHT = 1 / ELEMENT_COUNT;

export type Grade = 'A' | 'B' | 'C' | 'D';

/** Quality of service (mutu pelayanan) and performance (kinerja unit pelayanan) per grade. */
export const GRADE_LABEL: Record<Grade, { id: string; en: string }> = {
  A: { id: 'Sangat Baik', en: 'Very good' },
  B: { id: 'Baik', en: 'Good' },
  C: { id: 'Kurang Baik', en: 'Fair' },
  D: { id: 'Tidak Baik', en: 'Poor' },
};

/** Lower bounds of the interval konversi IKM (the table above), best first. */
export const GRADE_FLOORS: ReadonlyArray<{ grade: Grade; from: number }> = [
  { grade: 'A', from: 88.31 },
  { grade: 'B', from: 76.61 },
  { grade: 'C', from: 65.0 },
  { grade: 'D', from: 25.0 },
];

/** One respondent's answers: a value 1..4 per element, `null` where not answered. */
export type AnswerRow = ReadonlyArray<number | null>;

/** Rounds half away from zero to `digits` decimals (avoids 76.605 → 76.60 from binary floats). */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.sign(n) * Math.round(Math.abs(n) * f + 1e-9) / f;
}

/** The grade of an IKM value (25..100), read on its two-decimal rounding. */
export function gradeOf(ikm: number): Grade {
  const v = round(ikm, 2);
  for (const g of GRADE_FLOORS) if (v >= g.from) return g.grade;
  return 'D';
}

/** Per element: the total of its values, how many answered it, and its NRR (null when nobody did). */
export interface ElementScore {
  total: number;
  answered: number;
  nrr: number | null;
  /** NRR × 1/9. */
  weighted: number | null;
  /** NRR × 25 and its grade: how this element alone would rate. */
  ikm: number | null;
  grade: Grade | null;
}

/** The score of a set of responses. */
export interface IkmScore {
  respondents: number;
  elements: ElementScore[];
  /** Σ NRR × 1/9 (null until every element has at least one answer). */
  weightedNrr: number | null;
  ikm: number | null;
  grade: Grade | null;
}

/** Validates one answer value. */
function value(v: number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (!Number.isInteger(v) || v < 1 || v > 4) throw new RangeError(`an answer must be 1..4, got ${v}`);
  return v;
}

/** NRR per element, weighted NRR, IKM and grade of the given rows (respondent × element). */
export function scoreResponses(rows: ReadonlyArray<AnswerRow>): IkmScore {
  const elements: ElementScore[] = [];
  for (let i = 0; i < ELEMENT_COUNT; i++) {
    let total = 0;
    let answered = 0;
    for (const r of rows) {
      const v = value(r[i]);
      if (v === null) continue;
      total += v;
      answered += 1;
    }
    const nrr = answered > 0 ? total / answered : null;
    const ikm = nrr === null ? null : nrr * 25;
    elements.push({ total, answered, nrr, weighted: nrr === null ? null : nrr * ELEMENT_WEIGHT, ikm, grade: ikm === null ? null : gradeOf(ikm) });
  }
  const complete = elements.every((e) => e.nrr !== null);
  const weightedNrr = complete ? elements.reduce((s, e) => s + (e.weighted ?? 0), 0) : null;
  const ikm = weightedNrr === null ? null : weightedNrr * 25;
  return { respondents: rows.length, elements, weightedNrr, ikm, grade: ikm === null ? null : gradeOf(ikm) };
}

/** Indices of the weakest elements (lowest NRR first; ties in the regulation's order). */
export function weakestElements(score: IkmScore, n = 3): number[] {
  return score.elements
    .map((e, i) => ({ i, nrr: e.nrr }))
    .filter((e): e is { i: number; nrr: number } => e.nrr !== null)
    .sort((a, b) => a.nrr - b.nrr || a.i - b.i)
    .slice(0, n)
    .map((e) => e.i);
}
