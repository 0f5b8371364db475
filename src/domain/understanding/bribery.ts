/**
 * The hard guard for bribery and fraud: an offer, a question or a report about paying, gifting or
 * using connections to pass a selection or get a seat, a formation or a NIP. It is OR'ed with the
 * classifier so that none is missed, in Indonesian, Javanese or English. A question about fees
 * ("daftar cpns bayar ga") names no pass or seat, so it stays an FAQ question.
 */
import { cleanText } from '../faq/normalize.js';

/** Paying, bribing, connections (word stems, matched at word starts). */
const PAY = [
  'bayar', 'mbayar', 'dibayar', 'membayar', 'bayarin', 'sogok', 'nyogok', 'disogok', 'menyogok', 'suap', 'nyuap', 'menyuap', 'disuap',
  'pelicin', 'uang', 'duit', 'dhuwit', 'juta', 'jt', 'jeti', 'ratus ribu', 'transfer', 'tf', 'setor', 'nyetor', 'amplop', 'sangu', 'upeti',
  'orang dalam', 'ordal', 'wong njero', 'kenalan', 'koneksi', 'calo', 'jalur belakang', 'lewat belakang', 'titip', 'nitip', 'titipan',
  'wani piro', 'imbalan', 'tip', 'nyangoni', 'mahar', 'pay', 'paid', 'paying', 'bribe', 'bribing', 'money', 'cash', 'connections', 'insider', 'broker',
];
/** Buying words: only with a seat, not with a pass (books and courses are bought to pass). */
const BUY = ['beli', 'membeli', 'tuku', 'buy', 'buying', 'purchase'];
/** Passing, a seat, a formation, a NIP, an appointment. */
const PASS = [
  'lulus', 'lolos', 'diluluskan', 'diloloskan', 'keterima', 'diterima', 'jadi pns', 'jadi asn', 'jadi pppk', 'masuk pns', 'masuk asn', 'masuk cpns',
  'ketampi', 'ditampi', 'ketrima', 'dinaikin', 'dinaikkan', 'naikin', 'naikkan', 'katrol', 'dikatrol', 'dikatrol nilainya', 'lolosin', 'lulusin', 'luluskan', 'loloskan', 'let me pass', 'pass', 'passing', 'guarantee', 'guaranteed', 'get in', 'accepted', 'hired',
];
const SEAT = ['kursi', 'formasi', 'nip', 'sk', 'jatah', 'seat', 'position', 'slot', 'appointment'];
/** Bribing words that need only a recruitment context, not a pass. */
const BRIBE = ['sogok', 'nyogok', 'disogok', 'menyogok', 'suap', 'nyuap', 'menyuap', 'pelicin', 'ordal', 'orang dalam', 'wong njero', 'jalur belakang', 'bribe', 'bribing', 'insider'];
const RECRUITMENT = ['cpns', 'pppk', 'pns', 'asn', 'panitia', 'penguji', 'pejabat', 'bkn', 'bkpsdm', 'tes', 'seleksi', 'skd', 'skb', 'ujian', 'exam', 'test', 'civil', 'recruitment', 'selection'];
/** Buying or paying for learning is not bribery. */
const LEARNING = ['bimbel', 'les', 'kursus', 'tryout', 'try out', 'buku', 'modul', 'materi', 'course', 'book', 'tutoring'];

function anyAt(s: string, words: readonly string[], prefix: boolean): boolean {
  return words.some((w) => {
    const i = s.indexOf(` ${w}`);
    if (i < 0) return false;
    if (prefix) return true;
    return s.includes(` ${w} `);
  });
}

/** True when the text offers, asks about or reports paying or using connections to pass or get a seat. */
export function isBribery(text: string): boolean {
  const s = ` ${cleanText(text).replace(/(\d)\s*(jt|juta|rb|ribu|k)\b/g, '$1 $2')} `;
  const pay = anyAt(s, PAY, false) || /\s(rp\s?)?\d+\s?(jt|juta|rb|ribu)\s/.test(s) || anyAt(s, ['nyogok', 'sogok', 'suap', 'bribe'], true);
  const buy = anyAt(s, BUY, false);
  const pass = anyAt(s, PASS, false);
  const seat = anyAt(s, SEAT, false);
  const learning = anyAt(s, LEARNING, false);
  if (pay && (pass || seat) && !learning) return true;
  if (buy && seat) return true;
  if (anyAt(s, BRIBE, true) && anyAt(s, RECRUITMENT, false)) return true;
  return false;
}
