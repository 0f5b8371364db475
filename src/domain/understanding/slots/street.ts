/**
 * The street / place slot: a street, alley, landmark or neighbourhood unit as the person wrote it
 * ("Jl. Papandayan", "gang Sampangan 3", "depan SD Bendan Ngisor", "neng pos ronda", "RT 3 RW 2"). Kept as written so staff read the person's
 * words; only the surrounding story is cut off.
 */

/** Words that start a street or a housing area. */
const HEAD = String.raw`(?:jl\.?|jln\.?|jalan|gg\.?|gang|lorong|perum(?:ahan)?\.?|kompleks|komplek|komp\.?)`;
/** Words that start a landmark ("dekat masjid …"). */
const NEAR = String.raw`(?:dekat|deket|dkt|depan|dpn|belakang|blkg|samping|sebelah|seberang|sblh|pinggir|ujung|sekitar|ngarep|cedhak|cedak|mburi|near|in front of|behind|next to|at)`;
const LANDMARK = String.raw`(?:masjid|mesjid|musholla|mushola|musala|langgar|gereja|sd|smp|sma|smk|sekolah|pasar|balai|kantor|puskesmas|taman|lapangan|jembatan|pertigaan|perempatan|bundaran|tugu|pos ronda|pos kamling|pos|makam|rs|rumah sakit|toko|warung|indomaret|alfamart|kampus|unnes|gor|stadion|parkiran|tangga|gang|the market|the bus stop|the elementary school|the school|the mosque|the market)`;
/** Prepositions before a landmark named without "dekat" ("di taman Sampangan", "neng pos ronda"). */
const AT = String.raw`(?:di|neng|ning|nang|ing|ke)`;
/** "RT 3 RW 2", "rt 05/rw 03", "rt 4". */
const RT_RW = /(?<![\p{L}\p{N}])(rt\.?\s*\d{1,3}(?:\s*(?:\/|,)?\s*rw\.?\s*\d{1,3})?|rw\.?\s*\d{1,3})(?![\p{L}\p{N}])/iu;

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
  'tp', 'bukan', 'ilang', 'hilang', 'nyala', 'terus', 'trs', 'kulo', 'sy', 'aku', 'miring', 'hampir', 'very', 'every', 'please', 'is', 'are', 'neng', 'ning',
  'bocor', 'jorok', 'rame', 'ga', 'nutup', 'warga', 'wedi', 'semrawut', 'dadi', 'semalem', 'semalam', 'kapan', 'naik', 'bisa', 'ya', 'berhari2',
]);

/** Words that are not a name right after "jalan" ("jalan rusak", "jalan di depan rumah"). */
const NOT_A_NAME = new Set([...STOP, 'gang', 'gg', 'berhari', 'sebelah', 'raya', 'utama', 'kampung', 'kecil', 'besar', 'umum', 'menuju', 'masuk', 'keluar', 'arah', 'menurun', 'tanjakan', 'turunan', 'kaki', 'setapak', 'lingkungan',
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
  const at = new RegExp(String.raw`(?:^|[\s(,])${AT}\s+(${LANDMARK})\b\.?\s*(.*)`, 'i').exec(flat);
  if (at) {
    const name = takeName(at[2] ?? '', (w) => !STOP.has(w) && /^[\p{L}\p{N}]/u.test(w));
    return name ? `${at[1]} ${name}` : at[1];
  }
  const rt = RT_RW.exec(flat);
  return rt ? rt[1] : undefined;
}
