/**
 * Cheap language detection for short chat messages: counts words that are
 * typical of English and of (chat) Indonesian. Indonesian wins ties, because
 * it is the bot's default language and most users write it.
 */
import type { Lang } from './types.js';
import { cleanText } from './normalize.js';

/** Function words and frequent question words of English. */
const EN_WORDS = new Set(
  `a an the is are am was were be been do does did i me my you your we our it its they
   what whats which who whom how when where why can could should would will shall must may might
   need needs have has had there this that these those any some much many for of to and or
   but if with about from after before still get got apply applying application applicant age old
   requirement requirements document documents register registration fee fees cost salary
   pay free limit maximum minimum result results announcement allowed year years
   long time open close closed schedule exam score scores stage stages
   difference between same both choose change without only also just please thanks hello
   degree graduate graduates graduated teacher doctor lecturer abroad health criminal party
   citizen contract permanent retirement selfie photo background size upload account
   forgot password email scan colour color red required certificate transcript
   appeal passing grade test tests questions minutes many how much does doing done not no yes
   want know tell someone anyone official scam money paid`
    .split(/\s+/)
    .filter(Boolean),
);

/** Function words, chat abbreviations and frequent question words of Indonesian. */
const ID_WORDS = new Set(
  `yang dan di ke dari untuk buat dengan pada dalam ini itu saya aku kamu anda kita kami dia
   ada adalah apa apakah bagaimana gimana berapa siapa mana dimana kenapa mengapa kapan
   tidak bukan sudah belum akan bisa dapat boleh harus perlu mau ingin juga saja lagi masih
   kalau jika kah lah pun sih dong deh nih ya atau tapi karena jadi oleh agar supaya seperti
   tentang sama kak min gan sis mas mbak pak bu bang om yg utk dgn sy brp gmn gmana kpn
   ga gak gk nggak ngga tdk udah udh blm bs jg aja klo kalo kl tp dr sdh krn pd lg trs org
   thn th tahun umur usia batas syarat persyaratan daftar mendaftar pendaftaran cara biaya
   bayar gaji lulusan nilai tes ujian berkas dokumen ijazah pakai pake punya apa aja
   berapakah bolehkah bisakah maksimal minimal dibuka buka tutup kapan jadwal pengumuman
   hasil lolos lulus gugur sanggah seleksi formasi pelamar melamar lamaran kerja pegawai
   negeri honorer guru dosen dokter sehat partai penjara kontrak pensiun tetap
   sekaligus bersamaan pilih ganti lupa akun foto latar merah ukuran warna tanpa hanya cuma`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Detects whether a message is English or Indonesian.
 * Domain codes (CPNS, PPPK, SKD...) count for neither; ties go to `'id'`.
 *
 * @example detectLanguage("what documents do I need for CPNS?") // 'en'
 * @example detectLanguage("kalau PPPK?") // 'id'
 */
export function detectLanguage(text: string): Lang {
  let en = 0;
  let id = 0;
  for (const word of cleanText(text).split(' ')) {
    if (!word) continue;
    if (EN_WORDS.has(word)) en += 1;
    if (ID_WORDS.has(word)) id += 1;
  }
  return en > id ? 'en' : 'id';
}
