/**
 * Recognises a complaint written as free text ("jalan depan rumah saya di Sampangan rusak parah");
 * a question about procedures ("syarat bikin KTP?") is left to the FAQ. Routing only: what the
 * text says (category, kelurahan, street) is read by the slot extractors in
 * `src/domain/understanding/slots/`.
 */

/** Words that name a problem. */
const PROBLEM = [
  'rusak', 'berlubang', 'lubang', 'ambles', 'amblas', 'retak', 'longsor', 'banjir', 'genangan', 'tergenang', 'rob',
  'mampet', 'tersumbat', 'buntu', 'meluap', 'sampah', 'menumpuk', 'berserakan', 'bau', 'kotor', 'mati', 'padam',
  'gelap', 'pungli', 'pungutan', 'dipungut', 'dimintai', 'preman', 'maling', 'pencurian', 'dicuri', 'tawuran',
  'berisik', 'bising', 'parkir liar', 'pkl', 'liar', 'roboh', 'tumbang', 'bocor', 'macet', 'judes', 'kasar',
  'lambat', 'lama sekali', 'dipersulit', 'tidak dilayani', 'nggak dilayani', 'gak dilayani', 'belum jadi',
  'tidak jadi jadi', 'tak kunjung', 'terbengkalai', 'membahayakan', 'bahaya', 'kumuh', 'demam berdarah', 'dbd',
  'diperbaiki', 'perbaikan', 'dibenahi', 'dibenerin', 'diaspal', 'ditambal', 'minta uang', 'dimintai uang',
  'uang rokok', 'uang pelicin', 'suap', 'disuruh bayar', 'harus bayar',
  'broken', 'pothole', 'flood', 'flooded', 'garbage', 'trash', 'rubbish', 'streetlight', 'dark', 'bribe', 'dangerous',
];

/** Words that say "I want to report". */
const INTENT = [
  'lapor', 'melapor', 'laporan', 'melaporkan', 'mengadu', 'pengaduan', 'aduan', 'keluhan', 'mengeluh', 'komplain',
  'protes', 'aspirasi', 'usul', 'usulan', 'mengusulkan', 'tolong ditindak', 'mohon ditindak', 'tolong diperbaiki',
  'mohon diperbaiki', 'mohon perbaikan', 'tolong dibersihkan', 'mohon dibersihkan', 'complain', 'complaint', 'report',
];

/** Things in the neighbourhood a problem is usually about. */
const OBJECTS = [
  'jalan', 'jln', 'jl', 'gang', 'gg', 'trotoar', 'jembatan', 'saluran', 'selokan', 'got', 'drainase', 'gorong',
  'lampu', 'pju', 'tps', 'tempat sampah', 'pohon', 'rumah', 'kampung', 'rt', 'rw', 'taman', 'pasar', 'sekolah',
  'kelurahan', 'kecamatan', 'petugas', 'pelayanan', 'ktp', 'kk', 'akta', 'road', 'street', 'drain', 'light',
];

/** Words of a question about procedures (FAQ territory) rather than a report. */
const QUESTION = [
  'syarat', 'persyaratan', 'bagaimana cara', 'gimana cara', 'caranya', 'cara membuat', 'cara bikin', 'berapa',
  'kapan', 'jam buka', 'jam berapa', 'apakah', 'apa saja', 'dimana', 'di mana', 'how to', 'how do', 'what are',
  'requirements', 'when', 'formasi', 'cpns', 'pppk', 'forum', 'musrenbang',
];

function simple(text: string): string {
  return ` ${text.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

const has = (s: string, words: readonly string[]) => words.some((w) => s.includes(` ${w} `));

/** 0..1: how likely this free text is a complaint or aspiration someone wants to file. */
export function complaintConfidence(text: string): number {
  const s = simple(text);
  const words = s.trim().split(' ').length;
  if (words < 3) return 0;
  const problem = has(s, PROBLEM);
  const intent = has(s, INTENT);
  const object = has(s, OBJECTS);
  const question = has(s, QUESTION) || text.trim().endsWith('?');
  let c = 0;
  if (intent && (problem || object)) c = 0.85;
  else if (problem && object) c = 0.75;
  else if (intent) c = 0.6;
  else if (problem && words >= 5) c = 0.55;
  // "kapan jalan di Sampangan diperbaiki?" is still a complaint; "syarat bikin KTP?" has no problem word.
  if (question && !intent) c -= 0.2;
  return Math.max(0, c);
}
