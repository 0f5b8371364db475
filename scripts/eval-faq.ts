/**
 * FAQ matcher evaluation report.
 *
 *   npx tsx scripts/eval-faq.ts            # report on test/fixtures/faq-eval.json
 *   npx tsx scripts/eval-faq.ts --json     # figures as JSON (no miss list)
 *   npx tsx scripts/eval-faq.ts --tune     # also grid-search the decision thresholds
 *   npx tsx scripts/eval-faq.ts --faq DIR --eval FILE
 *
 * Prints top-1 accuracy, top-3 accuracy (expected entry among the answer or
 * the ambiguous candidates), the out-of-scope refusal rate, false refusals,
 * then the misses. Exit code is 0 unless the content or the eval file is broken.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadFaqEntries, FaqContentError } from '../src/domain/faq/load-content.js';
import { buildFaqIndex, DEFAULT_THRESHOLDS, type FaqIndex, type MatchThresholds } from '../src/domain/faq/matcher.js';
import type { FaqEntry } from '../src/domain/faq/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One labelled question of the eval set. */
const evalItemSchema = z.object({
  q: z.string().min(1),
  expected: z.string().nullable(),
  lang: z.enum(['id', 'en']),
  previousEntryId: z.string().optional(),
});
type EvalItem = z.infer<typeof evalItemSchema>;

/** Figures of one evaluation run. */
export interface EvalFigures {
  items: number;
  inScope: number;
  outOfScope: number;
  top1: number;
  top3: number;
  ambiguous: number;
  wrongAnswer: number;
  falseRefusals: number;
  refusals: number;
  answeredOutOfScope: number;
  langCorrect: number;
}

interface Outcome {
  item: EvalItem;
  kind: 'answer' | 'ambiguous' | 'out_of_scope';
  got: string[];
  top1: boolean;
  top3: boolean;
}

/** Loads and validates the eval set. */
export async function loadEvalSet(file: string, entries: FaqEntry[]): Promise<EvalItem[]> {
  const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
  const items = z.array(evalItemSchema).parse(raw);
  const ids = new Set(entries.map((e) => e.id));
  const unknown = items.filter((i) => i.expected !== null && !ids.has(i.expected));
  if (unknown.length > 0) {
    console.warn(`warning: ${unknown.length} eval item(s) expect an id that is not in the FAQ: ${[...new Set(unknown.map((i) => i.expected))].join(', ')}`);
  }
  return items;
}

function run(index: FaqIndex, items: EvalItem[]): { figures: EvalFigures; outcomes: Outcome[] } {
  const f: EvalFigures = {
    items: items.length,
    inScope: 0,
    outOfScope: 0,
    top1: 0,
    top3: 0,
    ambiguous: 0,
    wrongAnswer: 0,
    falseRefusals: 0,
    refusals: 0,
    answeredOutOfScope: 0,
    langCorrect: 0,
  };
  const outcomes: Outcome[] = [];
  for (const item of items) {
    const ctx = item.previousEntryId !== undefined ? { previousEntryId: item.previousEntryId } : {};
    const m = index.match(item.q, ctx);
    if (m.lang === item.lang) f.langCorrect += 1;
    const got = m.kind === 'answer' ? [m.entry.id] : m.kind === 'ambiguous' ? m.candidates.map((c) => c.id) : [];
    const top1 = m.kind === 'answer' && got[0] === item.expected;
    const top3 = item.expected !== null && got.includes(item.expected);
    if (item.expected === null) {
      f.outOfScope += 1;
      if (m.kind === 'out_of_scope') f.refusals += 1;
      else f.answeredOutOfScope += 1;
    } else {
      f.inScope += 1;
      if (top1) f.top1 += 1;
      if (top3) f.top3 += 1;
      if (m.kind === 'ambiguous') f.ambiguous += 1;
      if (m.kind === 'answer' && !top1) f.wrongAnswer += 1;
      if (m.kind === 'out_of_scope') f.falseRefusals += 1;
    }
    outcomes.push({ item, kind: m.kind, got, top1, top3 });
  }
  return { figures: f, outcomes };
}

const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

function printFigures(f: EvalFigures): void {
  console.log(`questions           ${f.items} (${f.inScope} in scope, ${f.outOfScope} out of scope)`);
  console.log(`top-1 accuracy      ${pct(f.top1, f.inScope)}  (${f.top1}/${f.inScope})`);
  console.log(`top-3 accuracy      ${pct(f.top3, f.inScope)}  (${f.top3}/${f.inScope})`);
  console.log(`  ambiguous         ${f.ambiguous}   wrong answer ${f.wrongAnswer}`);
  console.log(`false refusals      ${f.falseRefusals} (${pct(f.falseRefusals, f.inScope)} of in-scope)`);
  console.log(`out-of-scope refusal ${pct(f.refusals, f.outOfScope)}  (${f.refusals}/${f.outOfScope}; answered ${f.answeredOutOfScope})`);
  console.log(`reply language      ${pct(f.langCorrect, f.items)}`);
}

/**
 * Objective for tuning, per in-scope question: right answer 1, right entry
 * among ambiguous choices 0.6 (one more tap), refusal 0, wrong answer −0.5;
 * plus the out-of-scope refusal rate.
 */
function objective(f: EvalFigures): number {
  const inScope = Math.max(f.inScope, 1);
  const utility = (f.top1 + 0.6 * (f.top3 - f.top1) - 0.5 * f.wrongAnswer) / inScope;
  const refusal = f.outOfScope ? f.refusals / f.outOfScope : 1;
  return utility + refusal;
}

