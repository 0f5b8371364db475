/**
 * The street / place slot: a street, alley or landmark as the person wrote it ("Jl. Papandayan",
 * "gang Sampangan 3", "depan SD Bendan Ngisor"). Kept as written so staff read the person's
 * words; only the surrounding story is cut off.
 */

/** Words that start a street or a housing area. */
const HEAD = String.raw`(?:jl\.?|jln\.?|jalan|gg\.?|gang|lorong|perum(?:ahan)?\.?|kompleks|komplek|komp\.?)`;
/** Words that start a landmark ("dekat masjid …"). */
const NEAR = String.raw`(?:dekat|depan|dpn|belakang|blkg|samping|sebelah|seberang|sblh|pinggir|ujung|sekitar)`;
const LANDMARK = String.raw`(?:masjid|mesjid|musholla|mushola|musala|langgar|gereja|sd|smp|sma|smk|sekolah|pasar|balai|kantor|puskesmas|taman|lapangan|jembatan|pertigaan|perempatan|bundaran|tugu|pos|makam|rs|rumah sakit|toko|warung|indomaret|alfamart|kampus|unnes|gor|stadion|rt|rw)`;

/**
 * Words that end a place name: the story that follows ("rusak", "sudah", "sejak") or joining
 * words. Checked on lower-cased words.
 */
const STOP = new Set([
  'yang', 'yg', 'sudah', 'udah', 'udh', 'sdh', 'telah', 'sejak', 'dari', 'dr', 'tolong', 'mohon', 'dan', 'dengan', 'dgn', 'tapi', 'karena', 'krn',
  'rusak', 'berlubang', 'mati', 'padam', 'banjir', 'mampet', 'tersumbat', 'ambles', 'amblas', 'gelap', 'kotor', 'bau', 'macet', 'retak', 'longsor',
  'belum', 'blm', 'masih', 'sering', 'selalu', 'tiap', 'setiap', 'banyak', 'ada', 'ga', 'gak', 'nggak', 'tidak', 'tdk', 'parah', 'lagi', 'juga',
  'kok', 'sih', 'nih', 'ini', 'itu', 'tsb', 'tersebut', 'pak', 'bu', 'min', 'kak', 'sekarang', 'skrg', 'hari', 'minggu', 'bulan', 'tahun',
  'kemarin', 'kmrn', 'tadi', 'mau', 'ingin', 'lapor', 'minta', 'perlu', 'menumpuk', 'berserakan', 'seminggu', 'sebulan', 'setahun', 'kel', 'kelurahan',
  'di', 'ke', 'pada', 'untuk', 'utk', 'buat', 'saya', 'kami', 'rumah', 'kec', 'kecamatan',
]);

/** Words that are not a name right after "jalan" ("jalan rusak", "jalan di depan rumah"). */
const NOT_A_NAME = new Set([...STOP, 'raya', 'utama', 'kampung', 'kecil', 'besar', 'umum', 'menuju', 'masuk', 'keluar', 'arah', 'menurun', 'tanjakan', 'turunan', 'kaki', 'setapak', 'lingkungan',
  'depan', 'dpn', 'belakang', 'blkg', 'samping', 'sebelah', 'sblh', 'seberang', 'dekat', 'pinggir', 'ujung', 'sekitar', 'antara', 'nya', 'ny']);

const MAX_WORDS = 5;

function takeName(rest: string, first: (w: string) => boolean): string {
  const out: string[] = [];
  for (const raw of rest.split(/\s+/)) {
    const word = raw.replace(/[,.;!?)]+$/, '');
    const low = word.toLowerCase();
    if (!word || (out.length === 0 ? !first(low) : STOP.has(low))) break;
    out.push(word);
    if (raw !== word || out.length >= MAX_WORDS) break; // punctuation ends the name
  }
  return out.join(' ');
}

/** The first street or landmark named in `text`, as written, or undefined. */
export function streetSlot(text: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ');
  for (const head of flat.matchAll(new RegExp(String.raw`(?:^|[\s(,])(${HEAD})\s+`, 'gi'))) {
    const rest = flat.slice((head.index ?? 0) + head[0].length);
    const name = takeName(rest, (w) => !NOT_A_NAME.has(w) && /^[\p{L}\p{N}]/u.test(w));
    if (name) return `${head[1]} ${name}`;
  }
  const near = new RegExp(String.raw`(?:^|[\s(,])(${NEAR}\s+${LANDMARK})\b\.?\s*(.*)`, 'i').exec(flat);
  if (near) {
    const name = takeName(near[2] ?? '', (w) => !STOP.has(w) && /^[\p{L}\p{N}]/u.test(w));
    return name ? `${near[1]} ${name}` : near[1];
  }
  return undefined;
}
