/**
 * The language of one message, for replies. Loan words that Indonesian applicants use all the time
 * ("passing grade", "online", "upload", "formasi", "link") count for neither language, so they never
 * turn an Indonesian conversation into English. Names of places ("Gang Sampangan III") count for
 * neither too: only function words and common words of each language are counted.
 */
import { cleanText } from '../faq/normalize.js';

const LOAN = new Set(
  `passing grade online offline upload download login logout log in password email e mail link scan file pdf jpg admin ok oke okay
   formasi selfie account akun update website web app apps chat whatsapp wa telegram tes test tryout try out deadline
   cpns pppk pns asn skd skb cat sscasn bkn nip nik ktp kk sk s1 s2 s3 d3 d4 sma smk ipk toefl iii ii iv`
    .split(/\s+/)
    .filter(Boolean),
);

const EN = new Set(
  `a an the is are am was were be been do does did i me my mine you your we our it its they their them he she his her
   what whats which who whom how when where why can could should would will shall must may might need have has had
   there this that these those any some much many for of to and or but if with about from after before still get got
   please thanks thank hello hi hey yes no not dont cant wont im ive is isnt want know tell someone anyone
   age old requirement requirements document documents register registration fee fees cost salary pay limit maximum
   minimum result results year years open close schedule exam score stage stages difference between same both change
   only also just degree graduate teacher doctor contract permanent certificate lost street road broken light
   report complaint complain forum sign up cancel meeting bot human real person welcome bye goodbye`
    .split(/\s+/)
    .filter(Boolean),
);

const ID = new Set(
  `yang dan di ke dari untuk buat dengan pada dalam ini itu saya aku kamu anda kita kami dia ada adalah apa apakah
   bagaimana gimana berapa siapa mana dimana kenapa mengapa kapan tidak bukan sudah belum akan bisa dapat boleh harus
   perlu mau ingin juga saja lagi masih kalau jika kah lah pun sih dong deh nih ya atau tapi karena jadi oleh agar
   seperti tentang sama kak min gan sis mas mbak pak bu bang om yg utk dgn sy brp gmn gmana kpn ga gak gk nggak ngga
   tdk udah udh blm bs jg aja klo kalo kl tp dr sdh krn pd lg trs org thn tahun umur usia batas syarat daftar biaya
   bayar gaji lulusan nilai ujian berkas dokumen ijazah pakai pake punya maksimal minimal dibuka jadwal pengumuman
   hasil lolos lulus seleksi pelamar kerja pegawai negeri honorer guru jalan rusak lampu mati sampah banyak banget
   makasih terima kasih siap baik mohon tolong lapor laporan pengaduan dekat depan belakang rumah masjid gang rt rw
   kuwi iku podo wis durung punjul nek loro opo wae piye ora aku kowe sampeyan njenengan matur nuwun suwun nggih
   enggih monggo mboten sing karo opo ngopo`
    .split(/\s+/)
    .filter(Boolean),
);

/** Counts of language words in a message (loan words and unknown words count for neither). */
export function languageCounts(text: string): { en: number; id: number; words: number } {
  let en = 0;
  let id = 0;
  const words = cleanText(text).split(' ').filter(Boolean);
  for (const w of words) {
    if (LOAN.has(w)) continue;
    if (EN.has(w)) en += 1;
    if (ID.has(w)) id += 1;
  }
  return { en, id, words: words.length };
}

/**
 * `en` or `id` when the message clearly is that language, `null` when it cannot tell ("ok",
 * "cpns?", "Gang Sampangan III"). English needs at least two English words and no Indonesian
 * one outweighing them.
 */
export function messageLanguage(text: string): 'id' | 'en' | null {
  const { en, id } = languageCounts(text);
  if (en >= 2 && en > 2 * id) return 'en';
  const words = cleanText(text).split(' ');
  if (en === 1 && id === 0 && words.length <= 2 && words.some((w) => w.length >= 4 && EN.has(w))) return 'en';
  if (id >= 1 && id >= en) return 'id';
  return null;
}

/**
 * True when the message is clearly English writing (not a loan word or two): a conversation in it
 * may switch the remembered language.
 */
export function isClearlyEnglish(text: string): boolean {
  const { en, id } = languageCounts(text);
  return en >= 3 && id === 0;
}
