/**
 * The cached model's file: a JSON header, then the large number arrays as raw little-endian
 * float32. Why not all JSON: the softmax weights are millions of numbers; as JSON they made a
 * ~24 MB text that start-up parsed into arrays several times that size (the service's peak memory),
 * where raw floats are read as they lie in the file.
 *
 * Layout: `SAPAMDL1`, u32 header length, header JSON (with `{"$f32": [offset, length]}` where a
 * Float32Array was), padding to 4 bytes, the arrays.
 */
const MAGIC = Buffer.from('SAPAMDL1');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** JSON data in which Float32Arrays may appear. */
export type ModelData = null | boolean | number | string | Float32Array | ModelData[] | { [k: string]: ModelData };

export class ModelFileError extends Error {}

export function encodeModelFile(data: ModelData): Buffer {
  const blobs: Float32Array[] = [];
  let offset = 0;
  const header = JSON.stringify(data, (_k, v: unknown) => {
    if (!(v instanceof Float32Array)) return v;
    const ref = { $f32: [offset, v.length] };
    blobs.push(v);
    offset += v.byteLength;
    return ref;
  });
  const head = Buffer.from(header, 'utf8');
  const start = MAGIC.length + 4 + head.length;
  const pad = (4 - (start % 4)) % 4;
  const out = Buffer.alloc(start + pad + offset);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(head.length, MAGIC.length);
  head.copy(out, MAGIC.length + 4);
  let at = start + pad;
  for (const b of blobs) {
    Buffer.from(b.buffer, b.byteOffset, b.byteLength).copy(out, at);
    at += b.byteLength;
  }
  return out;
}

export function decodeModelFile(file: Buffer): ModelData {
  if (file.length < MAGIC.length + 4 || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw new ModelFileError('not a model file');
  const len = file.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + len;
  if (start > file.length) throw new ModelFileError('model file cut short');
  const base = start + ((4 - (start % 4)) % 4);
  // One aligned copy of the arrays' bytes (the file's own buffer may not be 4-byte aligned).
  const floats = new Float32Array(new Uint8Array(file.subarray(base)).buffer);
  const header = JSON.parse(file.toString('utf8', MAGIC.length + 4, start)) as Json;
  const revive = (v: Json): ModelData => {
    if (Array.isArray(v)) return v.map(revive);
    if (v === null || typeof v !== 'object') return v;
    const ref = v['$f32'];
    if (Array.isArray(ref) && typeof ref[0] === 'number' && typeof ref[1] === 'number') {
      const from = ref[0] / 4;
      if (from + ref[1] > floats.length) throw new ModelFileError('model file cut short');
      return floats.subarray(from, from + ref[1]);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  };
  return revive(header);
}
