/**
 * Turns a message into the sparse features both classifiers read, with the project's Indonesian
 * normalisation in front (slang, repeated letters, Sastrawi stemming, synonyms):
 *
 * - `w:` canonical terms (stemmed, synonyms unified, stop-words dropped);
 * - `b:` pairs of neighbouring canonical terms;
 * - `r:` the words as written (cleaned) and after slang expansion, stop-words and fillers kept ("saya",
 *   "kemarin", "kuwi" say a lot about intent even when they say nothing about a topic);
 * - `c:` character trigrams of each written word, which survive typos and unknown spellings;
 * - `k:` cue-word groups (a problem, "I want to report", a place, a question, a forum, the progress of a report, one's own report).
 */
import { detectLanguage } from '../faq/language.js';
import { cuesOf } from './cue-words.js';
import { cleanText, defaultLexicon, normalizeTokens, surfaceWords, type Lexicon } from '../faq/normalize.js';

/** Feature name → weight (L2-normalised). */
export type FeatureVector = Map<string, number>;

/** Relative weight of each feature group (tuned on the dev split). */
export interface FeatureWeights {
  term: number;
  bigram: number;
  raw: number;
  char: number;
  /** Cue-word groups ({@link cuesOf}). */
  cue: number;
}

export const DEFAULT_FEATURE_WEIGHTS: Readonly<FeatureWeights> = Object.freeze({ term: 1.5, bigram: 0.5, raw: 1, char: 0.5, cue: 1 });

/** Features of one message. */
export function featuresOf(text: string, weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS, lexicon: Lexicon = defaultLexicon()): FeatureVector {
  const f: FeatureVector = new Map();
  const add = (k: string, w: number) => {
    if (w > 0) f.set(k, Math.max(f.get(k) ?? 0, w));
  };
  const lang = detectLanguage(text);
  const terms = normalizeTokens(text, { lang, lexicon, keepDuplicates: true });
  for (const t of terms) add(`w:${t}`, weights.term);
  for (let i = 1; i < terms.length; i += 1) add(`b:${terms[i - 1]}_${terms[i]}`, weights.bigram);
  const cleaned = cleanText(text);
  const raw = cleaned ? [...cleaned.split(' '), ...surfaceWords(text, lexicon)] : [];
  for (const w of raw) add(`r:${w}`, weights.raw);
  for (const w of cleaned.split(' ')) {
    if (!w) continue;
    const padded = `<${w}>`;
    for (let i = 0; i + 3 <= padded.length; i += 1) add(`c:${padded.slice(i, i + 3)}`, weights.char);
  }
  for (const c of cuesOf(text)) add(c, weights.cue);
  if (terms.length === 0 && raw.length === 0) add('empty', 1);
  let norm = 0;
  for (const v of f.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of f) f.set(k, v / norm);
  return f;
}
