import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Utterance } from '../../src/domain/understanding/corpus.js';
import { featuresOf } from '../../src/domain/understanding/features.js';
import { loadOrTrain } from '../../src/domain/understanding/model-cache.js';
import { decodeModelFile, encodeModelFile, ModelFileError } from '../../src/domain/understanding/model-file.js';

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
    // The cached model classifies as the trained one did.
    const f = featuresOf('lampu gang mati');
    const [fresh] = first.model.classify(f);
    const [stored] = again.model.classify(f);
    expect(stored?.intent).toBe(fresh?.intent);
    expect(stored?.score).toBeCloseTo(fresh?.score ?? 0, 2);
    const changed = loadOrTrain([...content, u('jalan berlubang', 'complaint.new')], { cacheDir: dir });
    expect(changed.cached).toBe(false);
    expect(changed.key).not.toBe(first.key);
    expect(readdirSync(dir).filter((n) => n.endsWith('.bin'))).toHaveLength(2);
  });

  it('is rebuilt when its file is cut short or is not a model file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nlu-cache-'));
    const first = loadOrTrain(content, { cacheDir: dir });
    const file = path.join(dir, `model-${first.key}.bin`);
    writeFileSync(file, readFileSync(file).subarray(0, 100));
    expect(loadOrTrain(content, { cacheDir: dir }).cached).toBe(false);
    writeFileSync(file, '{"kind":"softmax"}');
    expect(loadOrTrain(content, { cacheDir: dir }).cached).toBe(false);
    expect(loadOrTrain(content, { cacheDir: dir }).cached).toBe(true);
  });
});

describe('The model file', () => {
  it('keeps JSON data and float arrays as they were, wherever the arrays are', () => {
    const data = { kind: 'softmax', names: ['a', 'b'], w: new Float32Array([0.5, -1.25, 3]), nested: [{ x: new Float32Array([7]) }], n: 2 };
    const back = decodeModelFile(encodeModelFile(data)) as typeof data;
    expect(back.names).toEqual(['a', 'b']);
    expect(back.n).toBe(2);
    expect(back.w).toBeInstanceOf(Float32Array);
    expect([...back.w]).toEqual([0.5, -1.25, 3]);
    expect([...back.nested[0]!.x]).toEqual([7]);
  });

  it('refuses what is not one', () => {
    expect(() => decodeModelFile(Buffer.from('{"kind":"softmax"}'))).toThrow(ModelFileError);
  });
});
