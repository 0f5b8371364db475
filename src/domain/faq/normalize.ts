/**
 * Text normalisation for the FAQ matcher: turns a chat message as people
 * really type it ("brp batas umurnya kak??", "syarat p3k apa aja") into a list
 * of canonical terms ("batas", "usia", ...), the same way for questions in the
 * knowledge base and for incoming messages.
 *
 * Pipeline (see {@link normalizeTokens}):
 *  1. clean: Unicode fold, lower-case, punctuation/emoji → space, letter runs
 *     of 3+ collapsed ("bangettt" → "banget"), "syarat2" → "syarat";
 *  2. chat slang and abbreviations ("brp" → "berapa", "p3k" → "pppk"), fillers
 *     dropped ("kak", "gan"), multi-word phrases ("passing grade" → "ambang");
 *  3. optional typo correction against a vocabulary (given by the matcher);
 *  4. stop-words dropped, Indonesian stemming (Sastrawi, cached) or a light
 *     English suffix stripper, synonyms mapped to one canonical term.
 *
 * The dictionaries live in `flows/content/lexicon/*.yaml` and are loaded once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Stemmer } from 'sastrawijs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Lang } from './types.js';
import { projectPath } from '../../project-root.js';

/** Default folder of the lexicon YAML files. */
export const DEFAULT_LEXICON_DIR = projectPath('flows/content/lexicon') + '/';

/**
 * The dictionaries used by normalisation, ready for look-ups.
 * Build one with {@link loadLexicon} (from YAML) or {@link buildLexicon}.
 */
export interface Lexicon {
  /** Multi-word expressions → replacement text, applied to the cleaned message. */
  phrases: Map<string, string>;
  /** Compiled matcher for {@link Lexicon.phrases} (longest first). */
  phraseRegex: RegExp | null;
  /** One chat word → standard word(s). */
  slang: Map<string, string>;
  /** Words dropped anywhere (greetings, address terms, particles). */
  fillers: Set<string>;
  /** Words dropped at the start/end of a message, expanded elsewhere ("min"). */
  edgeFillers: Map<string, string>;
  /** Word or stem → canonical term. */
  synonyms: Map<string, string>;
  /** Word → stem, overriding the Sastrawi stemmer. */
  stems: Map<string, string>;
  /** Stop-words (Indonesian and English). */
  stopwords: Set<string>;
  /** Domain gate vocabulary, canonical forms. */
  domain: DomainVocabulary;
}

/** Vocabulary used by the matcher to decide whether a question is about ASN recruitment. */
export interface DomainVocabulary {
  /** Recruitment-specific terms: one is enough to be in scope. */
  strong: Set<string>;
  /** Intent words that fit any topic (cost, how-to, schedule). */
  generic: Set<string>;
  /** Words of other kecamatan services (KTP, KK, letters). */
  services: Set<string>;
  /** Words that mark another domain (football, weather, SIM, passport...). */
  offTopic: Set<string>;
}

/** Raw lexicon data, as found in the YAML files. */
export interface LexiconData {
  slang: { phrases?: Record<string, string>; words?: Record<string, string>; fillers?: string[]; edgeFillers?: Record<string, string> };
  synonyms: Record<string, string[]>;
  stopwords: { id?: string[]; en?: string[] };
  stems?: Record<string, string>;
  domain?: { strong?: string[]; generic?: string[]; services?: string[]; offTopic?: string[] };
}

/** Options of {@link normalizeTokens}. */
export interface NormalizeOptions {
  /** Language of the text: selects the stemmer. Defaults to `'id'`. */
  lang?: Lang;
  /** Dictionaries; defaults to the lexicon loaded from {@link DEFAULT_LEXICON_DIR}. */
  lexicon?: Lexicon;
  /**
   * Typo corrector called for words no dictionary knows; returns the corrected
   * word or `undefined`. The matcher supplies one built on its vocabulary.
   */
  correct?: (word: string) => string | undefined;
  /** Keep duplicate terms (default false: each term once, first occurrence order). */
  keepDuplicates?: boolean;
}

const stringMap = z.record(z.string(), z.string());
const stringList = z.array(z.union([z.string(), z.number()]).transform(String));
const lexiconSchema = z.object({
  slang: z.object({
    phrases: stringMap.optional(),
    words: stringMap.optional(),
    fillers: stringList.optional(),
    edgeFillers: stringMap.optional(),
  }),
  synonyms: z.record(z.string(), stringList),
  stopwords: z.object({ id: stringList.optional(), en: stringList.optional() }),
  stems: stringMap.optional(),
  domain: z
    .object({
      strong: stringList.optional(),
      generic: stringList.optional(),
      services: stringList.optional(),
      offTopic: stringList.optional(),
    })
    .optional(),
});

