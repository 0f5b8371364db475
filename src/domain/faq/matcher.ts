/**
 * FAQ question matcher: ranks knowledge-base entries for a chat message with
 * MiniSearch (BM25+, fuzzy and prefix search) over every entry's normalised
 * phrasings (both languages), title and keywords, then decides between
 * answering, offering 2–3 choices, or declining (out of scope).
 *
 * Decision, in order:
 *  1. follow-up: with a previous entry, a message that only names a track
 *     ("kalau PPPK?", "and for CPNS?") resolves to the sibling entry
 *     (same `topic`, named `track`);
 *  2. domain gate: the message must contain recruitment vocabulary (a strong
 *     term such as CPNS/SKD/formasi, or only words the knowledge base knows,
 *     none of them from another domain such as SIM, passport, football);
 *  3. ranking: per entry, the best-scoring phrasing; entries of the other
 *     track are penalised when the message names one track;
 *  4. confidence: the IDF-weighted share of the message's terms that the top
 *     entry explains (coverage) must reach a threshold;
 *  5. margin: when runners-up score within a ratio of the top one, the answer
 *     is ambiguous and the 2–3 close entries are offered.
 */
import MiniSearch from 'minisearch';
import { CachedOrSearch } from './term-search.js';
import type { FaqEntry, Lang } from './types.js';
import { detectLanguage } from './language.js';
import { TypoIndex } from './typo-index.js';
import { defaultLexicon, isIndonesianWord, normalizeTokens, surfaceWords, type Lexicon } from './normalize.js';

/** Result of {@link FaqIndex.match}. */
export type FaqMatch =
  | { kind: 'answer'; entry: FaqEntry; score: number; lang: Lang }
  | { kind: 'ambiguous'; candidates: FaqEntry[] /* 2..3 */; lang: Lang }
  | { kind: 'out_of_scope'; lang: Lang };

/** Conversation context for {@link FaqIndex.match}. */
export interface MatchContext {
  /** Reply language chosen by the user; defaults to the detected language of the message. */
  lang?: Lang;
  /** Entry answered just before, for follow-ups such as "kalau PPPK?". */
  previousEntryId?: string;
}

/** Tunable decision thresholds (defaults tuned on `test/fixtures/faq-eval.json`). */
export interface MatchThresholds {
  /** Minimum IDF-weighted share of the message's terms explained by the top entry (0..1). */
  minCoverage: number;
  /** Minimum coverage when the message has no strong recruitment term. */
  minCoverageWeak: number;
  /** Runner-up score / top score at or above which the match is ambiguous. */
  ambiguityRatio: number;
  /** Score multiplier for entries of the other track when the message names one track. */
  trackPenalty: number;
  /**
   * Extra multiplier (on top of {@link MatchThresholds.trackPenalty}) for an
   * other-track entry whose topic has a sibling in the named track: the
   * sibling exists precisely to answer that track ("alur seleksi p3k" must not
   * get the CPNS stages).
   */
  siblingTrackPenalty: number;
  /**
   * Multiplier for PPPK entries that have a CPNS sibling when the message
   * names no track (< 1 reads a bare "masa sanggah?" as the CPNS question).
   * Default 1: a question that fits both tracks and names neither offers both
   * (the tuner finds the figures flat between 0.6 and 1 on both eval sets).
   */
  defaultTrackBias: number;
  /** Share of unknown terms tolerated in a message without strong terms (0..1). */
  maxUnknownShare: number;
  /** Weight of generic intent words (cara, biaya, kapan...) in ranking, relative to topic words. */
  genericWeight: number;
  /** Weight of an entry's second-best phrasing added to its best one. */
  secondDocWeight: number;
  /**
   * How much a phrasing's score depends on the share of ITS terms that the
   * message contains (0 = plain BM25; 1 = fully proportional). Favours the
   * general entry over specific siblings for a general question.
   */
  docCoverageWeight: number;
  /** Weight of the entry-level BM25 score (all phrasings as one document) added to the phrasing score. */
  entryWeight: number;
  /** Ranking score = BM25 aggregate × coverage^coverageExponent. */
  coverageExponent: number;
  /** Weight, relative to the rarest known term, of each unknown word in the coverage denominator. */
  unknownWeight: number;
  /** Coverage weighs terms by IDF^idfPower (0 = all terms equal, 1 = plain IDF). */
  idfPower: number;
}

