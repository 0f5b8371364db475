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

/** FNV-1a over the string's UTF-16 code units: 32 bits. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The vocabulary, indexed by deletion variants.
 *
 * Kept compact: not a map from each variant string to its words (a few hundred thousand short
 * strings and arrays, ~20 MB of heap for the FAQ's vocabulary), but two typed arrays — each
 * (variant hash, word) pair, sorted by hash — searched by bisection. Two variants with the same
 * hash only add candidates, and every candidate is checked with the exact distance, so a hash
 * collision never changes an answer.
 */
export class TypoIndex {
  private readonly words: string[];
  private readonly hashes: Uint32Array;
  private readonly owners: Uint32Array;

  constructor(vocabulary: Iterable<string>) {
    this.words = [...new Set(vocabulary)];
    const perWord = this.words.map((word) => Uint32Array.from(deletionVariants(word, MAX_DISTANCE), hash32));
    // hash · 2^21 + word index is exact in a double (53 bits) for up to 2^21 words: one numeric sort.
    if (this.words.length >= 2 ** 21) throw new RangeError('typo index: vocabulary too large');
    const packed = new Float64Array(perWord.reduce((n, h) => n + h.length, 0));
    let k = 0;
    perWord.forEach((hashes, word) => {
      for (const h of hashes) packed[k++] = h * 2 ** 21 + word;
    });
    packed.sort();
    this.hashes = new Uint32Array(packed.length);
    this.owners = new Uint32Array(packed.length);
    for (let i = 0; i < packed.length; i += 1) {
      const word = packed[i]! % 2 ** 21;
      this.owners[i] = word;
      this.hashes[i] = (packed[i]! - word) / 2 ** 21;
    }
  }

  /** Vocabulary words with a deletion variant hashing to `h`. */
  private *wordsAt(h: number): Generator<string> {
    let lo = 0;
    let hi = this.hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.hashes.length && this.hashes[i] === h; i += 1) yield this.words[this.owners[i]!]!;
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
      for (const cand of this.wordsAt(hash32(v))) {
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
