/**
 * Pulls out of a complaint written as free text what can pre-fill the form (the kelurahan).
 * Whether a message is a complaint at all is decided by the understanding step
 * (src/domain/understanding/), not here.
 */
import { KELURAHAN, type KelurahanId } from './catalog.js';

function simple(text: string): string {
  return ` ${text.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/** The kelurahan named in the text, if exactly one is. "Gajahmungkur" alone is the kecamatan, so it needs "kelurahan". */
export function kelurahanIn(text: string): KelurahanId | null {
  const s = simple(text);
  const found = KELURAHAN.filter((k) => {
    const name = ` ${k.name.toLowerCase()} `;
    const joined = ` ${k.name.toLowerCase().replace(/\s+/g, '')} `;
    if (k.id === 'gajahmungkur') return /\s(kelurahan|kel|kel\.)\s+gajahmungkur\s/.test(s);
    return s.includes(name) || s.includes(joined);
  });
  return found.length === 1 ? found[0]!.id : null;
}
