/**
 * Whether a message only says what the person wants ("mau lapor", "pengaduan", "saya mau
 * komplain dong") and carries no content of its own, so it must not become, for example, a
 * complaint's description. The engine can use it to fill `Understanding.bare`.
 */
import { words } from './text.js';

/** Words of wanting and politeness that carry no content. */
const FILLER = new Set([
  'saya', 'aku', 'sy', 'aq', 'gue', 'gw', 'kami', 'mau', 'ingin', 'pengen', 'pingin', 'pgn', 'mo', 'arep', 'ameh', 'kepengen', 'hendak', 'akan',
  'bisa', 'bisakah', 'boleh', 'bolehkah', 'tolong', 'mohon', 'min', 'kak', 'pak', 'bu', 'mas', 'mbak', 'dong', 'ya', 'yah', 'nih', 'sih', 'deh',
  'halo', 'hai', 'permisi', 'gimana', 'bagaimana', 'caranya', 'cara', 'di', 'sini', 'disini', 'ke', 'kecamatan', 'kelurahan', 'bapak', 'ibu',
  'buat', 'bikin', 'membuat', 'menyampaikan', 'sampaikan', 'nyampein', 'kirim', 'mengirim', 'ajukan', 'mengajukan', 'ada', 'satu', 'sebuah',
  'i', 'want', 'to', 'would', 'like', 'a', 'make', 'file', 'please', 'can', 'how', 'do', 'send', 'an', 'yg', 'yang', 'nya', 'lagi', 'baru',
]);

/** Words that name the act of reporting or asking. */
const REQUEST = new Set([
  'lapor', 'laporan', 'melapor', 'melaporkan', 'laporkan', 'lapur', 'komplain', 'komplen', 'complain', 'complaint', 'pengaduan', 'aduan',
  'mengadu', 'ngadu', 'adukan', 'keluhan', 'mengeluh', 'ngeluh', 'aspirasi', 'usulan', 'usul', 'report', 'masalah', 'problem', 'issue',
  'daftar', 'mendaftar', 'daftarin', 'forum', 'tanya', 'bertanya', 'nanya', 'pertanyaan', 'question',
]);

/** True when `text` is only a request ("mau lapor") with no content of its own. */
export function isBareRequest(text: string): boolean {
  const w = words(text);
  if (w.length === 0) return true;
  let request = false;
  for (const x of w) {
    if (REQUEST.has(x)) request = true;
    else if (!FILLER.has(x)) return false;
  }
  return request;
}

/**
 * What a message says beyond its opening request: "mau lapor jalan rusak" → "jalan rusak";
 * a message that opens with no request word is returned whole. Used to judge whether there is
 * enough of a story to keep as a description.
 */
export function requestContent(text: string): string {
  const tokens = text.trim().split(/\s+/);
  let i = 0;
  let request = false;
  for (; i < tokens.length; i += 1) {
    const w = words(tokens[i]!);
    if (w.length > 0 && !w.every((x) => FILLER.has(x) || REQUEST.has(x))) break;
    if (w.some((x) => REQUEST.has(x))) request = true;
  }
  return request ? tokens.slice(i).join(' ').replace(/^[\s:,.;-]+/, '') : text.trim();
}
