/**
 * Understanding-step evaluation (`npm run eval:nlu`).
 *
 *   npm run eval:nlu                     # both approaches on the dev split, the kept one on the test split
 *   npm run eval:nlu -- --model softmax  # one approach only (softmax | nlpjs)
 *   npm run eval:nlu -- --tune           # also grid-search the decision thresholds on the DEV split
 *   npm run eval:nlu -- --misses         # list dev-split misses (never the test split's)
 *
 * Training data: flows/content/understanding/train/ + every FAQ entry's example questions + the
 * old FAQ eval sets; a stratified 15 % of it (fixed seed) is the dev split for tuning. The test
 * split (flows/content/understanding/test/) is only ever measured here, never tuned on.
 *
 * Prints per-intent precision and recall, FAQ top-1, routing accuracy for complaint / status /
 * forum, bribery recall, off-topic refusal, Indonesian messages that would switch a person to
 * English, the most confused pairs, and the classification p50 / p99.
 */
import path from 'node:path';
import { loadFaqEntries } from '../src/domain/faq/load-content.js';
import { buildFaqIndex, type FaqIndex, type MatchExplanation } from '../src/domain/faq/matcher.js';
import { featuresOf, type FeatureVector, type FeatureWeights } from '../src/domain/understanding/features.js';
import type { IntentModel, SoftmaxSettings } from '../src/domain/understanding/models.js';
import type { IntentScore } from '../src/domain/understanding/types.js';
import { devSplit, loadSplit, ROOT_DIR, trainingUtterances, unseenTestItems, type Utterance } from '../src/domain/understanding/corpus.js';
import { isClearlyEnglish } from '../src/domain/understanding/language.js';
import { trainModel } from '../src/domain/understanding/model-cache.js';
import type { ModelKind } from '../src/domain/understanding/models.js';
import { DEFAULT_DECISION, STAFF_INTENTS, Understander, type DecisionThresholds } from '../src/domain/understanding/service.js';

const args = process.argv.slice(2);
const only = args.includes('--model') ? (args[args.indexOf('--model') + 1] as ModelKind) : undefined;
const kinds: ModelKind[] = only ? [only] : ['softmax', 'softmax2', 'nlpjs'];
const KEPT: ModelKind = 'softmax';

/** Where an intent leads: its flow, or itself. */
function routeOf(intent: string): string {
  if (intent === 'complaint.new') return 'complaint';
  if (intent.startsWith('complaint.')) return 'status';
  if (intent === 'forum.list' || intent === 'forum.signup') return 'forum';
  if (intent === 'forum.mine' || intent === 'forum.cancel') return 'forumku';
  return intent;
}

interface Row {
  u: Utterance;
  /** CPU time of the classification (user + system): unlike wall time, not inflated by other programs on a shared machine. */
  cpuMs: number;
  /** The acted intent, or `clarify` / `lost`. */
  got: string;
  choices: string[];
  ms: number;
}

/** Per-message classification times of a second pass (stemmer and typo caches warm, as in a running service). */
let warmMs: number[] = [];
let warmCpuMs: number[] = [];

function run(und: Understander, items: Utterance[], timeWarm = false): Row[] {
  if (timeWarm) {
    warmMs = [];
    warmCpuMs = [];
    for (const u of items) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      und.decide(und.understand(u.text, { isStaff: STAFF_INTENTS.has(u.intent), lang: 'id' }));
      warmMs.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      warmCpuMs.push((c.user + c.system) / 1000);
    }
  }
  return items.map((u) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = und.understand(u.text, { isStaff: STAFF_INTENTS.has(u.intent), lang: 'id' });
    const d = und.decide(r);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const got = d.kind === 'act' ? d.intent : d.kind;
    return { u, got, choices: d.kind === 'clarify' ? d.intents : d.kind === 'act' ? [d.intent] : [], ms, cpuMs: (c.user + c.system) / 1000 };
  });
}

