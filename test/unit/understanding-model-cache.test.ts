import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Utterance } from '../../src/domain/understanding/corpus.js';
import { featuresOf } from '../../src/domain/understanding/features.js';
import { loadOrTrain } from '../../src/domain/understanding/model-cache.js';

const u = (text: string, intent: string): Utterance => ({ text, intent, lang: 'id', source: 'spec' });
const content = [
  u('lampu jalan mati', 'complaint.new'),
  u('jalan rusak parah', 'complaint.new'),
  u('got mampet banjir', 'complaint.new'),
  u('makasih kak', 'thanks'),
  u('terima kasih', 'thanks'),
  u('ok siap', 'thanks'),
];

describe('The cached understanding model', () => {
  it('is trained once, read from the cache next time, and retrained when the content changes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nlu-cache-'));
    const first = loadOrTrain(content, { cacheDir: dir });
    expect(first.cached).toBe(false);
    const again = loadOrTrain(content, { cacheDir: dir });
    expect(again).toMatchObject({ cached: true, key: first.key });
    // The cached model classifies as the trained one did (its weights are stored rounded).
    const f = featuresOf('lampu gang mati');
    const [fresh] = first.model.classify(f);
    const [stored] = again.model.classify(f);
    expect(stored?.intent).toBe(fresh?.intent);
    expect(stored?.score).toBeCloseTo(fresh?.score ?? 0, 2);
    const changed = loadOrTrain([...content, u('jalan berlubang', 'complaint.new')], { cacheDir: dir });
    expect(changed.cached).toBe(false);
    expect(changed.key).not.toBe(first.key);
    expect(readdirSync(dir).filter((n) => n.endsWith('.json'))).toHaveLength(2);
  });
});
