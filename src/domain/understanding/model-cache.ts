/**
 * Trains the understanding model, or loads it from a cache keyed by a hash of the training
 * content and the model settings, so a start-up after the first costs a file read and a content
 * change (a new utterance, an edited FAQ question) retrains by itself.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { DEFAULT_LEXICON_DIR } from '../faq/normalize.js';
import { contentHash, type Utterance } from './corpus.js';
import { DEFAULT_FEATURE_WEIGHTS, featuresOf, type FeatureWeights } from './features.js';
import { decodeModelFile, encodeModelFile, ModelFileError, type ModelData } from './model-file.js';
import { DEFAULT_SOFTMAX, modelFromJSON, trainNlpjs, trainSoftmax, trainTwoLevel, type IntentModel, type ModelKind, type SerializedModel, type SoftmaxSettings } from './models.js';

/** Bump when features or training change in a way the content hash cannot see. */
const MODEL_VERSION = 'u9';

/** The approach in use (see `npm run eval:nlu` and the README for the comparison). */
export const DEFAULT_MODEL: ModelKind = 'softmax';

export const DEFAULT_CACHE_DIR = path.join(homedir(), '.cache', 'sapa-gajahmungkur', 'understanding');

/** How to get a model. */
export interface ModelOptions {
  kind?: ModelKind;
  weights?: FeatureWeights;
  softmax?: SoftmaxSettings;
  /** Folder of cached models; `null` disables the cache. */
  cacheDir?: string | null;
}

/** Trains on `utterances` with the given settings (no cache). */
export function trainModel(utterances: Utterance[], opts: ModelOptions = {}): IntentModel {
  const weights = opts.weights ?? DEFAULT_FEATURE_WEIGHTS;
  const examples = utterances.map((u) => ({ features: featuresOf(u.text, weights), intent: u.intent }));
  const kind = opts.kind ?? DEFAULT_MODEL;
  if (kind === 'softmax2') return trainTwoLevel(examples, opts.softmax ?? DEFAULT_SOFTMAX);
  return kind === 'softmax' ? trainSoftmax(examples, opts.softmax ?? DEFAULT_SOFTMAX) : trainNlpjs(examples);
}

/**
 * The lexicon files' text: the features come out of them (slang, synonyms, stems), so a change
 * to the lexicon must retrain as surely as a change to the utterances.
 */
function lexiconText(dir: string = DEFAULT_LEXICON_DIR): string {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${f}\u0000${readFileSync(path.join(dir, f), 'utf8')}`)
    .join('\u0001');
}

/** The cached model for this content, trained and stored when missing or stale. */
export function loadOrTrain(utterances: Utterance[], opts: ModelOptions = {}): { model: IntentModel; cached: boolean; key: string } {
  const salt = JSON.stringify([MODEL_VERSION, opts.kind ?? DEFAULT_MODEL, opts.weights ?? DEFAULT_FEATURE_WEIGHTS, opts.softmax ?? DEFAULT_SOFTMAX, lexiconText()]);
  const key = contentHash(utterances, salt);
  const dir = opts.cacheDir === undefined ? DEFAULT_CACHE_DIR : opts.cacheDir;
  const file = dir ? path.join(dir, `model-${key}.bin`) : null;
  if (file) {
    try {
      const model = modelFromJSON(decodeModelFile(readFileSync(file)) as SerializedModel);
      const now = new Date();
      utimesSync(file, now, now);
      return { model, cached: true, key };
    } catch (err) {
      // Missing is the normal first start; a corrupt file is simply rebuilt.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError) && !(err instanceof ModelFileError)) throw err;
    }
  }
  const model = trainModel(utterances, opts);
  if (file && dir) {
    mkdirSync(dir, { recursive: true });
    // Write then rename: two processes starting together never read a half-written model.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, encodeModelFile(model.toJSON() as ModelData));
    renameSync(tmp, file);
    // Models of older content are not read again (the key is the content's hash); another checkout
    // may still use one, so only those untouched for a week go.
    const weekAgo = Date.now() - 7 * 86_400_000;
    for (const old of readdirSync(dir)) {
      const oldPath = path.join(dir, old);
      if (/^model-[0-9a-f]+\.(json|bin)$/.test(old) && oldPath !== file && statSync(oldPath).mtimeMs < weekAgo) rmSync(oldPath, { force: true });
    }
  }
  return { model, cached: false, key };
}
