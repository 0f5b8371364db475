/**
 * Builds the understanding step at start-up: the training content (train/ utterances, FAQ example
 * questions, old FAQ eval sets), the model (from the cache when the content is unchanged, else
 * trained, about 3 s) and the FAQ index used for follow-ups.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { loadFaqEntries } from '../faq/load-content.js';
import { buildFaqIndex, type FaqIndex } from '../faq/matcher.js';
import { ROOT_DIR, trainingUtterances } from './corpus.js';
import { loadOrTrain } from './model-cache.js';
import { Understander } from './service.js';

/** Options of {@link createUnderstander}. */
export interface UnderstanderOptions {
  logger: Logger;
  /** Folder of cached models (default `~/.cache/sapa-gajahmungkur/understanding`); `null`: no cache. */
  cacheDir?: string | null;
  /**
   * The FAQ index the service already keeps (with staff edits), read at each use; by default one
   * is built here from the content files. Sharing it saves a second copy in memory.
   */
  faqIndex?: () => FaqIndex | undefined;
}

/**
 * Trains the model into the cache when the content changed since the last start, without building
 * the rest. The test run calls it once before its workers start, so no two test files train the
 * same model at the same time.
 */
export async function prepareUnderstandingModel(cacheDir?: string | null): Promise<{ cached: boolean; key: string }> {
  const entries = await loadFaqEntries(path.join(ROOT_DIR, 'flows/content/faq'));
  const { cached, key } = loadOrTrain(trainingUtterances(entries), cacheDir === undefined ? {} : { cacheDir });
  return { cached, key };
}

export async function createUnderstander(opts: UnderstanderOptions): Promise<Understander> {
  const started = performance.now();
  const entries = await loadFaqEntries(path.join(ROOT_DIR, 'flows/content/faq'));
  const utterances = trainingUtterances(entries);
  const { model, cached, key } = loadOrTrain(utterances, opts.cacheDir === undefined ? {} : { cacheDir: opts.cacheDir });
  const shared = opts.faqIndex;
  const own = shared ? undefined : buildFaqIndex(entries);
  opts.logger.info({ utterances: utterances.length, cached, key, ms: Math.round(performance.now() - started) }, 'understanding model ready');
  return new Understander(model, shared ?? (() => own));
}
