/**
 * Words the engine itself says (greeting, help, global commands), in both languages.
 * Flow-specific wording lives in each flow's file.
 */
import type { Lang } from './messages.js';

const texts = {
  greeting: {
    id: 'Halo{name}! 👋 Selamat datang di Sapa Gajahmungkur, layanan chat Kantor Kecamatan Gajahmungkur, Kota Semarang.\n\nSilakan pilih layanan di bawah ini, atau langsung ketik pertanyaan Anda.',
    en: 'Hello{name}! 👋 Welcome to Sapa Gajahmungkur, the chat service of the Gajahmungkur sub-district office, Semarang.\n\nPick a service below, or just type your question.',
  },
  menu: {
    id: 'Menu utama. Silakan pilih layanan:',
    en: 'Main menu. Please choose a service:',
  },
  notUnderstood: {
    id: 'Maaf, saya belum memahami pesan itu. 🙏 Silakan pilih layanan di bawah ini, atau ketik "bantuan" untuk petunjuk.',
    en: 'Sorry, I didn\'t understand that. 🙏 Please pick a service below, or type "help" for guidance.',
  },
  unsupported: {
    id: 'Maaf, jenis pesan ini belum bisa saya proses. Silakan kirim pesan teks atau pilih dari menu.',
    en: "Sorry, I can't handle this kind of message yet. Please send text or pick from the menu.",
  },
  help: {
    id: 'Bantuan Sapa Gajahmungkur\n\nKata yang bisa diketik kapan saja:\n• menu — kembali ke menu utama\n• batal — batalkan proses yang sedang berjalan\n• kembali — ke langkah sebelumnya\n• bantuan — petunjuk ini\n• bahasa — ganti ke English\n\nAnda juga bisa langsung mengetik pertanyaan.',
    en: 'Sapa Gajahmungkur help\n\nWords you can type at any time:\n• menu — back to the main menu\n• cancel (batal) — cancel what is in progress\n• back (kembali) — previous step\n• help (bantuan) — this guide\n• language — switch to Bahasa Indonesia\n\nYou can also just type your question.',
  },
  thanks: {
    id: 'Sama-sama! 🙏 Jika ada yang lain, ketik pertanyaan Anda atau "menu".',
    en: 'You are welcome! 🙏 If there is anything else, type your question or "menu".',
  },
  aboutBot: {
    id: 'Saya asisten otomatis (bot) Kantor Kecamatan Gajahmungkur. Pertanyaan yang tidak bisa saya jawab bisa Anda teruskan ke petugas. 🙂',
    en: "I am the automated assistant (a bot) of the Gajahmungkur sub-district office. Questions I cannot answer can be passed to our staff. 🙂",
  },
  clarify: {
    id: 'Maksud Anda: {choices}?',
    en: 'Do you mean: {choices}?',
  },
  or: { id: ', atau ', en: ', or ' },
  unknownCommand: {
    id: 'Perintah {command} tidak dikenal. Silakan pilih dari menu di bawah ini.',
    en: 'Unknown command {command}. Please choose from the menu below.',
  },
  cancelled: {
    id: 'Baik, proses dibatalkan. Tidak ada data yang disimpan.',
    en: 'OK, cancelled. Nothing was saved.',
  },
  nothingToCancel: {
    id: 'Tidak ada proses yang sedang berjalan.',
    en: 'There is nothing in progress.',
  },
  nothingToGoBack: {
    id: 'Tidak ada langkah sebelumnya. Ini menu utama:',
    en: 'There is no previous step. Here is the main menu:',
  },
  languageSwitched: {
    id: 'Bahasa diganti ke Bahasa Indonesia. 🇮🇩',
    en: 'Language switched to English. 🇬🇧',
  },
  resumeAsk: {
    id: 'Sebelumnya Anda sedang mengisi: {flow}. Mau melanjutkan atau mulai dari awal?',
    en: 'Earlier you were in the middle of: {flow}. Continue, or start over?',
  },
  resumeContinue: { id: 'Lanjutkan', en: 'Continue' },
  resumeRestart: { id: 'Mulai dari awal', en: 'Start over' },
  choose: { id: 'Pilih', en: 'Choose' },
  menuHelp: { id: 'Bantuan', en: 'Help' },
  menuLanguage: { id: 'English', en: 'Bahasa Indonesia' },
  tooLong: {
    id: 'Pesan Anda terlalu panjang ({length} karakter). Mohon kirim maksimal {max} karakter, atau bagi menjadi beberapa pesan.',
    en: 'Your message is too long ({length} characters). Please send at most {max} characters, or split it into several messages.',
  },
  internalError: {
    id: 'Maaf, terjadi gangguan saat memproses pesan Anda. Pesan Anda tersimpan dan akan kami coba lagi; silakan tunggu sebentar.',
    en: 'Sorry, something went wrong while handling your message. It is saved and we will retry; please wait a moment.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof texts;

/** Fills `{name}` placeholders; unknown names stay as written. Shared by every flow's wording. */
export function fill(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Text in the given language, with `{name}` placeholders filled. */
export function t(lang: Lang, key: TextKey, vars: Record<string, string | number> = {}): string {
  return fill(texts[key][lang], vars);
}