const pct = (a: number, b: number) => (b === 0 ? '   –  ' : `${((100 * a) / b).toFixed(1).padStart(5)} %`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

function summary(rows: Row[]) {
  const by = (f: (r: Row) => boolean) => rows.filter(f);
  const faq = by((r) => r.u.intent.startsWith('faq:'));
  const groups = ['complaint', 'status', 'forum', 'forumku'].map((g) => {
    const items = by((r) => routeOf(r.u.intent) === g);
    return { g, n: items.length, ok: items.filter((r) => routeOf(r.got) === g).length };
  });
  const bribery = by((r) => r.u.intent === 'bribery');
  const off = by((r) => r.u.intent === 'off_topic');
  const idItems = by((r) => r.u.lang === 'id');
  return {
    n: rows.length,
    acc: rows.filter((r) => r.got === r.u.intent).length,
    faqN: faq.length,
    faqTop1: faq.filter((r) => r.got === r.u.intent).length,
    faqTop3: faq.filter((r) => r.choices.includes(r.u.intent)).length,
    clarifiedRight: rows.filter((r) => r.got === 'clarify' && r.choices.includes(r.u.intent)).length,
    groups,
    briberyN: bribery.length,
    briberyOk: bribery.filter((r) => r.got === 'bribery').length,
    offN: off.length,
    offOk: off.filter((r) => r.got === 'off_topic' || r.got === 'lost').length,
    falseBribery: rows.filter((r) => r.got === 'bribery' && r.u.intent !== 'bribery').length,
    switched: idItems.filter((r) => isClearlyEnglish(r.u.text)).length,
    idN: idItems.length,
    p50: quantile(rows.map((r) => r.ms), 0.5),
    p99: quantile(rows.map((r) => r.ms), 0.99),
    cpuP50: quantile(rows.map((r) => r.cpuMs), 0.5),
    cpuP99: quantile(rows.map((r) => r.cpuMs), 0.99),
  };
}

function printSummary(title: string, rows: Row[], detail: boolean): void {
  const s = summary(rows);
  console.log(`\n== ${title}: ${s.n} utterances`);
  console.log(`  overall (acted on the right intent)   ${pct(s.acc, s.n)}`);
  console.log(`  FAQ top-1 (${s.faqN})                      ${pct(s.faqTop1, s.faqN)}   in the answer or the clarifying choices ${pct(s.faqTop3, s.faqN)}`);
  for (const g of s.groups) console.log(`  routing ${g.g.padEnd(10)} (${String(g.n).padStart(3)})         ${pct(g.ok, g.n)}`);
  const cf = s.groups.filter((g) => g.g !== 'status');
  console.log(`  routing complaint+forum               ${pct(cf.reduce((a, g) => a + g.ok, 0), cf.reduce((a, g) => a + g.n, 0))}`);
  console.log(`  bribery recall (${s.briberyN})                 ${pct(s.briberyOk, s.briberyN)}   (false bribery alarms: ${s.falseBribery})`);
  console.log(`  off-topic refused (${s.offN})              ${pct(s.offOk, s.offN)}`);
  console.log(`  Indonesian messages switching to English: ${s.switched} of ${s.idN}`);
  console.log(`  classification p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms wall; CPU p50 ${s.cpuP50.toFixed(2)} ms, p99 ${s.cpuP99.toFixed(2)} ms (first sight of each message)`);
  if (warmMs.length === rows.length) console.log(`  classification p50 ${quantile(warmMs, 0.5).toFixed(2)} ms, p99 ${quantile(warmMs, 0.99).toFixed(2)} ms wall; CPU p50 ${quantile(warmCpuMs, 0.5).toFixed(2)} ms, p99 ${quantile(warmCpuMs, 0.99).toFixed(2)} ms (again, caches warm)`);
  if (!detail) return;
  const intents = [...new Set(rows.flatMap((r) => [r.u.intent, r.got]))].filter((i) => i !== 'clarify' && i !== 'lost').sort();
  console.log('\n  per intent            precision   recall   (n)');
  for (const i of intents) {
    const tp = rows.filter((r) => r.u.intent === i && r.got === i).length;
    const pred = rows.filter((r) => r.got === i).length;
    const n = rows.filter((r) => r.u.intent === i).length;
    if (n === 0 && pred === 0) continue;
    console.log(`  ${i.padEnd(32).slice(0, 32)} ${pct(tp, pred)}  ${pct(tp, n)}  (${n})`);
  }
  const pairs = new Map<string, number>();
  for (const r of rows) if (r.got !== r.u.intent) pairs.set(`${r.u.intent} → ${r.got}`, (pairs.get(`${r.u.intent} → ${r.got}`) ?? 0) + 1);
  console.log('\n  most confused (expected → got)');
  for (const [k, v] of [...pairs].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${String(v).padStart(4)}  ${k}`);
}

function tune(und: Understander, rows: Utterance[]): DecisionThresholds {
  let best = { t: und.thresholds, score: -1 };
  const grid: DecisionThresholds[] = [];
  for (const answerVote of [0.2, 0.4, 0.8])
    for (const ambiguousVote of [0, 0.1, 0.2])
      for (const refuseVote of [0, 0.1])
       for (const otherDomainVote of [0, 0.3, 0.6, 1])
        for (const sure of [0.2, 0.3, 0.4])
          for (const floor of [0.05, 0.1, 0.15]) if (floor <= sure) for (const closeRatio of [0.6, 0.75, 0.9, 1.01]) grid.push({ sure, floor, candidate: 0.08, closeRatio, answerVote, ambiguousVote, refuseVote, otherDomainVote, unknownVote: und.thresholds.unknownVote, unknownShare: und.thresholds.unknownShare, unknownUnlessSure: und.thresholds.unknownUnlessSure, otherTrack: und.thresholds.otherTrack });
  for (const t of grid) {
    const s = summary(run(und.withThresholds(t), rows));
    // Acting right counts; a clarifying question that holds the answer counts half.
    const score = s.acc + 0.5 * s.clarifiedRight + s.offOk;
    if (score > best.score) best = { t, score };
  }
  return best.t;
}

const entries = await loadFaqEntries(path.join(ROOT_DIR, 'flows/content/faq'));
const index = buildFaqIndex(entries);
const all = trainingUtterances(entries);
const { train, dev } = devSplit(all);
let test: Utterance[] = [];
let sharedWithTraining = 0;
try {
  const written = loadSplit('test');
  test = unseenTestItems(written, all);
  sharedWithTraining = written.length - test.length;
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
console.log(`training utterances ${all.length} (${new Set(all.map((u) => u.intent)).size} intents): train part ${train.length}, dev part ${dev.length}; test split ${test.length} (${sharedWithTraining} more whose text is also a training text are not measured)`);

for (const kind of kinds) {
  let t0 = performance.now();
  const envWeights = process.env['NLU_WEIGHTS'] ? (JSON.parse(process.env['NLU_WEIGHTS']) as FeatureWeights) : undefined;
  const envSoftmax = process.env['NLU_SOFTMAX'] ? (JSON.parse(process.env['NLU_SOFTMAX']) as SoftmaxSettings) : undefined;
  const devModel = trainModel(train, { kind, cacheDir: null, ...(envWeights ? { weights: envWeights } : {}), ...(envSoftmax ? { softmax: envSoftmax } : {}) });
  const trainMs = performance.now() - t0;
  // The FAQ matcher of the ensemble must not know the dev part's FAQ example questions either.
  const devTexts = new Set(dev.map((u) => u.text));
  const devIndex = buildFaqIndex(entries.map((e) => ({ ...e, questions: { id: e.questions.id.filter((q) => !devTexts.has(q)), en: e.questions.en.filter((q) => !devTexts.has(q)) } })));
  const envDecision = process.env['NLU_DECISION'] ? { ...DEFAULT_DECISION, ...(JSON.parse(process.env['NLU_DECISION']) as Partial<DecisionThresholds>) } : undefined;
  let und = new Understander(devModel, () => devIndex, envWeights, envDecision);
  if (args.includes('--tune')) {
    // Tuning re-decides the same dev items thousands of times: remember model and matcher outputs.
    const memo = new Map<FeatureVector, IntentScore[]>();
    const memoModel: IntentModel = {
      kind: devModel.kind,
      classify: (f) => memo.get(f) ?? devModel.classify(f),
      knowsAnyWord: (f) => devModel.knowsAnyWord(f),
      unknownShare: (f) => devModel.unknownShare?.(f),
      toJSON: () => devModel.toJSON(),
    };
    const explainMemo = new Map<string, MatchExplanation>();
    const memoIndex: FaqIndex = {
      ...devIndex,
      explain: (text, ctx) => (ctx ? devIndex.explain(text, ctx) : explainMemo.get(text) ?? (explainMemo.set(text, devIndex.explain(text)), explainMemo.get(text)!)),
    };
    const featureMemo = new Map<string, FeatureVector>();
    und = new Understander(memoModel, () => memoIndex, undefined, und.thresholds, (text) => {
      let f = featureMemo.get(text);
      if (!f) {
        f = featuresOf(text, envWeights);
        featureMemo.set(text, f);
        memo.set(f, devModel.classify(f));
      }
      return f;
    });
    const t = tune(und, dev);
    console.log(`\n[${kind}] tuned on dev: ${JSON.stringify(t)} (default ${JSON.stringify(DEFAULT_DECISION)})`);
    und = und.withThresholds(t);
  }
  const devRows = run(und, dev);
  run(und, dev, true);
  printSummary(`[${kind}] DEV split (trained on the train part, ${Math.round(trainMs)} ms)`, devRows, false);
  warmMs = [];
  warmCpuMs = [];
  if (args.includes('--misses')) {
    for (const r of devRows.filter((r) => r.got !== r.u.intent)) console.log(`    ${r.u.intent.padEnd(28)} got ${r.got.padEnd(28)} ${r.u.text}`);
  }
  if (test.length === 0 || args.includes('--dev-only')) continue;
  t0 = performance.now();
  const fullModel = trainModel(all, { kind, cacheDir: null });
  const fullMs = performance.now() - t0;
  const full = new Understander(fullModel, () => index);
  const testRows = run(full, test);
  run(full, test, true);
  printSummary(`[${kind}] TEST split (trained on all training data, ${Math.round(fullMs)} ms)${kind === KEPT ? ' — the model in use' : ''}`, testRows, kind === KEPT || kinds.length === 1);
  warmMs = [];
  warmCpuMs = [];
}
