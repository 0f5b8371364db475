/**
 * The person slot: a name as written after an address word or a naming phrase ("pak Slamet",
 * "bu Sri Wahyuni", "nama saya Budi Santoso", "atas nama Dewi").
 */

const TITLE = String.raw`(?:pak|bapak|bpk|bu|ibu|mas|mbak|mba|mbah|eyang|sdr|sdri|saudara|saudari|kak)\.?`;
const NAMING = String.raw`(?:nama saya|namaku|nama aku|atas nama|a\.n\.?|an\.|my name is|name)`;

/** Words that end a name. */
const STOP = new Set([
  'ke', 'di', 'dari', 'yang', 'yg', 'dan', 'untuk', 'utk', 'buat', 'mau', 'ingin', 'sudah', 'udah', 'belum', 'juga', 'ya', 'ini', 'itu', 'saya',
  'aku', 'kami', 'daftar', 'daftarin', 'daftarkan', 'tolong', 'mohon', 'bisa', 'tidak', 'ga', 'gak', 'nggak', 'dong', 'deh', 'rt', 'rw', 'no',
  'nomor', 'umur', 'usia', 'alamat', 'warga', 'sebagai', 'dengan', 'dgn', 'forum', 'musrenbang', 'acara', 'rapat', 'lurah', 'camat', 'rt', 'kok',
]);
/** Words after an address word that are not names ("pak RT", "bu lurah", "pak tolong"). */
const NOT_NAME = new Set([...STOP, 'rw', 'lurah', 'camat', 'petugas', 'admin', 'min', 'kak']);

/** The first person's name in `text`, with its address word ("pak Slamet"), or undefined. */
export function personSlot(text: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ');
  const naming = new RegExp(String.raw`(?:^|[\s,])${NAMING}\s*:?\s+(.+)`, 'i').exec(flat);
  if (naming) {
    const name = takeName(naming[1]!);
    if (name) return name;
  }
  for (const m of flat.matchAll(new RegExp(String.raw`(?:^|[\s,(])(${TITLE})\s+`, 'gi'))) {
    const name = takeName(flat.slice((m.index ?? 0) + m[0].length));
    if (name) return `${m[1]} ${name}`;
  }
  return undefined;
}

function takeName(rest: string): string {
  const out: string[] = [];
  for (const raw of rest.split(' ')) {
    const word = raw.replace(/[,.;:!?)]+$/, '');
    const low = word.toLowerCase();
    if (!word || !/^\p{L}[\p{L}'-]*$/u.test(word) || (out.length === 0 ? NOT_NAME.has(low) : STOP.has(low))) break;
    out.push(word);
    if (raw !== word || out.length >= 4) break;
  }
  return out.join(' ');
}
