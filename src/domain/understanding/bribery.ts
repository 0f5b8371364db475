/**
 * The hard guard for bribery and fraud: an offer, a question or a report about paying, gifting or
 * using connections to pass a selection or get a seat, a formation, a NIP or a placement. It is
 * OR'ed with the classifier so that none is missed, in Indonesian, Javanese or English. A question
 * about fees ("daftar cpns bayar ga") names no pass or seat, so it stays an FAQ question; an
 * officer asking a resident for money ("minta uang buat tanda tangan") is a complaint.
 */
import { cleanText } from '../faq/normalize.js';

/** Bribery words that are enough on their own. */
const ALONE = ['sogok', 'nyogok', 'disogok', 'menyogok', 'titip nama', 'nitip nama', 'ordal', 'orang dalam', 'orang dalem', 'jalur belakang', 'pintu belakang', 'lewat belakang', 'back door', 'backdoor', 'bribe', 'bribing', 'bribery', 'broker', 'brokers', 'joki', 'org dalam', 'org dalem', 'dalan mburi', 'jalur kenalan', 'lewat kenalan', 'atau kenalan', 'krn kenalan', 'karena kenalan', 'pakai kenalan'];
/** Bribery words that need a recruitment context. */
const WITH_CONTEXT = ['suap', 'nyuap', 'menyuap', 'disuap', 'pelicin', 'calo', 'nembak', 'wong njero', 'insider', 'insiders', 'connections', 'koneksi', 'relasi', 'setor nama', 'proxy', 'someone to sit', 'somebody to sit', 'hire someone', 'test for me', 'tes buat saya', 'gantiin tes', 'wakilin tes'];
/** Paying and money. */
const PAY = [
  'bayar', 'mbayar', 'dibayar', 'membayar', 'bayarin', 'uang', 'duit', 'dhuwit', 'arta', 'juta', 'jt', 'jeti', 'yuta', 'million', 'ratus ribu',
  'transfer', 'tf', 'setor', 'nyetor', 'amplop', 'sangu', 'upeti', 'wani piro', 'wani pira', 'imbalan', 'mahar', 'tip', 'nyangoni', 'tarif', 'harga',
  'pay', 'paid', 'paying', 'money', 'cash', 'price',
  'sangune', 'disangoni', 'dana', 'kompensasi', 'kontribusi', 'ongkos', 'biaya pengurusan', 'uang rokok', 'tanda terima kasih', 'pesangon', 'rezeki lebih',
  'nyaosi', 'duitku', 'harganya', 'fee', 'going rate', 'how much',
];
/** Giving something to an official. */
const GIVE = ['ngasih', 'sy kasih', 'saya kasih', 'aku kasih', 'tak kasih', 'kasih sesuatu', 'hadiah', 'parsel', 'bingkisan', 'nyumbang', 'sumbangan', 'amplop', 'gift', 'give', 'gratitude'];
/** Buying words: only with a seat, not with a pass (books and courses are bought to pass). */
const BUY = ['beli', 'membeli', 'beliin', 'dibeliin', 'tuku', 'buy', 'buying', 'purchase'];
/** A seat said to be for sale. */
const SELL = ['dijual', 'jual', 'dijualbelikan', 'for sale', 'sold', 'selling'];
/** Passing, a seat, a formation, a NIP, an appointment, a placement. */
const PASS = [
  'lulus', 'lolos', 'diluluskan', 'diloloskan', 'keterima', 'diterima', 'ketrima', 'ketampi', 'ditampi', 'ketompo', 'ketampa', 'lolosin', 'lulusin',
  'luluskan', 'loloskan', 'nglulusne', 'lulusne', 'lebetaken', 'dilebetaken', 'masukin', 'dimasukin', 'namanya masuk', 'masuk database',
  'jadi pns', 'jadi asn', 'jadi pppk', 'masuk pns', 'masuk asn', 'masuk cpns', 'diangkat', 'prioritas', 'penempatan', 'dinaikin', 'dinaikkan',
  'naikin', 'naikkan', 'katrol', 'dikatrol', 'nilai tinggi', 'tanpa tes', 'ra ribet tes', 'gak usah tes', 'nggak usah tes', 'ga usah tes',
  'diprioritaskan', 'dadi pns', 'dadi asn', 'lulusaken', 'dipun lulusaken', 'naik ranking', 'munggah', 'mengamankan', 'diatur', 'got in', 'get through',
  'make sure i pass', 'be sure i get', 'get my son in', 'get my daughter in', 'get him in', 'get her in', 'let me pass', 'make me pass', 'pass', 'passing', 'guarantee', 'guaranteed', 'get in', 'get into', 'get me in', 'become pns', 'become a civil servant', 'accepted', 'hired',
];
const SEAT = ['kursi', 'formasi', 'formasine', 'nip', 'sk', 'jatah', 'seat', 'position', 'formation', 'appointment'];
/** Where bribery happens: the selection and those who run it. */
const RECRUITMENT = [
  'cpns', 'pppk', 'p3k', 'pns', 'asn', 'panitia', 'penguji', 'pejabat', 'bkn', 'bkpsdm', 'kepala dinas', 'kabid', 'tes', 'seleksi', 'skd', 'skb',
  'ujian', 'wawancara', 'formasi', 'nip', 'exam', 'test', 'civil', 'recruitment', 'selection', 'lolosin', 'lulus', 'lolos', 'diangkat', 'panel',
];
/** Knowing someone with power. */
const KNOWING = ['kenal', 'kenalan', 'om', 'paman', 'pakde', 'saudara', 'uncle', 'father', 'knows someone', 'know someone', 'need to know', 'deket sama', 'dekat dengan', 'dekat sama', 'titipan'];
const OFFICIAL = ['pejabat', 'bkn', 'bkpsdm', 'bkd', 'kabid', 'kepala dinas', 'panitia', 'penguji', 'someone at', 'orang kecamatan', 'orang kelurahan', 'orang dinas', 'orang bkd', 'orang pemda', 'orang pemkot', 'pak lurah', 'pak camat'];
/** Those who run the test: money for them is a bribe whatever it is called. */
const COMMITTEE = ['panitia', 'ketua panitia', 'penguji', 'pengawas', 'sing jaga', 'yang jaga', 'petugas tes', 'committee', 'panel', 'examiner', 'examiners'];
/** Politicians trading a seat for votes or campaign work. */
const POLITICAL = ['dewan', 'anggota dewan', 'dprd', 'caleg', 'partai', 'politician', 'pemilu', 'nyoblos', 'tim sukses', 'tim suksesnya', 'campaign'];
/** Offers someone made. */
const OFFER = ['nawarin', 'nawari', 'menawarkan', 'ditawari', 'ditawarin', 'offered', 'offering', 'janji', 'dijanjiin', 'dijanjikan', 'promised'];
/** A way around the selection. */
const SHORTCUT = ['jalur khusus', 'shortcut', 'jalan pintas', 'cara cepat', 'jalur cepat'];
/** Buying or paying for learning is not bribery. */
const LEARNING = ['bimbel', 'les', 'kursus', 'tryout', 'try out', 'buku', 'modul', 'materi', 'course', 'book', 'tutoring'];

