/**
 * FAQ matcher evaluation report.
 *
 *   npx tsx scripts/eval-faq.ts                 # report on both sets: test/fixtures/faq-eval.json
 *                                               #   and the dev set test/fixtures/faq-eval-dev.json
 *   npx tsx scripts/eval-faq.ts FILE [FILE...]  # report on the given set(s) only
 *   npx tsx scripts/eval-faq.ts --json          # figures as JSON (no miss list)
 *   npx tsx scripts/eval-faq.ts --tune          # also grid-search the decision thresholds
 *                                               #   (objective: sum over all the sets given)
 *   npx tsx scripts/eval-faq.ts --faq DIR --eval FILE
 *
 * Two sets are kept on purpose: tune on one, check that the other moves the
 * same way. A change that helps only one of them is probably overfitting.
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
  siblingTrackPenalty: [0.25, 0.5, 0.75, 1],
  defaultTrackBias: [0.6, 0.7, 0.8, 0.9, 1],
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
function tune(entries: FaqEntry[], sets: EvalItem[][]): void {
  let current: MatchThresholds = { ...DEFAULT_THRESHOLDS };
  const evaluate = (t: MatchThresholds): { figures: EvalFigures; score: number } => {
    const index = buildFaqIndex(entries, undefined, { thresholds: t });
    const all = sets.map((items) => run(index, items).figures);
    return { figures: sumFigures(all), score: all.reduce((sum, f) => sum + objective(f), 0) };
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

/** Adds up the figures of several runs. */
function sumFigures(list: EvalFigures[]): EvalFigures {
  const total: EvalFigures = { items: 0, inScope: 0, outOfScope: 0, top1: 0, top3: 0, ambiguous: 0, wrongAnswer: 0, falseRefusals: 0, refusals: 0, answeredOutOfScope: 0, langCorrect: 0 };
  for (const f of list) for (const k of Object.keys(total) as Array<keyof EvalFigures>) total[k] += f[k];
  return total;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Options that take a value (their value is not a positional argument). */
const VALUE_OPTIONS = new Set(['--faq', '--eval']);

/** Positional arguments: eval set files. */
function positional(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i] ?? '';
    if (VALUE_OPTIONS.has(a)) i += 1;
    else if (!a.startsWith('--')) out.push(a);
  }
  return out;
}

/** Default eval sets: the main labelled set and the dev set. */
const DEFAULT_SETS = ['test/fixtures/faq-eval.json', 'test/fixtures/faq-eval-dev.json'];

function printMisses(index: FaqIndex, outcomes: Outcome[]): void {
  const misses = outcomes.filter((o) => (o.item.expected === null ? o.kind !== 'out_of_scope' : !o.top1));
  if (misses.length === 0) return;
  console.log(`\nMisses (${misses.length}):`);
  for (const o of misses) {
    const ex = index.explain(o.item.q, o.item.previousEntryId !== undefined ? { previousEntryId: o.item.previousEntryId } : {});
    const label = o.item.expected === null ? 'ANSWERED-OOS' : o.kind === 'out_of_scope' ? 'REFUSED' : o.kind === 'ambiguous' ? (o.top3 ? 'AMBIG-OK' : 'AMBIG-MISS') : 'WRONG';
    const prev = o.item.previousEntryId !== undefined ? ` (after ${o.item.previousEntryId})` : '';
    console.log(`  [${label}] ${JSON.stringify(o.item.q)}${prev} expected=${o.item.expected ?? 'null'} got=${o.kind}${o.got.length ? `:${o.got.join(',')}` : ''}`);
    const ranked = ex.ranked
      .slice(0, 3)
      .map((r) => `${r.entry.id} ${r.score.toFixed(1)}/${r.coverage.toFixed(2)}`)
      .join('; ');
    console.log(`      terms=[${ex.tokens.join(' ')}] gate=${ex.gate.reason}${ex.gate.unknown.length ? ` unknown=[${ex.gate.unknown.join(' ')}]` : ''} top=${ranked}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const faqDir = argValue(args, '--faq') ?? path.join(ROOT, 'flows/content/faq');
  const explicit = [...positional(args), ...(argValue(args, '--eval') !== undefined ? [argValue(args, '--eval') ?? ''] : [])];
  const evalFiles = (explicit.length > 0 ? explicit : DEFAULT_SETS).map((f) => path.resolve(explicit.length > 0 ? process.cwd() : ROOT, f));
  const entries = await loadFaqEntries(faqDir);
  const sets: Array<{ file: string; items: EvalItem[] }> = [];
  for (const file of evalFiles) sets.push({ file, items: await loadEvalSet(file, entries) });
  const t0 = performance.now();
  const index = buildFaqIndex(entries);
  const buildMs = performance.now() - t0;

  const reports = sets.map(({ file, items }) => {
    const t1 = performance.now();
    const { figures, outcomes } = run(index, items);
    return { file, figures, outcomes, matchMs: performance.now() - t1 };
  });

  if (args.includes('--json')) {
    const out = reports.map((r) => ({ file: path.relative(ROOT, r.file), ...r.figures, meanMatchMs: r.matchMs / Math.max(r.figures.items, 1) }));
    console.log(JSON.stringify({ buildMs, sets: out }, null, 2));
    return;
  }
  console.log(`FAQ eval: ${entries.length} entries from ${path.relative(ROOT, faqDir)}`);
  console.log(`thresholds ${JSON.stringify(index.thresholds)}${JSON.stringify(index.thresholds) === JSON.stringify(DEFAULT_THRESHOLDS) ? ' (defaults)' : ''}`);
  console.log(`index build ${buildMs.toFixed(1)} ms`);
  for (const r of reports) {
    console.log(`\n=== ${path.relative(ROOT, r.file)}: ${r.figures.items} questions, ${(r.matchMs / Math.max(r.figures.items, 1)).toFixed(3)} ms/question (first pass)`);
    printFigures(r.figures);
    if (!args.includes('--summary')) printMisses(index, r.outcomes);
  }
  if (reports.length > 1) {
    console.log('\n=== summary');
    for (const r of reports) {
      const f = r.figures;
      console.log(`  ${path.relative(ROOT, r.file).padEnd(34)} top-1 ${pct(f.top1, f.inScope).padStart(6)}  top-3 ${pct(f.top3, f.inScope).padStart(6)}  refusal ${pct(f.refusals, f.outOfScope).padStart(6)}  wrong ${f.wrongAnswer}  false-refusals ${f.falseRefusals}`);
    }
  }
  if (args.includes('--tune')) tune(entries, sets.map((s) => s.items));
}

main().catch((err: unknown) => {
  if (err instanceof FaqContentError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
