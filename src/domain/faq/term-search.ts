/**
 * An OR search over a static MiniSearch index that remembers each query term's results.
 *
 * MiniSearch scores an OR query as the sum of each term's own results (exact, prefix and fuzzy
 * matches), times the number of query terms a document matched. The index never changes after
 * start-up, so one term's results are the same in every message: "cpns", "syarat" or "daftar" are
 * scored once, not in every message that uses them, and a message costs only its new words.
 */
import type MiniSearch from 'minisearch';

/** One document found, as {@link MiniSearch.search} reports it. */
export interface TermSearchResult {
  id: number;
  score: number;
  /** Document terms that matched (a fuzzy or prefix match names the document's spelling). */
  terms: string[];
  /** Query terms that matched. */
  queryTerms: string[];
}

interface TermHit {
  id: number;
  score: number;
  terms: string[];
}

/** Terms remembered at most; past it the memory starts again (new words are rare). */
const CACHE_LIMIT = 4_000;

/** OR search with per-term memory; `boost` must depend on the term only. */
export class CachedOrSearch<Doc> {
  private readonly cache = new Map<string, TermHit[]>();

  constructor(
    private readonly index: MiniSearch<Doc>,
    private readonly boost: (term: string) => number,
  ) {}

  /** The documents matching any of the terms, best first (as MiniSearch's OR search ranks them). */
  search(terms: string[]): TermSearchResult[] {
    // Plain arrays keyed by the document's position of first appearance: a common word finds
    // hundreds of phrasings, and objects or sets per document would cost more than the scoring.
    const slot = new Map<number, number>();
    const ids: number[] = [];
    const scores: number[] = [];
    const docTerms: string[][] = [];
    const queryTerms: string[][] = [];
    for (const term of terms) {
      if (!term) continue;
      for (const hit of this.termHits(term)) {
        let k = slot.get(hit.id);
        if (k === undefined) {
          k = ids.length;
          slot.set(hit.id, k);
          ids.push(hit.id);
          scores.push(0);
          docTerms.push([]);
          queryTerms.push([]);
        }
        scores[k]! += hit.score;
        const dt = docTerms[k]!;
        for (const t of hit.terms) if (!dt.includes(t)) dt.push(t);
        const qt = queryTerms[k]!;
        if (!qt.includes(term)) qt.push(term);
      }
    }
    const out: TermSearchResult[] = ids.map((id, k) => ({ id, score: scores[k]! * queryTerms[k]!.length, terms: docTerms[k]!, queryTerms: queryTerms[k]! }));
    return out.sort((a, b) => b.score - a.score);
  }

  private termHits(term: string): TermHit[] {
    const hit = this.cache.get(term);
    if (hit) return hit;
    // A one-term query: MiniSearch's score is that term's own score (one matched query term).
    const hits = this.index.search(term, { boostTerm: () => this.boost(term) }).map((r) => ({ id: r.id as number, score: r.score, terms: r.terms }));
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(term, hits);
    return hits;
  }
}
