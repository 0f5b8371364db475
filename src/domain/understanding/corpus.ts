/**
 * The labelled utterances the understanding step learns from and is measured on: the content
 * files under `flows/content/understanding/` (train/ and test/), every FAQ entry's example
 * questions (labelled `faq:<id>`) and the older FAQ evaluation sets (`test/fixtures/faq-eval*.json`,
 * where an expected `null` means off-topic).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { FaqEntry } from '../faq/types.js';
import type { IntentId } from './types.js';
import { PROJECT_ROOT } from '../../project-root.js';

/** Repository root (this file is src/domain/understanding/corpus.ts). */
export const ROOT_DIR = PROJECT_ROOT;
export const UNDERSTANDING_DIR = path.join(ROOT_DIR, 'flows/content/understanding');
const FIXTURES = ['test/fixtures/faq-eval.json', 'test/fixtures/faq-eval-dev.json'];

/** One labelled message. */
export interface Utterance {
  text: string;
  intent: IntentId;
  /** The language the reply should be in (default `id`). */
  lang: 'id' | 'en';
  /** Where it came from (file name or `faq-content`), for reports. */
  source: string;
}

/** Content that does not parse; lists every problem. */
export class UnderstandingContentError extends Error {
  override name = 'UnderstandingContentError';
}

const itemSchema = z.object({
  text: z.string().trim().min(1),
  intent: z.string().regex(/^[a-z_]+(\.[a-z_]+)?$|^faq:[a-z0-9-]+$/, 'intent must be like complaint.new, off_topic or faq:<entry-id>'),
  lang: z.enum(['id', 'en']).optional(),
  slots: z.record(z.string(), z.unknown()).optional(),
});
const fixtureSchema = z.array(
  z.object({ q: z.string().min(1), expected: z.string().nullable(), lang: z.enum(['id', 'en']), previousEntryId: z.string().optional() }),
);

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Reads every YAML file of `train/` or `test/`; throws with all problems when one is broken. */
export function loadSplit(split: 'train' | 'test', dir: string = UNDERSTANDING_DIR): Utterance[] {
  const out: Utterance[] = [];
  const problems: string[] = [];
  for (const file of yamlFiles(path.join(dir, split))) {
    const name = `${split}/${path.basename(file)}`;
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(file, 'utf8')) ?? [];
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    if (!Array.isArray(raw)) {
      problems.push(`${name}: expected a list of items`);
      continue;
    }
    raw.forEach((item, i) => {
      const r = itemSchema.safeParse(item);
      if (!r.success) problems.push(`${name} #${i}: ${r.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      else out.push({ text: r.data.text, intent: r.data.intent, lang: r.data.lang ?? 'id', source: name });
    });
  }
  if (problems.length) throw new UnderstandingContentError(`understanding content has ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  return out;
}

/** Each FAQ entry's example questions, labelled with the entry. */
export function faqUtterances(entries: FaqEntry[]): Utterance[] {
  return entries.flatMap((e) => [
    ...e.questions.id.map((text) => ({ text, intent: `faq:${e.id}`, lang: 'id' as const, source: 'faq-content' })),
    ...e.questions.en.map((text) => ({ text, intent: `faq:${e.id}`, lang: 'en' as const, source: 'faq-content' })),
  ]);
}

/**
 * The older FAQ evaluation sets. Left out: follow-up items (they need a previous answer) and items
 * expected to get no FAQ answer, since "not an FAQ question" there also covers complaints
 * ("lampu jalan mati di sampangan udh seminggu"), which must not be learnt as off-topic.
 */
export function fixtureUtterances(root: string = ROOT_DIR): Utterance[] {
  const out: Utterance[] = [];
  for (const rel of FIXTURES) {
    let raw: string;
    try {
      raw = readFileSync(path.join(root, rel), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const item of fixtureSchema.parse(JSON.parse(raw))) {
      if (item.previousEntryId || !item.expected) continue;
      out.push({ text: item.q, intent: `faq:${item.expected}`, lang: item.lang, source: path.basename(rel) });
    }
  }
  return out;
}

/**
 * FAQ entries whose questions are, for the understanding step, another intent. The anti-broker
 * entry's example questions (and the old FAQ eval items expecting it) all offer or ask about
 * paying or connections to pass: by the labelling rule (README of `flows/content/understanding/`)
 * that is `bribery`, whose flow answers with this very entry. The FAQ matcher keeps them as they are.
 */
const RELABELLED: Readonly<Record<string, IntentId>> = { 'faq:umum-calo': 'bribery' };

/** Texts compared for being the same message: case and spacing aside. */
export const sameText = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Everything the model trains on (never the test split's files). */
export function trainingUtterances(entries: FaqEntry[], dir: string = UNDERSTANDING_DIR): Utterance[] {
  const known = new Set(entries.map((e) => `faq:${e.id}`));
  // A label naming an FAQ entry that no longer exists would teach a dead intent: drop it.
  return [...loadSplit('train', dir), ...faqUtterances(entries), ...fixtureUtterances()]
    .filter((u) => !u.intent.startsWith('faq:') || known.has(u.intent))
    .map((u) => (RELABELLED[u.intent] ? { ...u, intent: RELABELLED[u.intent]! } : u));
}

/**
 * The test items the model has not seen: those whose text is also a training text (written the same
 * way in two passes — short ones like "aduan" or "cek" can only be written one way) are measured
 * nowhere. Why not drop them from training instead: the service must still learn them.
 */
export function unseenTestItems(test: Utterance[], training: Utterance[]): Utterance[] {
  const trained = new Set(training.map((u) => sameText(u.text)));
  return test.filter((u) => !trained.has(sameText(u.text)));
}

/** A short hash of the training content, the key of the cached model. */
export function contentHash(utterances: Utterance[], salt: string): string {
  const h = createHash('sha256').update(salt);
  for (const u of utterances) h.update(`${u.intent}\u0000${u.text}\u0001`);
  return h.digest('hex').slice(0, 16);
}

/**
 * Splits off a stratified, reproducible dev part (`share` of each intent with at least 3 examples),
 * for tuning thresholds without touching the test split.
 */
export function devSplit(utterances: Utterance[], share = 0.15, seed = 7): { train: Utterance[]; dev: Utterance[] } {
  const byIntent = new Map<string, Utterance[]>();
  for (const u of utterances) byIntent.set(u.intent, [...(byIntent.get(u.intent) ?? []), u]);
  const rand = mulberry32(seed);
  const train: Utterance[] = [];
  const dev: Utterance[] = [];
  for (const intent of [...byIntent.keys()].sort()) {
    const list = [...(byIntent.get(intent) ?? [])];
    for (let i = list.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    const n = list.length >= 3 ? Math.max(1, Math.round(list.length * share)) : 0;
    dev.push(...list.slice(0, n));
    train.push(...list.slice(n));
  }
  return { train, dev };
}

/** A small seeded PRNG, so splits and training are the same on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
