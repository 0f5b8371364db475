/**
 * The bribery guard against the TRAINING utterances (never the test split): which bribery items it
 * misses (the classifier must catch them) and which other items it claims.
 *
 *   npx tsx scripts/check-bribery-guard.ts
 */
import path from 'node:path';
import { loadFaqEntries } from '../src/domain/faq/load-content.js';
import { ROOT_DIR, trainingUtterances } from '../src/domain/understanding/corpus.js';
import { isBribery } from '../src/domain/understanding/bribery.js';
const entries = await loadFaqEntries(path.join(ROOT_DIR, 'flows/content/faq'));
const all = trainingUtterances(entries);
const miss = all.filter((u) => u.intent === 'bribery' && !isBribery(u.text));
const fa = all.filter((u) => u.intent !== 'bribery' && isBribery(u.text));
console.log('bribery items', all.filter((u) => u.intent === 'bribery').length, 'guard misses', miss.length, 'false alarms', fa.length);
for (const u of miss) console.log('MISS', u.text);
for (const u of fa) console.log('FA  ', u.intent, '|', u.text);
