/**
 * The kelurahan slot: which of the eight kelurahan of Gajahmungkur a text names, however it is
 * spaced, spelled or shortened ("karang rejo", "bendan dhuwur", "bdn ngisor", "Kel. Petompon",
 * "gajah mungkur"), or `unknown` when the person says they do not know it.
 *
 * Two modes: `answer` (the whole message answers "which kelurahan?", so close spellings and
 * "ga tau" count) and `free` (a kelurahan inside a longer message: exact names only, and
 * "Gajahmungkur" alone is the kecamatan, so it needs "kelurahan" before it).
 */
import { KELURAHAN, type KelurahanId } from '../../complaints/catalog.js';
import { isDontKnow } from './answers.js';
import { editDistance, words } from './text.js';

/** Shortenings and Javanese spellings people use, folded before matching. */
const WORD_FIXES: Record<string, string> = {
  bdn: 'bendan', bndn: 'bendan', bendn: 'bendan',
  dhuwur: 'duwur', dhuur: 'duwur', duur: 'duwur', dwr: 'duwur', atas: 'duwur',
  ngisor: 'ngisor', ngsr: 'ngisor', ngisr: 'ngisor', bawah: 'ngisor',
  krg: 'karang', krang: 'karang', karng: 'karang',
  gjh: 'gajah', gajahmungkr: 'gajahmungkur', gjhmungkur: 'gajahmungkur',
  lmp: 'lempong', lempongsari: 'lempongsari',
  spg: 'sampangan',
  ptp: 'petompon',
};

const STRIP = new Set(['kel', 'kelurahan', 'kelurahannya', 'desa', 'di', 'daerah', 'wilayah', 'kampung', 'lokasi', 'lokasinya', 'nya', 'aja', 'saja', 'pak', 'bu', 'kak', 'min', 'yang', 'ya', 'itu', 'masuk']);

const TARGETS = KELURAHAN.map((k) => ({ id: k.id, joined: k.name.toLowerCase().replace(/\s+/g, '') }));

function folded(text: string): string[] {
  return words(text).map((w) => WORD_FIXES[w] ?? w);
}

/** Best kelurahan for a joined string, allowing `max` edits; null when none or a tie. */
function closest(joined: string, max: number): KelurahanId | null {
  let best: { id: KelurahanId; d: number } | null = null;
  let tie = false;
  for (const t of TARGETS) {
    const d = editDistance(joined, t.joined, max);
    if (d > max) continue;
    if (!best || d < best.d) {
      best = { id: t.id, d };
      tie = false;
    } else if (d === best.d) tie = true;
  }
  return best && !tie ? best.id : null;
}

const allowedEdits = (s: string): number => (s.length >= 9 ? 2 : s.length >= 6 ? 1 : 0);

/**
 * The kelurahan `text` names. `answer`: the whole message is the answer (fuzzy, "ga tau" →
 * `unknown`); `free`: found inside a longer message (exact spellings, one kelurahan only).
 */
export function kelurahanSlot(text: string, mode: 'answer' | 'free' = 'free'): KelurahanId | 'unknown' | undefined {
  const w = folded(text);
  if (mode === 'answer') {
    const core = w.filter((x) => !STRIP.has(x));
    if (core.length > 0 && core.length <= 4) {
      const joined = core.join('');
      const hit = closest(joined, allowedEdits(joined));
      if (hit) return hit;
      // A unique start: "lempong", "petom" ("bendan" alone is one of two, so it stays unknown).
      const starts = joined.length >= 4 ? TARGETS.filter((t) => t.joined.startsWith(joined)) : [];
      if (starts.length === 1) return starts[0]!.id;
    }
    if (isDontKnow(text)) return 'unknown';
  }
  // Windows of one to three words, joined ("karang rejo" → "karangrejo").
  const found = new Set<KelurahanId>();
  for (let i = 0; i < w.length; i += 1) {
    for (let n = 1; n <= 3 && i + n <= w.length; n += 1) {
      const joined = w.slice(i, i + n).join('');
      const hit = mode === 'free' ? closest(joined, joined.length >= 10 ? 1 : 0) : closest(joined, allowedEdits(joined));
      if (!hit) continue;
      // "Kecamatan Gajahmungkur" is the kecamatan; "Jl. Bendungan Raya" is a street.
      if (mode === 'free' && ['kecamatan', 'kec', 'camat'].includes(w[i - 1] ?? '')) continue;
      if (mode === 'free' && ['jl', 'jln', 'jalan'].includes(w[i - 1] ?? '')) continue;
      found.add(hit);
    }
  }
  if (found.size === 1) return [...found][0];
  if (mode === 'free' && /\b(?:kelurahan|kel)(?:nya|ne|e)?\b/.test(w.join(' ')) && isDontKnow(text)) return 'unknown';
  return undefined;
}
