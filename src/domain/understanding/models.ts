/**
 * The two classifiers compared on the same splits (see `npm run eval:nlu`):
 *
 * - `softmax`: multinomial logistic regression over {@link featuresOf} (a well-known linear
 *   baseline), trained with seeded SGD; outputs calibrated probabilities.
 * - `nlpjs`: NLP.js's neural classifier (`@nlpjs/neural`, one perceptron per intent, the model
 *   behind `@nlpjs/nlu`) on the same features.
 *
 * Both serialise to JSON data (the softmax weights as a Float32Array, see model-file.ts) so a
 * trained model can be cached by content hash.
 */
import { createRequire } from 'node:module';
import type { FeatureVector } from './features.js';
import { mulberry32 } from './corpus.js';
import type { IntentScore } from './types.js';

/** One training example: features and its intent. */
export interface Example {
  features: FeatureVector;
  intent: string;
}

/** A trained classifier: every intent with a score, best first, scores summing to 1. */
export interface IntentModel {
  readonly kind: ModelKind;
  classify(features: FeatureVector): IntentScore[];
  /** True when a word of the message occurs in the training data, or most of its letter trigrams do. */
  knowsAnyWord(features: FeatureVector): boolean;
  /**
   * Share (0–1) of the message's canonical terms that no in-domain training example (any intent
   * but `off_topic`) has: "bengkel motor buka 24 jam" is mostly words the office never hears.
   * `undefined` for models that keep no such vocabulary.
   */
  unknownShare?(features: FeatureVector): number | undefined;
  toJSON(): SerializedModel;
}

export type ModelKind = 'softmax' | 'nlpjs' | 'softmax2';

export type SerializedModel =
  /** Weights: the features × intents matrix, row-major; `domain`: the in-domain words. */
  | { kind: 'softmax'; intents: string[]; features: string[]; weights: Float32Array; bias: number[]; idf: Record<string, number>; domain?: string[] }
  | { kind: 'nlpjs'; json: unknown; idf: Record<string, number> }
  | { kind: 'softmax2'; coarse: SerializedModel; fine: SerializedModel };

/**
 * Inverse document frequency of each feature over the training examples: words every intent uses
 * ("saya", "ini", "siapa") weigh less than words that tell intents apart (TF-IDF).
 */