const lexiconCache = new Map<string, Lexicon>();

function readYaml(file: string, optional: boolean): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    if (optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Loads (once per folder) the lexicon from `slang.yaml`, `synonyms.yaml`,
 * `stopwords.yaml` and the optional `stems.yaml`, `domain.yaml`.
 */
export function loadLexicon(dir: string = DEFAULT_LEXICON_DIR): Lexicon {
  const key = path.resolve(dir);
  const cached = lexiconCache.get(key);
  if (cached) return cached;
  const data = lexiconSchema.parse({
    slang: readYaml(path.join(key, 'slang.yaml'), false),
    synonyms: readYaml(path.join(key, 'synonyms.yaml'), false),
    stopwords: readYaml(path.join(key, 'stopwords.yaml'), false),
    stems: readYaml(path.join(key, 'stems.yaml'), true),
    domain: readYaml(path.join(key, 'domain.yaml'), true),
  });
  const lexicon = buildLexicon(data);
  lexiconCache.set(key, lexicon);
  return lexicon;
}

/** The default lexicon (loaded lazily, once). */
export function defaultLexicon(): Lexicon {
  return loadLexicon(DEFAULT_LEXICON_DIR);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds look-up structures from raw lexicon data. */
export function buildLexicon(data: LexiconData): Lexicon {
  const phrases = new Map<string, string>();
  const addPhrase = (from: string, to: string): void => {
    const key = cleanText(from);
    if (key.includes(' ')) phrases.set(key, cleanText(to));
  };
  for (const [from, to] of Object.entries(data.slang.phrases ?? {})) addPhrase(from, to);

  const slang = new Map<string, string>();
  for (const [from, to] of Object.entries(data.slang.words ?? {})) slang.set(cleanText(from), cleanText(to));

  const synonyms = new Map<string, string>();
  for (const [canonical, variants] of Object.entries(data.synonyms)) {
    const canon = cleanText(canonical);
    synonyms.set(canon, canon);
    for (const variant of variants) {
      const v = cleanText(variant);
      if (v.includes(' ')) addPhrase(v, canon);
      else if (!synonyms.has(v)) synonyms.set(v, canon);
    }
  }
  const stems = new Map<string, string>();
  for (const [from, to] of Object.entries(data.stems ?? {})) stems.set(cleanText(from), cleanText(to));

  const stopwords = new Set<string>();
  for (const w of [...(data.stopwords.id ?? []), ...(data.stopwords.en ?? [])]) {
    const c = cleanText(w);
    if (!c.includes(' ')) stopwords.add(c);
  }

  const sorted = [...phrases.keys()].sort((a, b) => b.length - a.length);
  const phraseRegex = sorted.length
    ? new RegExp(`(?<=^| )(?:${sorted.map(escapeRegex).join('|')})(?= |$)`, 'g')
    : null;

  const partial: Lexicon = {
    phrases,
    phraseRegex,
    slang,
    fillers: new Set((data.slang.fillers ?? []).map(cleanText)),
    edgeFillers: new Map(Object.entries(data.slang.edgeFillers ?? {}).map(([k, v]) => [cleanText(k), cleanText(v)])),
    synonyms,
    stems,
    stopwords,
    domain: { strong: new Set(), generic: new Set(), services: new Set(), offTopic: new Set() },
  };
  // Domain lists are written as plain words: normalise them like any text so
  // that they are compared with canonical terms.
  const canon = (words: string[] | undefined): Set<string> => {
    const out = new Set<string>();
    for (const w of words ?? []) {
      for (const t of tokensOf(w, { lexicon: partial, lang: 'id', keepStopwords: true })) out.add(t);
    }
    return out;
  };
  partial.domain = {
    strong: canon(data.domain?.strong),
    generic: canon(data.domain?.generic),
    services: canon(data.domain?.services),
    offTopic: canon(data.domain?.offTopic),
  };
  return partial;
}

// ---------------------------------------------------------------------------
// Cleaning

const COMBINING_MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
const APOSTROPHES = /['’`´]/g;
/** A run of 3 or more of the same letter. */
const LONG_RUN = /(\p{L})\1{2,}/gu;
/** "pppk" written with any number of p's ("ppppk", "pk" is left alone). */
const PPPK_VARIANT = /(?<![\p{L}\p{N}])p{2,}k+(?![\p{L}\p{N}])/gu;
/** Digit run of 2+ glued to letters: "35th" → "35 th" ("s1", "p3k" stay). */
const DIGITS_THEN_LETTERS = /(?<![\p{L}\p{N}])(\p{N}{2,})(\p{L}+)/gu;
/** Indonesian reduplication written with a 2: "syarat2" → "syarat". */
const REDUPLICATION = /(?<![\p{L}\p{N}])(\p{L}{3,})2(?![\p{L}\p{N}])/gu;

/**
 * Lower-cases, folds accents, turns punctuation and emoji into spaces and
 * collapses elongated letters (3+ repeats → 1: "bangettt" → "banget", while
 * "saat", "taat" keep their double letter). "pppk" in any elongation stays "pppk".
 */
export function cleanText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(NON_WORD, ' ')
    .replace(PPPK_VARIANT, '\u0000')
    .replace(LONG_RUN, '$1')
    // eslint-disable-next-line no-control-regex -- the placeholder put in two lines above
    .replace(/\u0000/g, 'pppk')
    .replace(DIGITS_THEN_LETTERS, '$1 $2')
    .replace(REDUPLICATION, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes doubled letters ("kakk" → "kak", "brpp" → "brp"), for look-ups only. */
function undouble(word: string): string {
  return word.replace(/(\p{L})\1+/gu, '$1');
}

// ---------------------------------------------------------------------------
// Stemming

let stemmer: Stemmer | undefined;
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 50_000;

function sastrawi(): Stemmer {
  stemmer ??= new Stemmer();
  return stemmer;
}

/** Indonesian stem of a word (Sastrawi), memoised. */
export function stemIndonesian(word: string): string {
  const hit = stemCache.get(word);
  if (hit !== undefined) return hit;
  // Words with digits ("s1", "2024", "pppk") are codes, not inflected words.
  const stem = /\p{N}/u.test(word) || word.length < 4 ? word : sastrawi().stem(word);
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(word, stem);
  return stem;
}

/** True when Sastrawi recognises the word (it is, or reduces to, a dictionary root). */
export function isIndonesianWord(word: string): boolean {
  const s = stemIndonesian(word);
  return s !== word || sastrawi().find(word);
}

const VOWEL = /[aeiouy]/;

/**
 * A light English suffix stripper (plural, -ing, -ed), conservative enough
 * that index and query agree; irregular forms belong in the synonyms file.
 */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || /\p{N}/u.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length >= 6 && VOWEL.test(w.slice(0, -3))) {
    w = w.slice(0, -3);
  } else if (w.endsWith('ed') && w.length >= 5 && VOWEL.test(w.slice(0, -2))) {
    w = w.slice(0, -2);
  } else if (w.endsWith('s') && !/(ss|us|is|os|as)$/.test(w)) {
    return w.slice(0, -1);
  } else {
    return w;
  }
  // "running" → "runn" → "run", but keep "ll", "ss", "zz".
  if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

// ---------------------------------------------------------------------------
// Tokens

/** Colloquial verb prefixes, longest first ("ke-" as in "keupload", "ng-" as in "ngupload"). */
const COLLOQUIAL_PREFIXES = ['nge', 'ng', 'di', 'ke', 'ter'];

/**
 * Fallback for informal Jakarta-style morphology that Sastrawi does not know:
 * the "-in" suffix for "-kan" ("dibutuhin" → "dibutuhkan", "bedain" →
 * "bedakan") and verb prefixes on loanwords ("diupload", "keupload",
 * "ngupload" → "upload"). Returns `undefined` when nothing applies.
 */
function colloquialStem(word: string, lex: Lexicon): string | undefined {
  if (word.length < 5 || isIndonesianWord(word)) return undefined;
  if (word.endsWith('in')) {
    const formal = `${word.slice(0, -2)}kan`;
    const override = lex.stems.get(formal);
    if (override !== undefined) return override;
    const stem = stemIndonesian(formal);
    if (stem !== formal) return stem;
  }
  for (const prefix of COLLOQUIAL_PREFIXES) {
    if (!word.startsWith(prefix) || word.length - prefix.length < 4) continue;
    const rest = word.slice(prefix.length);
    if (lex.synonyms.has(rest)) return rest;
    if (rest.endsWith('in') && lex.synonyms.has(rest.slice(0, -2))) return rest.slice(0, -2);
  }
  return undefined;
}

/** Internal options: keep stop-words (used to canonicalise the domain lists). */
interface InternalOptions extends NormalizeOptions {
  keepStopwords?: boolean;
}

/** Expands slang and drops fillers, word by word. */
function expandSlang(words: string[], lex: Lexicon): string[] {
  const kept: string[] = [];
  for (const raw of words) {
    const w = lex.slang.has(raw) || lex.fillers.has(raw) || lex.edgeFillers.has(raw) ? raw : stripNya(undoubleKnown(raw, lex), lex);
    if (lex.fillers.has(w)) continue;
    kept.push(w);
  }
  const out: string[] = [];
  kept.forEach((w, i) => {
    const edge = lex.edgeFillers.get(w);
    if (edge !== undefined) {
      if (i === 0 || i === kept.length - 1) return;
      out.push(edge);
      return;
    }
    out.push(lex.slang.get(w) ?? w);
  });
  return out;
}

/**
 * Drops the Indonesian possessive "-nya" from words Sastrawi cannot parse, so
 * that loanwords and codes keep their meaning: "gradenya" → "grade",
 * "backgroundnya" → "background", "pppknya" → "pppk". Indonesian words
 * ("syaratnya") are left to the stemmer.
 */
function stripNya(word: string, lex: Lexicon): string {
  if (word.length < 6 || !word.endsWith('nya')) return word;
  const base = word.slice(0, -3);
  if (lex.slang.has(base) || lex.synonyms.has(base)) return lex.slang.get(base) ?? base;
  return isIndonesianWord(word) ? word : base;
}

/** "kakk" → "kak" when only the de-doubled form is a known chat word. */
function undoubleKnown(word: string, lex: Lexicon): string {
  if (!/(\p{L})\1/u.test(word)) return word;
  const u = undouble(word);
  return lex.slang.has(u) || lex.fillers.has(u) || lex.edgeFillers.has(u) ? u : word;
}

/** Canonical term of one word, or `undefined` when it is a stop-word. */
function canonicalTerm(word: string, lang: Lang, lex: Lexicon, keepStop: boolean): string | undefined {
  const direct = lex.synonyms.get(word);
  if (direct !== undefined) return direct;
  if (!keepStop && lex.stopwords.has(word)) return undefined;
  const override = lex.stems.get(word);
  let stem: string;
  if (override !== undefined) stem = override;
  else if (lang === 'en') stem = stemEnglish(word);
  else stem = stemIndonesian(word);
  if (stem === word && override === undefined && lang === 'id') stem = colloquialStem(word, lex) ?? stem;
  if (stem !== word) {
    const viaStem = lex.synonyms.get(stem);
    if (viaStem !== undefined) return viaStem;
    if (!keepStop && lex.stopwords.has(stem)) return undefined;
  }
  return stem;
}

/**
 * Normalises a message into canonical terms (stop-words removed, stemmed,
 * synonyms unified). Returns each term once, in order of first occurrence,
 * unless `keepDuplicates` is set.
 *
 * @example normalizeTokens("brp batas umur daftar cpns kak?") // ["batas", "usia", "daftar", "cpns"]
 */
export function normalizeTokens(text: string, options: NormalizeOptions = {}): string[] {
  return tokensOf(text, options);
}

function tokensOf(text: string, opts: InternalOptions): string[] {
  const lex = opts.lexicon ?? defaultLexicon();
  const lang = opts.lang ?? 'id';
  const cleaned = cleanText(text);
  if (!cleaned) return [];
  let joined = expandSlang(cleaned.split(' '), lex).join(' ');
  if (lex.phraseRegex) joined = joined.replace(lex.phraseRegex, (m) => lex.phrases.get(m) ?? m);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const token of joined.split(' ')) {
    if (!token) continue;
    // Phrase replacements may yield slang again ("thk 2" → "thk").
    let word = lex.slang.get(token) ?? token;
    if (opts.correct && !isKnownWord(word, lex)) word = opts.correct(word) ?? word;
    for (const part of word.split(' ')) {
      const term = canonicalTerm(part, lang, lex, opts.keepStopwords === true);
      if (term === undefined || term === '') continue;
      if (!opts.keepDuplicates) {
        if (seen.has(term)) continue;
        seen.add(term);
      }
      out.push(term);
    }
  }
  return out;
}

/** Words that must never be "typo-corrected": dictionary entries of any kind. */
function isKnownWord(word: string, lex: Lexicon): boolean {
  return (
    word.length < 5 ||
    /\p{N}/u.test(word) ||
    lex.stopwords.has(word) ||
    lex.synonyms.has(word) ||
    lex.stems.has(word) ||
    lex.slang.has(word) ||
    lex.domain.offTopic.has(word) ||
    lex.domain.services.has(word)
  );
}

/** Normalised text: {@link normalizeTokens} joined with single spaces. */
export function normalize(text: string, options: NormalizeOptions = {}): string {
  return normalizeTokens(text, options).join(' ');
}

/**
 * Surface words of a text after cleaning and slang expansion, before
 * stemming (used to build the typo-correction vocabulary).
 */
export function surfaceWords(text: string, lexicon: Lexicon = defaultLexicon()): string[] {
  const cleaned = cleanText(text);
  if (!cleaned) return [];
  return expandSlang(cleaned.split(' '), lexicon).flatMap((w) => w.split(' '));
}
