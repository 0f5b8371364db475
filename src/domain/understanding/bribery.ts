/**
 * The hard guard for bribery and fraud: an offer, a question or a report about paying, gifting or
 * using connections to pass a selection or get a seat, a formation, a NIP or a placement. It is
 * OR'ed with the classifier so that none is missed, in Indonesian, Javanese or English. A question
 * about fees ("daftar cpns bayar ga") names no pass or seat, so it stays an FAQ question; an
 * officer asking a resident for money ("minta uang buat tanda tangan") is a complaint.
 */
import { cleanText } from '../faq/normalize.js';

/** Bribery words that are enough on their own. */
const ALONE = ['sogok', 'nyogok', 'disogok', 'menyogok', 'titip nama', 'nitip nama', 'ordal', 'orang dalam', 'orang dalem', 'jalur belakang', 'pintu belakang', 'lewat belakang', 'back door', 'backdoor', 'bribe', 'bribing', 'bribery', 'broker', 'brokers', 'joki'];
/** Bribery words that need a recruitment context. */
const WITH_CONTEXT = ['suap', 'nyuap', 'menyuap', 'disuap', 'pelicin', 'calo', 'nembak', 'wong njero', 'insider', 'connections', 'koneksi', 'relasi'];
/** Paying and money. */
const PAY = [
  'bayar', 'mbayar', 'dibayar', 'membayar', 'bayarin', 'uang', 'duit', 'dhuwit', 'arta', 'juta', 'jt', 'jeti', 'yuta', 'million', 'ratus ribu',
  'transfer', 'tf', 'setor', 'nyetor', 'amplop', 'sangu', 'upeti', 'wani piro', 'wani pira', 'imbalan', 'mahar', 'tip', 'nyangoni', 'tarif', 'harga',
  'pay', 'paid', 'paying', 'money', 'cash', 'price',
];
/** Giving something to an official. */
const GIVE = ['ngasih', 'sy kasih', 'saya kasih', 'aku kasih', 'tak kasih', 'kasih sesuatu', 'hadiah', 'parsel', 'bingkisan', 'nyumbang', 'sumbangan', 'amplop', 'gift', 'give'];
/** Buying words: only with a seat, not with a pass (books and courses are bought to pass). */
const BUY = ['beli', 'membeli', 'tuku', 'buy', 'buying', 'purchase'];
/** Passing, a seat, a formation, a NIP, an appointment, a placement. */
const PASS = [
  'lulus', 'lolos', 'diluluskan', 'diloloskan', 'keterima', 'diterima', 'ketrima', 'ketampi', 'ditampi', 'ketompo', 'ketampa', 'lolosin', 'lulusin',
  'luluskan', 'loloskan', 'nglulusne', 'lulusne', 'lebetaken', 'dilebetaken', 'masukin', 'dimasukin', 'namanya masuk', 'masuk database',
  'jadi pns', 'jadi asn', 'jadi pppk', 'masuk pns', 'masuk asn', 'masuk cpns', 'diangkat', 'prioritas', 'penempatan', 'dinaikin', 'dinaikkan',
  'naikin', 'naikkan', 'katrol', 'dikatrol', 'nilai tinggi', 'tanpa tes', 'ra ribet tes', 'gak usah tes', 'nggak usah tes', 'ga usah tes',
  'let me pass', 'make me pass', 'pass', 'passing', 'guarantee', 'guaranteed', 'get in', 'get into', 'get me in', 'become pns', 'become a civil servant', 'accepted', 'hired',
];
const SEAT = ['kursi', 'formasi', 'nip', 'sk', 'jatah', 'seat', 'position', 'formation', 'appointment'];
/** Where bribery happens: the selection and those who run it. */
const RECRUITMENT = [
  'cpns', 'pppk', 'p3k', 'pns', 'asn', 'panitia', 'penguji', 'pejabat', 'bkn', 'bkpsdm', 'kepala dinas', 'kabid', 'tes', 'seleksi', 'skd', 'skb',
  'ujian', 'wawancara', 'formasi', 'nip', 'exam', 'test', 'civil', 'recruitment', 'selection', 'lolosin', 'lulus', 'lolos', 'diangkat',
];
/** Knowing someone with power. */
const KNOWING = ['kenal', 'kenalan', 'om', 'paman', 'pakde', 'saudara', 'uncle', 'father', 'knows someone', 'know someone'];
const OFFICIAL = ['pejabat', 'bkn', 'bkpsdm', 'kabid', 'kepala dinas', 'panitia', 'penguji', 'someone at'];
/** Buying or paying for learning is not bribery. */
const LEARNING = ['bimbel', 'les', 'kursus', 'tryout', 'try out', 'buku', 'modul', 'materi', 'course', 'book', 'tutoring'];

const has = (s: string, words: readonly string[]) => words.some((w) => s.includes(` ${w} `));

/** True when the text offers, asks about or reports paying, gifting or using connections to pass or get a seat. */
export function isBribery(text: string): boolean {
  const s = ` ${cleanText(text).replace(/(\d)\s*(jt|juta|rb|ribu|k)\b/g, '$1 $2')} `;
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
  // "nitip anak biar dapet formasi": entrusting someone to get a seat (not "titipan berkas").
  if (has(s, ['nitip', 'titip', 'nitipke', 'nitip nami']) && (pass || seat)) return true;
  if (has(s, KNOWING) && has(s, OFFICIAL) && (pass || seat || has(s, ['bantu', 'dibantu', 'help']))) return true;
  return false;
}