/** Values tried for each threshold by {@link tune}. */
const TUNE_GRID: { [K in keyof MatchThresholds]: number[] } = {
  minCoverage: [0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55],
  minCoverageWeak: [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7],
  ambiguityRatio: [0.7, 0.75, 0.8, 0.85, 0.9, 0.95],
  trackPenalty: [0.3, 0.4, 0.55, 0.7, 0.85],
  maxUnknownShare: [0.15, 0.2, 0.25, 0.34, 0.4],
  genericWeight: [0.3, 0.45, 0.6, 0.8, 1],
  secondDocWeight: [0, 0.15, 0.3, 0.5],
  docCoverageWeight: [0, 0.25, 0.5, 0.75, 1],
  entryWeight: [0, 0.25, 0.5, 1, 2],
  coverageExponent: [0, 0.5, 1, 1.5, 2],
  unknownWeight: [0, 0.1, 0.25, 0.4, 0.6],
  idfPower: [0, 0.5, 1],
};

/**
 * Coordinate descent over the thresholds (two passes), starting from the
 * defaults. Prints the path so that robustness (flat optima) can be judged.
 */
function tune(entries: FaqEntry[], items: EvalItem[]): void {
  let current: MatchThresholds = { ...DEFAULT_THRESHOLDS };
  const evaluate = (t: MatchThresholds): { figures: EvalFigures; score: number } => {
    const { figures } = run(buildFaqIndex(entries, undefined, { thresholds: t }), items);
    return { figures, score: objective(figures) };
  };
  let best = evaluate(current);
  console.log(`\nTuning (objective: see objective()), start ${best.score.toFixed(4)}`);
  for (let pass = 1; pass <= 2; pass += 1) {
    for (const key of Object.keys(TUNE_GRID) as Array<keyof MatchThresholds>) {
      const row: string[] = [];
      for (const value of TUNE_GRID[key]) {
        const candidate = { ...current, [key]: value };
        const r = evaluate(candidate);
        row.push(`${value}:${r.score.toFixed(3)}`);
        if (r.score > best.score + 1e-9) {
          best = r;
          current = candidate;
        }
      }
      console.log(`  pass ${pass} ${key.padEnd(18)} → ${String(current[key]).padEnd(5)} [${row.join(' ')}]`);
    }
  }
  const f = best.figures;
  console.log(`Best ${JSON.stringify(current)}`);
  console.log(`  top1 ${pct(f.top1, f.inScope)} top3 ${pct(f.top3, f.inScope)} refusal ${pct(f.refusals, f.outOfScope)} wrong ${f.wrongAnswer} falseRefusals ${f.falseRefusals}`);
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const faqDir = argValue(args, '--faq') ?? path.join(ROOT, 'flows/content/faq');
  const evalFile = argValue(args, '--eval') ?? path.join(ROOT, 'test/fixtures/faq-eval.json');
  const entries = await loadFaqEntries(faqDir);
  const items = await loadEvalSet(evalFile, entries);
  const t0 = performance.now();
  const index = buildFaqIndex(entries);
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  const { figures, outcomes } = run(index, items);
  const matchMs = performance.now() - t1;

  if (args.includes('--json')) {
    console.log(JSON.stringify({ ...figures, buildMs, meanMatchMs: matchMs / Math.max(items.length, 1) }, null, 2));
    return;
  }
  console.log(`FAQ eval: ${entries.length} entries from ${path.relative(ROOT, faqDir)}, ${items.length} questions from ${path.relative(ROOT, evalFile)}`);
  console.log(`thresholds ${JSON.stringify(index.thresholds)}${JSON.stringify(index.thresholds) === JSON.stringify(DEFAULT_THRESHOLDS) ? ' (defaults)' : ''}`);
  console.log(`index build ${buildMs.toFixed(1)} ms, ${(matchMs / Math.max(items.length, 1)).toFixed(3)} ms/question (first pass, cold caches)\n`);
  printFigures(figures);

  const misses = outcomes.filter((o) => (o.item.expected === null ? o.kind !== 'out_of_scope' : !o.top1));
  if (misses.length > 0) {
    console.log(`\nMisses (${misses.length}):`);
    for (const o of misses) {
      const ex = index.explain(o.item.q, o.item.previousEntryId !== undefined ? { previousEntryId: o.item.previousEntryId } : {});
      const label = o.item.expected === null ? 'ANSWERED-OOS' : o.kind === 'out_of_scope' ? 'REFUSED' : o.kind === 'ambiguous' ? (o.top3 ? 'AMBIG-OK' : 'AMBIG-MISS') : 'WRONG';
      console.log(`  [${label}] ${JSON.stringify(o.item.q)} expected=${o.item.expected ?? 'null'} got=${o.kind}${o.got.length ? `:${o.got.join(',')}` : ''}`);
      const ranked = ex.ranked
        .slice(0, 3)
        .map((r) => `${r.entry.id} ${r.score.toFixed(1)}/${r.coverage.toFixed(2)}`)
        .join('; ');
      console.log(`      terms=[${ex.tokens.join(' ')}] gate=${ex.gate.reason}${ex.gate.unknown.length ? ` unknown=[${ex.gate.unknown.join(' ')}]` : ''} top=${ranked}`);
    }
  }
  if (args.includes('--tune')) tune(entries, items);
}

main().catch((err: unknown) => {
  if (err instanceof FaqContentError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