/** Default thresholds. */
export const DEFAULT_THRESHOLDS: Readonly<MatchThresholds> = Object.freeze({
  minCoverage: 0.45,
  minCoverageWeak: 0.6,
  ambiguityRatio: 0.85,
  trackPenalty: 0.4,
  siblingTrackPenalty: 0.5,
  defaultTrackBias: 1,
  maxUnknownShare: 0.25,
  genericWeight: 0.5,
  secondDocWeight: 0.3,
  docCoverageWeight: 0.5,
  entryWeight: 0.25,
  coverageExponent: 1,
  unknownWeight: 0.4,
  idfPower: 0.5,
});

/** Options of {@link buildFaqIndex}. */
export interface FaqIndexOptions {
  /** Override some decision thresholds. */
  thresholds?: Partial<MatchThresholds>;
}

/** One ranked entry in a {@link MatchExplanation}. */
export interface RankedEntry {
  entry: FaqEntry;
  /** Aggregated score after track adjustment. */
  score: number;
  /** IDF-weighted share of the message's terms found in this entry (0..1). */
  coverage: number;
}

/** Why {@link FaqIndex.match} decided what it decided (for evaluation and debugging). */
export interface MatchExplanation {
  /** Detected language of the message. */
  detectedLang: Lang;
  /** Canonical terms of the message. */
  tokens: string[];
  /** Outcome of the domain gate, with the reason. */
  gate: { pass: boolean; reason: string; strong: string[]; unknown: string[] };
  /** Follow-up resolution, when it applied. */
  followUp?: FaqEntry;
  /** Entries ranked by score (at most 5). */
  ranked: RankedEntry[];
  /** The decision. */
  result: FaqMatch;
}

/** A built FAQ index. */
export interface FaqIndex {
  /** Matches a message to an entry, a short list of candidates, or nothing. */
  match(text: string, ctx?: MatchContext): FaqMatch;
  /** Same as {@link FaqIndex.match}, with the intermediate figures. */
  explain(text: string, ctx?: MatchContext): MatchExplanation;
  /** Entry by id. */
  get(id: string): FaqEntry | undefined;
  /** Number of indexed entries. */
  readonly size: number;
  /** Thresholds in use. */
  readonly thresholds: Readonly<MatchThresholds>;
}

interface IndexedDoc {
  id: number;
  entryIdx: number;
  text: string;
}

interface DocInfo {
  entryIdx: number;
  /** Sum of the IDF of the phrasing's distinct terms. */
  weight: number;
}

const TRACK_TERMS = new Set(['cpns', 'pppk']);
const isNumber = (t: string): boolean => /^\p{N}+$/u.test(t);
const MAX_CANDIDATES = 3;


/**
 * Builds the search index over the entries. Normalisation of all phrasings
 * happens here, so matching a message is only normalisation + one search.
 */
