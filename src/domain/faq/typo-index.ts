/**
 * Typo correction lookup: the vocabulary word closest to an unknown word, found through a
 * symmetric-delete index instead of comparing the word with every vocabulary word of a similar
 * length.
 *
 * Why it finds the same words as a full scan: if two words are within `k` edits (insertions,
 * deletions, substitutions, adjacent transpositions), deleting at most `k` letters from each
 * leaves a common string (a substitution or a transposition is one deletion on each side, an
 * insertion one deletion on the longer side). So every word within the distance shares a
 * deletion variant with the query; the candidates are then checked with the exact distance.
 */
import { editDistance } from './edit-distance.js';

/** Longest distance a correction may have (words of 8 letters or more). */
const MAX_DISTANCE = 2;

/** Every string made by deleting up to `max` letters from `word` (the word itself included). */
export function deletionVariants(word: string, max: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < max; d += 1) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i += 1) {
        const v = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** The vocabulary, indexed by deletion variants. */
export class TypoIndex {
  private readonly byVariant = new Map<string, string[]>();

  constructor(vocabulary: Iterable<string>) {
    for (const word of vocabulary) {
      for (const v of deletionVariants(word, MAX_DISTANCE)) {
        const list = this.byVariant.get(v);
        if (list) list.push(word);
        else this.byVariant.set(v, [word]);
      }
    }
  }

  /**
   * The one vocabulary word closest to `word` within `max` edits (at most 2), or `undefined`
   * when none is that close or several are equally close.
   */
  closest(word: string, max: number): string | undefined {
    const limit = Math.min(max, MAX_DISTANCE);
    let best = limit + 1;
    let result: string | undefined;
    let tie = false;
    const seen = new Set<string>();
    for (const v of deletionVariants(word, limit)) {
      for (const cand of this.byVariant.get(v) ?? []) {
        if (seen.has(cand)) continue;
        seen.add(cand);
        const d = editDistance(word, cand, limit);
        if (d < best) {
          best = d;
          result = cand;
          tie = false;
        } else if (d === best) {
          tie = true;
        }
      }
    }
    return best <= limit && !tie ? result : undefined;
  }
}
