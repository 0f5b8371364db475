/**
 * The labelled utterances of `flows/content/understanding/train/` as content: every label names an
 * intent the bot knows (the README's intent table, or an existing FAQ entry), no phrasing is
 * written twice, and the rule "paying or connections to pass is `bribery`, never the anti-broker
 * FAQ entry" holds for everything the classifier learns from. Only the train split is read here.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFaqEntries } from '../../src/domain/faq/load-content.js';
import type { FaqEntry } from '../../src/domain/faq/types.js';
import { loadSplit, ROOT_DIR, sameText, trainingUtterances, unseenTestItems, type Utterance } from '../../src/domain/understanding/corpus.js';

/** The intents of the README's table (`flows/content/understanding/README.md`), FAQ entries aside. */
const INTENTS = new Set([
  'complaint.new', 'complaint.status', 'complaint.reply', 'complaint.withdraw', 'complaint.contest',
  'forum.list', 'forum.signup', 'forum.mine', 'forum.cancel',
  'greeting', 'thanks', 'smalltalk.bot', 'help', 'language', 'menu',
  'bribery', 'off_topic',
  'staff.export', 'staff.faq', 'staff.forum', 'ikm.survey', 'staff.ikm',
]);

let entries: FaqEntry[];
let train: Utterance[];

beforeAll(async () => {
  entries = await loadFaqEntries(path.join(ROOT_DIR, 'flows/content/faq'));
  train = loadSplit('train');
});


describe('training utterances', () => {
  it('label every item with a known intent or an existing FAQ entry', () => {
    const faqIds = new Set(entries.map((e) => `faq:${e.id}`));
    const unknown = train.filter((u) => !INTENTS.has(u.intent) && !faqIds.has(u.intent)).map((u) => `${u.source}: ${u.intent} "${u.text}"`);
    expect(unknown).toEqual([]);
  });

  it('write each phrasing once', () => {
    const seen = new Map<string, Utterance>();
    const twice: string[] = [];
    for (const u of train) {
      const first = seen.get(sameText(u.text));
      if (first) twice.push(`"${u.text}" in ${first.source} (${first.intent}) and ${u.source} (${u.intent})`);
      else seen.set(sameText(u.text), u);
    }
    expect(twice).toEqual([]);
  });

  it('never teach the anti-broker FAQ entry as an intent: paying or connections to pass is bribery', () => {
    const all = trainingUtterances(entries);
    expect(all.filter((u) => u.intent === 'faq:umum-calo').map((u) => `${u.source}: ${u.text}`)).toEqual([]);
    // The entry's own example questions are still learnt, as bribery.
    const calo = entries.find((e) => e.id === 'umum-calo');
    expect(calo).toBeDefined();
    const learnt = new Map(all.filter((u) => u.source === 'faq-content').map((u) => [u.text, u.intent]));
    for (const q of calo?.questions.id ?? []) expect(learnt.get(q), q).toBe('bribery');
  });

  it('measure the test split only on texts the model was not trained on', () => {
    const training = trainingUtterances(entries);
    const trained = new Set(training.map((u) => sameText(u.text)));
    const measured = unseenTestItems(loadSplit('test'), training);
    // Counted, not listed: nobody reads the test items through this spec.
    expect(measured.filter((u) => trained.has(sameText(u.text))).length).toBe(0);
    expect(measured.length).toBeGreaterThan(450);
  });
});