export function buildFaqIndex(entries: FaqEntry[], lexicon: Lexicon = defaultLexicon(), options: FaqIndexOptions = {}): FaqIndex {
  const thresholds: MatchThresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const byId = new Map(entries.map((e) => [e.id, e] as const));
  /** Tracks present for each topic (to know whether an entry has a sibling in another track). */
  const topicTracks = new Map<string, Set<string>>();
  for (const e of entries) topicTracks.set(e.topic, (topicTracks.get(e.topic) ?? new Set<string>()).add(e.track));
  const docs: IndexedDoc[] = [];
  const entryTerms: Set<string>[] = entries.map(() => new Set<string>());
  const vocabulary = new Set<string>();
  const surface = new Set<string>();

  const addDoc = (entryIdx: number, tokens: string[]): void => {
    if (tokens.length === 0) return;
    docs.push({ id: docs.length, entryIdx, text: tokens.join(' ') });
    const set = entryTerms[entryIdx];
    for (const t of tokens) {
      set?.add(t);
      vocabulary.add(t);
    }
  };
  const addSurface = (text: string): void => {
    for (const w of surfaceWords(text, lexicon)) if (w.length >= 5 && !/\p{N}/u.test(w)) surface.add(w);
  };

  entries.forEach((entry, i) => {
    for (const q of entry.questions.id) {
      addDoc(i, normalizeTokens(q, { lang: 'id', lexicon }));
      addSurface(q);
    }
    for (const q of entry.questions.en) {
      addDoc(i, normalizeTokens(q, { lang: 'en', lexicon }));
      addSurface(q);
    }
    const meta: string[] = [
      ...normalizeTokens(entry.title.id, { lang: 'id', lexicon }),
      ...normalizeTokens(entry.title.en, { lang: 'en', lexicon }),
    ];
    for (const k of entry.keywords ?? []) {
      meta.push(...normalizeTokens(k, { lang: detectLanguage(k), lexicon }));
      addSurface(k);
    }
    addSurface(entry.title.id);
    addSurface(entry.title.en);
    addDoc(i, [...new Set(meta)]);
  });
  // Words the lexicon knows are valid correction targets too.
  for (const [variant, canonical] of lexicon.synonyms) {
    if (variant.length >= 5) surface.add(variant);
    vocabulary.add(canonical);
  }
  for (const t of lexicon.domain.strong) vocabulary.add(t);

  // Entry-level document frequency → IDF used by the coverage measure.
  const df = new Map<string, number>();
  for (const set of entryTerms) for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(entries.length, 1);
  const maxIdf = Math.log((n + 1) / 0.5);
  const idfCache = new Map<string, number>();
  for (const [t, count] of df) idfCache.set(t, Math.log((n + 1) / (count + 0.5)));
  const idf = (t: string): number => idfCache.get(t) ?? maxIdf;
  const weightCache = new Map<string, number>();
  for (const [t, v] of idfCache) weightCache.set(t, v ** thresholds.idfPower);
  const termWeight = (t: string): number => weightCache.get(t) ?? maxIdf ** thresholds.idfPower;

  const docInfo: DocInfo[] = docs.map((d) => ({
    entryIdx: d.entryIdx,
    weight: d.text.split(' ').reduce((sum, t) => sum + idf(t), 0),
  }));

  // Fuzzy and prefix search only for terms the index does not know: known
  // terms match exactly, and skipping the automaton keeps matching fast.
  const searchOptions = {
    combineWith: 'OR',
    prefix: (term: string) => term.length >= 5 && !vocabulary.has(term),
    fuzzy: (term: string) => (vocabulary.has(term) ? false : term.length >= 8 ? 2 : term.length >= 5 ? 1 : false),
    weights: { fuzzy: 0.35, prefix: 0.5 },
  } as const;
  const search = new MiniSearch<IndexedDoc>({
    fields: ['text'],
    tokenize: (s) => s.split(' '),
    processTerm: (t) => t || null,
    searchOptions,
  });
  search.addAll(docs);

  // Second index: one document per entry (all its phrasings together), so that
  // words an entry uses again and again weigh more than a one-off word.
  const entryTexts: string[][] = entries.map(() => []);
  for (const d of docs) entryTexts[d.entryIdx]?.push(d.text);
  const entrySearch = new MiniSearch<IndexedDoc>({
    fields: ['text'],
    tokenize: (s) => s.split(' '),
    processTerm: (t) => t || null,
    searchOptions,
  });
  entrySearch.addAll(entryTexts.map((texts, i) => ({ id: i, entryIdx: i, text: texts.join(' ') })));

  // Both searches remember each term's results: the index never changes after this point.
  const boostOf = (term: string): number => (lexicon.domain.generic.has(term) ? thresholds.genericWeight : 1);
  const phrasingSearch = new CachedOrSearch(search, boostOf);
  const entryTermSearch = new CachedOrSearch(entrySearch, boostOf);

  // Typo correction: unknown words → closest vocabulary word (unique, close enough).
  const typos = new TypoIndex(surface);
  const correctionCache = new Map<string, string | undefined>();
  /** Words corrected while normalising the current message (reset per message). */
  let corrected: string[] = [];
  const correct = (word: string): string | undefined => {
    const hit = correctionCache.get(word);
    if (hit !== undefined) corrected.push(hit);
    if (correctionCache.has(word)) return hit;
    let result: string | undefined;
    if (!surface.has(word) && !isIndonesianWord(word)) result = typos.closest(word, word.length >= 8 ? 2 : 1);
    if (correctionCache.size > 10_000) correctionCache.clear();
    correctionCache.set(word, result);
    if (result !== undefined) corrected.push(result);
    return result;
  };

  const gateOf = (allTokens: string[], guessed: Set<string>): MatchExplanation['gate'] => {
    const { strong, services, offTopic, generic } = lexicon.domain;
    // Numbers ("36", "2024") say nothing about the domain unless the content uses them.
    const tokens = allTokens.filter((t) => vocabulary.has(t) || !isNumber(t));
    // Typo-corrected words are a guess: they count as recruitment evidence at half weight.
    const strongHits = tokens.filter((t) => strong.has(t) && !guessed.has(t));
    const unknown = tokens.filter((t) => !vocabulary.has(t) || offTopic.has(t));
    const unknownShare = (unknown.length + 0.5 * tokens.filter((t) => guessed.has(t) && vocabulary.has(t)).length) / Math.max(tokens.length, 1);
    if (tokens.length === 0) return { pass: false, reason: 'no content words', strong: [], unknown };
    if (strongHits.length > 0) return { pass: true, reason: 'strong recruitment term', strong: strongHits, unknown };
    if (tokens.some((t) => offTopic.has(t))) return { pass: false, reason: 'off-topic term', strong: [], unknown };
    if (tokens.some((t) => services.has(t)) && !tokens.some((t) => !services.has(t) && !generic.has(t) && vocabulary.has(t))) {
      return { pass: false, reason: 'other public service', strong: [], unknown };
    }
    if (unknownShare > thresholds.maxUnknownShare) {
      return { pass: false, reason: 'too many unknown words', strong: [], unknown };
    }
    return { pass: true, reason: 'known vocabulary', strong: [], unknown };
  };

  const coverageOf = (tokens: string[], entryIdx: number, matched: Map<string, number>): number => {
    let total = 0;
    let got = 0;
    const terms = entryTerms[entryIdx];
    for (const t of tokens) {
      // Words no entry knows cannot tell entries apart, but they do make the
      // message less likely to be about an entry: they weigh a little.
      if (!vocabulary.has(t)) {
        if (!isNumber(t)) total += thresholds.unknownWeight * maxIdf ** thresholds.idfPower;
        continue;
      }
      const w = termWeight(t);
      total += w;
      if (terms?.has(t)) got += w;
      else got += w * (matched.get(t) ?? 0);
    }
    return total > 0 ? got / total : 0;
  };

  const followUpOf = (tokens: string[], previous: FaqEntry | undefined): FaqEntry | undefined => {
    if (!previous) return undefined;
    const tracks = tokens.filter((t) => TRACK_TERMS.has(t));
    if (tracks.length !== 1 || tokens.length !== 1) return undefined;
    const track = tracks[0];
    if (previous.track === track) return previous;
    const sibling = entries.find((e) => e.topic === previous.topic && e.track === track);
    if (sibling) return sibling;
    if (previous.track === 'umum') return previous;
    return entries.find((e) => e.topic === previous.topic && e.track === 'umum');
  };

  const explain = (text: string, ctx: MatchContext = {}): MatchExplanation => {
    const detectedLang = detectLanguage(text);
    const lang = ctx.lang ?? detectedLang;
    corrected = [];
    const tokens = normalizeTokens(text, { lang: detectedLang, lexicon, correct });
    const guessed = new Set(corrected.flatMap((w) => normalizeTokens(w, { lang: detectedLang, lexicon })));
    const previous = ctx.previousEntryId !== undefined ? byId.get(ctx.previousEntryId) : undefined;
    const followUp = followUpOf(tokens, previous);
    if (followUp) {
      return {
        detectedLang,
        tokens,
        gate: { pass: true, reason: 'follow-up', strong: [], unknown: [] },
        followUp,
        ranked: [],
        result: { kind: 'answer', entry: followUp, score: 1, lang },
      };
    }
    let gate = gateOf(tokens, guessed);
    let queryTokens = tokens;
    const bareTrack = tokens.length === 1 && TRACK_TERMS.has(tokens[0] ?? '');
    if (previous && bareTrack) {
      // "kalau PPPK?" after an entry without a PPPK sibling: look for the named
      // track's entry closest to the previous entry's title (e.g. SKD → PPPK competency test).
      const related = new Set<string>();
      for (const t of normalizeTokens(`${previous.title.id} ${previous.topic.replace(/-/g, ' ')}`, { lang: 'id', lexicon })) {
        if (!TRACK_TERMS.has(t)) related.add(t);
      }
      queryTokens = [...related, ...tokens];
      gate = { pass: true, reason: 'follow-up (related entry)', strong: tokens, unknown: [] };
    }
    if (!gate.pass) return { detectedLang, tokens, gate, ranked: [], result: { kind: 'out_of_scope', lang } };

    const { generic } = lexicon.domain;
    const results = phrasingSearch.search(queryTokens);
    // Aggregate per entry: best phrasing plus a share of the second best;
    // remember which query terms matched only fuzzily or by prefix.
    const best = new Map<number, [number, number]>();
    const matchedTerms = new Map<number, Map<string, number>>();
    for (const r of results) {
      const info = docInfo[r.id as number];
      if (!info) continue;
      const entryIdx = info.entryIdx;
      const docCoverage = info.weight > 0 ? Math.min(1, r.terms.reduce((sum, t) => sum + idf(t), 0) / info.weight) : 0;
      const score = r.score * (1 - thresholds.docCoverageWeight + thresholds.docCoverageWeight * docCoverage);
      const pair = best.get(entryIdx) ?? [0, 0];
      if (score > pair[0]) best.set(entryIdx, [score, pair[0]]);
      else if (score > pair[1]) best.set(entryIdx, [pair[0], score]);
      const m = matchedTerms.get(entryIdx) ?? new Map<string, number>();
      for (const q of r.queryTerms) m.set(q, Math.max(m.get(q) ?? 0, r.terms.includes(q) ? 1 : 0.6));
      matchedTerms.set(entryIdx, m);
    }
    const entryScores = new Map<number, number>();
    if (thresholds.entryWeight > 0) {
      for (const r of entryTermSearch.search(queryTokens)) {
        entryScores.set(r.id as number, r.score);
      }
    }
    const namedTracks = new Set(queryTokens.filter((t) => TRACK_TERMS.has(t)));
    const ranked: RankedEntry[] = [];
    for (const [entryIdx, [first, second]] of best) {
      const entry = entries[entryIdx];
      if (!entry) continue;
      let score = first + thresholds.secondDocWeight * second + thresholds.entryWeight * (entryScores.get(entryIdx) ?? 0);
      if (namedTracks.size === 1 && entry.track !== 'umum' && !namedTracks.has(entry.track)) {
        score *= thresholds.trackPenalty;
        const [named] = namedTracks;
        if (named !== undefined && topicTracks.get(entry.topic)?.has(named)) score *= thresholds.siblingTrackPenalty;
      } else if (namedTracks.size === 0 && entry.track === 'pppk' && topicTracks.get(entry.topic)?.has('cpns')) {
        score *= thresholds.defaultTrackBias;
      }
      const coverage = coverageOf(queryTokens, entryIdx, matchedTerms.get(entryIdx) ?? new Map());
      score *= coverage ** thresholds.coverageExponent;
      ranked.push({ entry, score, coverage });
    }
    if (queryTokens !== tokens && previous) {
      // Related-entry follow-up: only the named track (or general entries), never the previous one.
      const named = tokens[0];
      for (let i = ranked.length - 1; i >= 0; i -= 1) {
        const e = ranked[i]?.entry;
        const idx = e ? entries.indexOf(e) : -1;
        const sharesTopicWord = queryTokens.some((t) => t !== named && !generic.has(t) && entryTerms[idx]?.has(t));
        if (!e || e.id === previous.id || (e.track !== 'umum' && e.track !== named) || !sharesTopicWord) ranked.splice(i, 1);
      }
    }
    ranked.sort((a, b) => b.score - a.score || b.coverage - a.coverage);
    const top = ranked[0];
    const outOfScope: FaqMatch = { kind: 'out_of_scope', lang };
    if (!top) return { detectedLang, tokens, gate, ranked, result: outOfScope };
    const minCoverage = gate.strong.length > 0 ? thresholds.minCoverage : thresholds.minCoverageWeak;
    if (top.coverage < minCoverage) return { detectedLang, tokens, gate, ranked: ranked.slice(0, 5), result: outOfScope };

    const close = ranked.filter((r) => r.score >= top.score * thresholds.ambiguityRatio).slice(0, MAX_CANDIDATES);
    const result: FaqMatch =
      close.length >= 2
        ? { kind: 'ambiguous', candidates: close.map((r) => r.entry), lang }
        : { kind: 'answer', entry: top.entry, score: top.score, lang };
    return { detectedLang, tokens, gate, ranked: ranked.slice(0, 5), result };
  };

  return {
    match: (text, ctx) => explain(text, ctx).result,
    explain,
    get: (id) => byId.get(id),
    size: entries.length,
    thresholds,
  };
}
