/**
 * FAQ matcher benchmark: index build time and per-question match latency.
 *
 *   npx tsx bench/faq.ts
 *
 * Workload: the questions of `test/fixtures/faq-eval.json` and
 * `test/fixtures/faq-eval-dev.json` (or, when both are missing, the knowledge
 * base's own phrasings), repeated up to 20,000 matches.
 * "cold" = the first pass over the unique questions on a fresh index (stemmer
 * and typo-correction caches empty for those words); "warm" = all matches.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFaqEntries } from '../src/domain/faq/load-content.js';
import { buildFaqIndex } from '../src/domain/faq/matcher.js';
import { defaultLexicon } from '../src/domain/faq/normalize.js';
import { runAsScript } from './run-as-script.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MATCHES = 20_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Eval sets whose questions make up the workload (missing files are skipped). */
const WORKLOAD_FILES = ['test/fixtures/faq-eval.json', 'test/fixtures/faq-eval-dev.json'];

async function workload(entriesQuestions: string[]): Promise<string[]> {
  const qs: string[] = [];
  for (const file of WORKLOAD_FILES) {
    try {
      const raw = JSON.parse(await readFile(path.join(ROOT, file), 'utf8')) as Array<{ q?: unknown }>;
      qs.push(...raw.map((i) => i.q).filter((q): q is string => typeof q === 'string'));
    } catch {
      // skip a missing or broken set
    }
  }
  // Fall back to the knowledge base phrasings.
  return qs.length > 0 ? qs : entriesQuestions;
}

/** Runs the FAQ benchmark and returns its figures (milliseconds unless stated). */
export async function benchFaq(): Promise<Record<string, number | string>> {
  const t0 = performance.now();
  defaultLexicon();
  const lexiconMs = performance.now() - t0;

  const t1 = performance.now();
  const entries = await loadFaqEntries(path.join(ROOT, 'flows/content/faq'));
  const loadMs = performance.now() - t1;

  // First build pays the one-off Sastrawi dictionary set-up; the second shows a rebuild.
  const t2 = performance.now();
  buildFaqIndex(entries);
  const firstBuildMs = performance.now() - t2;
  const t3 = performance.now();
  const index = buildFaqIndex(entries);
  const buildMs = performance.now() - t3;

  const questions = await workload(entries.flatMap((e) => [...e.questions.id, ...e.questions.en]));

  const cold: number[] = [];
  for (const q of questions) {
    const s = performance.now();
    index.match(q);
    cold.push(performance.now() - s);
  }
  const warm: number[] = [];
  for (let i = 0; i < MATCHES; i += 1) {
    const q = questions[i % questions.length] ?? '';
    const s = performance.now();
    index.match(q);
    warm.push(performance.now() - s);
  }
  cold.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  const total = warm.reduce((a, b) => a + b, 0);
  return {
    entries: entries.length,
    questions: questions.length,
    matches: MATCHES,
    lexiconLoadMs: round(lexiconMs),
    contentLoadMs: round(loadMs),
    firstBuildMs: round(firstBuildMs),
    buildMs: round(buildMs),
    coldP50Ms: round(percentile(cold, 50)),
    coldP99Ms: round(percentile(cold, 99)),
    p50Ms: round(percentile(warm, 50)),
    p99Ms: round(percentile(warm, 99)),
    maxMs: round(warm[warm.length - 1] ?? Number.NaN),
    matchesPerSecond: Math.round((1000 * MATCHES) / total),
    node: process.version,
  };
}

runAsScript(import.meta.url, () => benchFaq());
