/**
 * Cue words, kept as features of the classifier (not as a router): whether a message names a
 * problem, says "I want to report", names a thing in the neighbourhood, asks a question, or talks
 * about a forum, the progress of a report or a person's own report. They let the model generalise from a few hundred
 * complaints to the many ways a problem is described. Formerly the complaint flow's own detector.
 */
import { cleanText } from '../faq/normalize.js';

const CUES: Record<string, readonly string[]> = {
  problem: [
    'rusak', 'berlubang', 'lubang', 'ambles', 'amblas', 'retak', 'longsor', 'banjir', 'genangan', 'tergenang', 'rob',
    'mampet', 'tersumbat', 'buntu', 'meluap', 'sampah', 'menumpuk', 'numpuk', 'berserakan', 'bau', 'kotor', 'mati', 'padam',
    'gelap', 'pungli', 'pungutan', 'dipungut', 'dimintai', 'preman', 'maling', 'pencurian', 'dicuri', 'tawuran',
    'berisik', 'bising', 'brisik', 'parkir liar', 'pkl', 'liar', 'roboh', 'tumbang', 'bocor', 'macet', 'judes', 'kasar', 'galak',
    'lambat', 'lama', 'suwe', 'dipersulit', 'tidak dilayani', 'nggak dilayani', 'gak dilayani', 'belum jadi', 'blm jadi', 'durung dadi',
    'tidak jadi jadi', 'tak kunjung', 'terbengkalai', 'membahayakan', 'bahaya', 'kumuh', 'demam berdarah', 'dbd',
    'diperbaiki', 'perbaikan', 'dibenahi', 'dibenerin', 'diaspal', 'ditambal', 'minta uang', 'dimintai uang', 'habis', 'kosong',
    'uang rokok', 'uang pelicin', 'disuruh bayar', 'harus bayar', 'dipingpong', 'dilempar', 'bolak balik', 'tidak ada di tempat',
    'menjuntai', 'ngganggu', 'mengganggu', 'ganggu', 'tidak adil', 'ga adil', 'gak adil', 'salah sasaran',
    'broken', 'pothole', 'flood', 'flooded', 'garbage', 'trash', 'rubbish', 'dark', 'dangerous', 'noisy', 'rude', 'blocked',
  ],
  report: [
    'lapor', 'melapor', 'laporan', 'melaporkan', 'mengadu', 'ngadu', 'pengaduan', 'aduan', 'keluhan', 'mengeluh', 'komplain', 'komplen',
    'protes', 'aspirasi', 'usul', 'usulan', 'saran', 'mengusulkan', 'tolong ditindak', 'mohon ditindak', 'tolong diperbaiki',
    'mohon diperbaiki', 'mohon perbaikan', 'tolong dibersihkan', 'mohon dibersihkan', 'complain', 'complaint', 'report',
  ],
  place: [
    'jalan', 'jln', 'jl', 'gang', 'gg', 'trotoar', 'jembatan', 'saluran', 'selokan', 'got', 'drainase', 'gorong',
    'lampu', 'pju', 'tps', 'tempat sampah', 'pohon', 'kabel', 'tiang', 'rumah', 'kampung', 'rt', 'rw', 'taman', 'pasar', 'sekolah',
    'kelurahan', 'kecamatan', 'petugas', 'pelayanan', 'ktp', 'kk', 'akta', 'blangko', 'bansos', 'tetangga', 'lurah', 'camat',
    'road', 'street', 'drain', 'light', 'pavement', 'sidewalk', 'neighbour', 'neighbor', 'office', 'officer',
  ],
  question: [
    'syarat', 'persyaratan', 'bagaimana cara', 'gimana cara', 'caranya', 'cara membuat', 'cara bikin', 'berapa', 'brp',
    'apakah', 'apa saja', 'dimana', 'di mana', 'how to', 'how do', 'what are', 'requirements', 'formasi', 'cpns', 'pppk', 'p3k',
  ],
  forum: ['forum', 'musrenbang', 'rembug', 'sarasehan', 'pertemuan', 'rapat warga', 'sosialisasi', 'acara', 'event', 'events', 'meeting', 'hearing', 'peserta'],
  progress: [
    'kelanjutan', 'kelanjutannya', 'kelanjutane', 'perkembangan', 'perkembangannya', 'progres', 'progresnya', 'progress',
    'sampai mana', 'sampe mana', 'sampai dimana', 'sampai di mana', 'tindak lanjut', 'ditindaklanjuti', 'diproses', 'sudah diproses',
    'belum ada kabar', 'blm ada kabar', 'kabare', 'kabarnya', 'statusnya', 'follow up', 'any news', 'any update',
  ],
  own: ['laporan saya', 'laporanku', 'pengaduan saya', 'aduan saya', 'aduanku', 'tiket', 'my report', 'my complaint'],
};

/** The cue groups a message has, as feature names (`k:problem`, `k:report`, …). */
export function cuesOf(text: string): string[] {
  const s = ` ${cleanText(text)} `;
  return Object.entries(CUES)
    .filter(([, words]) => words.some((w) => s.includes(` ${w} `)))
    .map(([name]) => `k:${name}`);
}
