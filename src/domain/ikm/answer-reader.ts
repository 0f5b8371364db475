/**
 * Reads a typed answer to one survey element on the four-point scale: the number ("3", "3/4",
 * "nilai 4"), the element's own answer words ("sangat mudah", "gratis"), or the general words
 * people use for it ("baik" 3, "sangat baik" / "puas banget" 4, "kurang" 2, "buruk" / "tidak puas" 1).
 * Anything else is not an answer (undefined), so the step can ask again or the engine can route it.
 */

/** A scale of four answer titles (value = index + 1), in one or both languages. */
export type AnswerTitles = ReadonlyArray<{ id: string; en: string }>;

function simple(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}\s/]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** General satisfaction words, longest first so "sangat baik" wins over "baik". */
const GENERAL: ReadonlyArray<readonly [string, number]> = [
  ['sangat tidak puas', 1],
  ['sangat buruk', 1],
  ['sangat baik', 4],
  ['sangat puas', 4],
  ['sangat bagus', 4],
  ['baik sekali', 4],
  ['puas sekali', 4],
  ['puas banget', 4],
  ['bagus banget', 4],
  ['baik banget', 4],
  ['mantap', 4],
  ['excellent', 4],
  ['very good', 4],
  ['tidak baik', 1],
  ['tidak puas', 1],
  ['tidak bagus', 1],
  ['gak puas', 1],
  ['ga puas', 1],
  ['nggak puas', 1],
  ['jelek', 1],
  ['buruk', 1],
  ['poor', 1],
  ['bad', 1],
  ['kurang baik', 2],
  ['kurang puas', 2],
  ['kurang bagus', 2],
  ['kurang', 2],
  ['lumayan', 3],
  ['cukup baik', 3],
  ['baik', 3],
  ['puas', 3],
  ['bagus', 3],
  ['good', 3],
  ['fair', 2],
];

/** The value 1..4 of a typed answer, or undefined when it is not one. */
export function readScaleAnswer(text: string, titles: AnswerTitles): number | undefined {
  const s = simple(text);
  if (!s || s.split(' ').length > 6) return undefined;
  const num = /^(?:nilai |skor |angka )?([1-4])(?: ?\/ ?4)?$/.exec(s);
  if (num) return Number(num[1]);
  // The element's own words, longest first ("sangat sesuai" before "sesuai", "kurang sesuai" too).
  const own = titles
    .flatMap((t, i) => [
      { w: simple(t.id), v: i + 1 },
      { w: simple(t.en), v: i + 1 },
    ])
    .sort((a, b) => b.w.length - a.w.length);
  for (const o of own) if (s === o.w) return o.v;
  for (const o of own) if (o.w.length >= 4 && (` ${s} `).includes(` ${o.w} `)) return o.v;
  for (const [w, v] of GENERAL) if ((` ${s} `).includes(` ${w} `)) return v;
  return undefined;
}
