/**
 * The rating slot (1–5), read when the whole message is a rating: "5", "4/5", "nilai 4",
 * "bintang 5", "⭐⭐⭐", "lima", "5 bintang mantap".
 */
import { words } from './text.js';

const NUMBER_WORDS: Record<string, number> = { satu: 1, siji: 1, one: 1, dua: 2, loro: 2, two: 2, tiga: 3, telu: 3, three: 3, empat: 4, papat: 4, four: 4, lima: 5, limo: 5, five: 5 };
const AROUND = new Set(['nilai', 'nilainya', 'skor', 'score', 'rating', 'bintang', 'star', 'stars', 'saya', 'beri', 'kasih', 'kasi', 'aku', 'dari', 'deh', 'aja', 'saja', 'ya', 'kak', 'min', 'pak', 'bu', 'mantap', 'mantab', 'sip', 'oke', 'ok', 'terima', 'kasih', 'makasih', 'thanks', 'give', 'i', 'it']);

/** The rating 1–5 the message gives, or undefined when it is not (only) a rating. */
export function ratingSlot(text: string): number | undefined {
  const stars = [...text.matchAll(/⭐|★/gu)].length;
  const rest = text.replace(/⭐|★/gu, ' ');
  const w = words(rest.replace(/(\d)\s*\/\s*5\b/, '$1'));
  if (stars >= 1 && stars <= 5 && w.every((x) => AROUND.has(x))) return stars;
  const values = w.filter((x) => !AROUND.has(x));
  if (values.length !== 1) return undefined;
  const v = values[0]!;
  const n = /^\d$/.test(v) ? Number(v) : NUMBER_WORDS[v];
  return n !== undefined && n >= 1 && n <= 5 ? n : undefined;
}