function fitIdf(examples: Example[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const e of examples) for (const f of e.features.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const n = examples.length;
  return new Map([...df].map(([f, c]) => [f, Math.round(1e4 * Math.log((n + 1) / (c + 1)) + 1e4) / 1e4]));
}

function knowsWord(features: FeatureVector, idf: Map<string, number>): boolean {
  let grams = 0;
  let knownGrams = 0;
  for (const f of features.keys()) {
    if ((f.startsWith('w:') || f.startsWith('r:')) && idf.has(f)) return true;
    if (f.startsWith('c:')) {
      grams += 1;
      if (idf.has(f)) knownGrams += 1;
    }
  }
  // No word seen before, but spelt much like words that were ("hallo", "okee").
  return grams > 0 && knownGrams / grams >= 0.75;
}

/** The canonical terms (`w:` features) of every example that is not `off_topic`. */
function domainTerms(examples: Example[]): Set<string> {
  const out = new Set<string>();
  for (const e of examples) if (e.intent !== 'off_topic') for (const f of e.features.keys()) if (f.startsWith('w:')) out.add(f);
  return out;
}

/** Share of the `w:` features not in `domain`; `undefined` when the message has no canonical term. */
function unknownTermShare(features: FeatureVector, domain: Set<string>): number | undefined {
  let n = 0;
  let unknown = 0;
  for (const f of features.keys()) {
    if (!f.startsWith('w:')) continue;
    n += 1;
    if (!domain.has(f)) unknown += 1;
  }
  return n === 0 ? undefined : unknown / n;
}

/** Features weighted by IDF (unknown features dropped) and L2-normalised. */
function applyIdf(features: FeatureVector, idf: Map<string, number>): FeatureVector {
  const out: FeatureVector = new Map();
  let norm = 0;
  for (const [f, v] of features) {
    const w = idf.get(f);
    if (w === undefined) continue;
    out.set(f, v * w);
    norm += (v * w) ** 2;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [f, v] of out) out.set(f, v / norm);
  return out;
}

/** Training settings of the softmax model. */
export interface SoftmaxSettings {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /**
   * SGD runs in different shuffle orders whose weights are averaged (bagging over the order): one
   * run's weights depend on the order it met the examples, by about a point of dev accuracy.
   * Costs that many times the training time; classification is one model as before.
   */
  bags?: number;
}

export const DEFAULT_SOFTMAX: Readonly<SoftmaxSettings> = Object.freeze({ epochs: 25, learningRate: 5, l2: 0, seed: 11, bags: 3 });

function softmaxScores(intents: string[], logits: Float64Array): IntentScore[] {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  const exp = new Float64Array(logits.length);
  for (let k = 0; k < logits.length; k += 1) {
    exp[k] = Math.exp((logits[k] ?? 0) - max);
    sum += exp[k] ?? 0;
  }
  return intents.map((intent, k) => ({ intent, score: (exp[k] ?? 0) / sum })).sort((a, b) => b.score - a.score);
}

class SoftmaxModel implements IntentModel {
  readonly kind = 'softmax' as const;
  private readonly index: Map<string, number>;

  constructor(
    private readonly intents: string[],
    private readonly features: string[],
    /** features × intents, row-major (float32: half the memory, and no visible change in scores). */
    private readonly w: Float32Array,
    private readonly b: Float64Array,
    private readonly idf: Map<string, number>,
    /** Canonical-term features (`w:`) of the in-domain training examples. */
    private readonly domain: Set<string> = new Set(),
  ) {
    this.index = new Map(features.map((f, i) => [f, i]));
  }

  unknownShare(features: FeatureVector): number | undefined {
    // A model saved before the vocabulary was kept knows no domain: no opinion rather than "all unknown".
    return this.domain.size === 0 ? undefined : unknownTermShare(features, this.domain);
  }

  logits(features: FeatureVector): Float64Array {
    const k = this.intents.length;
    const out = Float64Array.from(this.b);
    for (const [name, v] of applyIdf(features, this.idf)) {
      const i = this.index.get(name);
      if (i === undefined) continue;
      const row = i * k;
      for (let c = 0; c < k; c += 1) out[c]! += v * this.w[row + c]!;
    }
    return out;
  }

  knowsAnyWord(features: FeatureVector): boolean {
    return knowsWord(features, this.idf);
  }

  classify(features: FeatureVector): IntentScore[] {
    return softmaxScores(this.intents, this.logits(features));
  }

  toJSON(): SerializedModel {
    return { kind: 'softmax', intents: this.intents, features: this.features, weights: this.w, bias: Array.from(this.b), idf: Object.fromEntries(this.idf), domain: [...this.domain] };
  }

  static fromJSON(m: Extract<SerializedModel, { kind: 'softmax' }>): SoftmaxModel {
    if (!(m.weights instanceof Float32Array) || m.weights.length !== m.features.length * m.intents.length) throw new Error('softmax weights do not match its features and intents');
    return new SoftmaxModel(m.intents, m.features, m.weights, Float64Array.from(m.bias), new Map(Object.entries(m.idf)), new Set(m.domain ?? []));
  }
}

/** One training example as the SGD loop reads it: feature indexes, TF-IDF values, intent index. */
interface IndexedExample {
  keys: number[];
  vals: number[];
  y: number;
}

/**
 * Trains the multinomial logistic regression with seeded, shuffled SGD; with `bags` > 1, as many
 * runs in different shuffle orders (seeds `seed`, `seed + 1000`, …) whose weights are averaged.
 */
export function trainSoftmax(examples: Example[], settings: SoftmaxSettings = DEFAULT_SOFTMAX): IntentModel {
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const intentIdx = new Map(intents.map((x, i) => [x, i]));
  const featureIdx = new Map<string, number>();
  for (const e of examples) for (const f of e.features.keys()) if (!featureIdx.has(f)) featureIdx.set(f, featureIdx.size);
  const K = intents.length;
  const idf = fitIdf(examples);
  const data: IndexedExample[] = examples.map((e) => {
    const f = applyIdf(e.features, idf);
    return { keys: [...f.keys()].map((k) => featureIdx.get(k)!), vals: [...f.values()], y: intentIdx.get(e.intent)! };
  });
  const bags = Math.max(1, settings.bags ?? 1);
  const w = new Float64Array(featureIdx.size * K);
  const b = new Float64Array(K);
  for (let bag = 0; bag < bags; bag += 1) {
    const run = sgd(data, featureIdx.size, K, settings, settings.seed + 1000 * bag);
    for (let i = 0; i < w.length; i += 1) w[i]! += run.w[i]! / bags;
    for (let c = 0; c < K; c += 1) b[c]! += run.b[c]! / bags;
  }
  return new SoftmaxModel(intents, [...featureIdx.keys()], Float32Array.from(w), b, idf, domainTerms(examples));
}

/** One SGD run over `data` (features × intents weights and the intents' biases). */
function sgd(data: IndexedExample[], features: number, K: number, settings: SoftmaxSettings, seed: number): { w: Float64Array; b: Float64Array } {
  const w = new Float64Array(features * K);
  const b = new Float64Array(K);
  const rand = mulberry32(seed);
  const order = data.map((_, i) => i);
  const logits = new Float64Array(K);
  for (let epoch = 0; epoch < settings.epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = settings.learningRate / (1 + epoch * 0.1);
    for (const n of order) {
      const d = data[n]!;
      logits.set(b);
      for (let a = 0; a < d.keys.length; a += 1) {
        const row = d.keys[a]! * K;
        const v = d.vals[a]!;
        for (let c = 0; c < K; c += 1) logits[c]! += v * w[row + c]!;
      }
      let max = -Infinity;
      for (let c = 0; c < K; c += 1) if (logits[c]! > max) max = logits[c]!;
      let sum = 0;
      for (let c = 0; c < K; c += 1) {
        logits[c] = Math.exp(logits[c]! - max);
        sum += logits[c]!;
      }
      // Gradient of the cross-entropy: p - y, applied to the active features only.
      for (let c = 0; c < K; c += 1) {
        const g = logits[c]! / sum - (c === d.y ? 1 : 0);
        if (Math.abs(g) < 1e-4) continue;
        b[c]! -= lr * g;
        for (let a = 0; a < d.keys.length; a += 1) {
          const idx = d.keys[a]! * K + c;
          w[idx]! -= lr * (g * d.vals[a]! + settings.l2 * w[idx]!);
        }
      }
    }
  }
  return { w, b };
}

// ---------------------------------------------------------------------------
// NLP.js

interface NlpjsNetwork {
  train(corpus: { input: Record<string, number>; output: Record<string, number> }[]): unknown;
  run(input: Record<string, number>): Record<string, number> | undefined;
  toJSON(): unknown;
  fromJSON(json: unknown): void;
}
type NlpjsNetworkClass = new (settings?: Record<string, unknown>) => NlpjsNetwork;

const require = createRequire(import.meta.url);
function nlpjsNetwork(settings?: Record<string, unknown>): NlpjsNetwork {
  const { NeuralNetwork } = require('@nlpjs/neural') as { NeuralNetwork: NlpjsNetworkClass };
  return new NeuralNetwork(settings);
}

class NlpjsModel implements IntentModel {
  readonly kind = 'nlpjs' as const;
  constructor(
    private readonly net: NlpjsNetwork,
    private readonly idf: Map<string, number>,
  ) {}

  knowsAnyWord(features: FeatureVector): boolean {
    return knowsWord(features, this.idf);
  }

  classify(features: FeatureVector): IntentScore[] {
    const out = this.net.run(Object.fromEntries(applyIdf(features, this.idf))) ?? {};
    // NLP.js normalises its perceptron outputs the same way (share of the squared outputs).
    let sum = 0;
    for (const v of Object.values(out)) sum += v * v;
    return Object.entries(out)
      .map(([intent, v]) => ({ intent, score: sum > 0 ? (v * v) / sum : 0 }))
      .sort((a, b) => b.score - a.score);
  }

  toJSON(): SerializedModel {
    return { kind: 'nlpjs', json: this.net.toJSON(), idf: Object.fromEntries(this.idf) };
  }
}

/** Trains NLP.js's neural classifier on the same features. */
export function trainNlpjs(examples: Example[], settings: Record<string, unknown> = { iterations: 300, log: false }): IntentModel {
  const net = nlpjsNetwork(settings);
  const idf = fitIdf(examples);
  net.train(examples.map((e) => ({ input: Object.fromEntries(applyIdf(e.features, idf)), output: { [e.intent]: 1 } })));
  return new NlpjsModel(net, idf);
}

// ---------------------------------------------------------------------------
// Two-level softmax

/** The coarse class of an intent: every FAQ entry is one class `faq`, other intents are their own. */
const coarseOf = (intent: string): string => (intent.startsWith('faq:') ? 'faq' : intent);

/**
 * Two softmax models: a coarse one that tells the ~20 kinds of request apart (all FAQ entries as
 * one class, so a hundred small FAQ classes do not drown complaints or forums), and the fine one
 * over every intent, used only to share the coarse `faq` probability among the entries.
 */
class TwoLevelModel implements IntentModel {
  readonly kind = 'softmax2' as const;
  constructor(
    private readonly coarse: IntentModel,
    private readonly fine: IntentModel,
  ) {}

  knowsAnyWord(features: FeatureVector): boolean {
    return this.coarse.knowsAnyWord(features);
  }

  unknownShare(features: FeatureVector): number | undefined {
    return this.fine.unknownShare?.(features);
  }

  classify(features: FeatureVector): IntentScore[] {
    const coarse = this.coarse.classify(features);
    const fine = this.fine.classify(features).filter((s) => s.intent.startsWith('faq:'));
    const faqShare = coarse.find((s) => s.intent === 'faq')?.score ?? 0;
    const fineSum = fine.reduce((a, s) => a + s.score, 0) || 1;
    return [...coarse.filter((s) => s.intent !== 'faq'), ...fine.map((s) => ({ intent: s.intent, score: (faqShare * s.score) / fineSum }))].sort((a, b) => b.score - a.score);
  }

  toJSON(): SerializedModel {
    return { kind: 'softmax2', coarse: this.coarse.toJSON(), fine: this.fine.toJSON() };
  }
}

/** Trains the two-level model. */
export function trainTwoLevel(examples: Example[], settings: SoftmaxSettings = DEFAULT_SOFTMAX): IntentModel {
  return new TwoLevelModel(trainSoftmax(examples.map((e) => ({ ...e, intent: coarseOf(e.intent) })), settings), trainSoftmax(examples, settings));
}

/** Rebuilds a model saved with `toJSON()`. */
export function modelFromJSON(m: SerializedModel): IntentModel {
  if (m.kind === 'softmax2') return new TwoLevelModel(modelFromJSON(m.coarse), modelFromJSON(m.fine));
  if (m.kind === 'softmax') return SoftmaxModel.fromJSON(m);
  const net = nlpjsNetwork();
  net.fromJSON(m.json);
  return new NlpjsModel(net, new Map(Object.entries(m.idf)));
}