const has = (s: string, words: readonly string[]) => words.some((w) => s.includes(` ${w} `));

/** True when the text offers, asks about or reports paying, gifting or using connections to pass or get a seat. */
export function isBribery(text: string): boolean {
  // "passing grade" is a score, not passing: it must not count as a pass word.
  const s = ` ${cleanText(text).replace(/(\d)\s*(jt|juta|rb|ribu|k)\b/g, '$1 $2').replace(/\bpassing grade\b/g, 'ambang batas')} `;
  const money = has(s, PAY) || /\s(rp\s?)?\d+\s?(jt|juta|rb|ribu)\s/.test(s);
  const pass = has(s, PASS);
  const seat = has(s, SEAT);
  const context = has(s, RECRUITMENT);
  if (has(s, LEARNING) && !has(s, ALONE)) return false;
  if (has(s, ALONE)) return true;
  if (has(s, WITH_CONTEXT) && (context || pass || seat)) return true;
  if (money && (pass || seat)) return true;
  if (has(s, GIVE) && (context || pass)) return true;
  if (has(s, BUY) && seat) return true;
  if (has(s, SELL) && seat && context) return true;
  if (money && (has(s, COMMITTEE) || has(s, SHORTCUT)) && (context || pass || seat || has(s, SHORTCUT))) return true;
  if (has(s, POLITICAL) && (pass || seat) && (money || has(s, OFFER) || has(s, ['asal', 'kalo jadi', 'kalau jadi', 'dukung', 'nyoblos', 'campaign', 'if i', 'titipan']))) return true;
  if (has(s, OFFER) && context && (pass || seat || has(s, ['dibantu', 'bantu', 'diurus', 'ngurus']))) return true;
  // "nitip anak biar dapet formasi": entrusting someone to get a seat (not "titipan berkas").
  if (has(s, ['nitip', 'titip', 'nitipke', 'nitip nami']) && (pass || seat)) return true;
  if (has(s, KNOWING) && has(s, OFFICIAL) && (pass || seat || has(s, ['bantu', 'dibantu', 'help']))) return true;
  return false;
}
