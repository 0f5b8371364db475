/**
 * Short answers to a question the bot asked: "ya" / "tidak", "ga ada foto", "anonim aja",
 * "ga tau". Read only when the whole message is the answer (a choice step), never inside a
 * longer text.
 */
import type { Identity } from '../../complaints/catalog.js';
import { editDistance, padded, words } from './text.js';

/** Particles that do not change a short answer ("anonim aja", "ya dong", "skip deh"). */
const FILLERS = new Set(['aja', 'saja', 'sj', 'dong', 'deh', 'ya', 'yah', 'kak', 'min', 'pak', 'bu', 'mas', 'mbak', 'nya', 'lah', 'kok', 'sih', 'please', 'pls', 'kan']);

/** The words of a short answer without fillers ("anonim aja" → ["anonim"]). */
function core(text: string): string[] {
  const w = words(text);
  const kept = w.filter((x) => !FILLERS.has(x));
  return kept.length ? kept : w;
}

const NEGATION = '(?:ga|gak|ngga|nggak|enggak|engga|gk|g|tdk|tidak|tak|belum|blm|nda|ndak|mboten|ora)';

/** "ga tau", "tidak tahu", "lupa", "kurang tahu", "ga tau kelurahannya". */
export function isDontKnow(text: string): boolean {
  const s = padded(text);
  return new RegExp(` ${NEGATION} (?:tau|tahu|tw|ngerti|paham|yakin) `).test(s) || / (?:kurang|ra|gatau|gatau|entah|embuh|lupa) /.test(s) || / (?:don t|dont|do not) know /.test(s) || / not sure /.test(s);
}

/** "ga ada foto", "tidak ada", "lewati", "skip", "tanpa foto", "ga usah". */
export function isNone(text: string): boolean {
  const s = padded(text);
  if (/ (?:lewati|lewat|skip|tanpa|nanti aja|no photos?|none|nothing) /.test(s)) return true;
  if (new RegExp(` ${NEGATION} (?:ada|punya|usah|perlu|pakai|pake) `).test(s)) return true;
  const w = core(text);
  return w.length === 1 && ['gaada', 'gakada', 'ngga', 'nggak', 'gak', 'ga', 'tidak', 'no', 'kosong'].includes(w[0]!);
}

const YES = ['ya', 'iya', 'iyo', 'yo', 'y', 'yes', 'yup', 'ok', 'oke', 'okey', 'okay', 'betul', 'benar', 'bener', 'setuju', 'lanjut', 'boleh', 'siap', 'yakin', 'sure', 'nggih', 'inggih', 'ho oh', 'yoi'];
const NO = ['tidak', 'tdk', 'ga', 'gak', 'nggak', 'ngga', 'enggak', 'engga', 'gk', 'no', 'nope', 'jangan', 'jgn', 'ora', 'mboten', 'batal', 'tidak jadi', 'ga jadi', 'gak jadi', 'nggak jadi', 'gajadi', 'ndak', 'nda'];

/** "ya" → yes, "tidak" / "ga jadi" → no; anything longer or unclear → undefined. */
export function yesNo(text: string): 'yes' | 'no' | undefined {
  const all = words(text);
  const w = all.filter((x) => !['kak', 'min', 'pak', 'bu', 'dong', 'deh', 'sih', 'aja', 'saja'].includes(x));
  if (w.length === 0 || w.length > 3) return undefined;
  const s = w.join(' ');
  if (NO.includes(s) || NO.includes(w[0]!)) return 'no';
  if (YES.includes(s) || YES.includes(w[0]!)) return 'yes';
  return undefined;
}

const IDENTITY_WORDS: Record<Identity, string[]> = {
  named: ['nama', 'dengan nama', 'pakai nama', 'pake nama', 'nama saya', 'nama asli', 'terbuka', 'with my name', 'named', 'name'],
  anonim: ['anonim', 'anonymous', 'anon', 'tanpa nama', 'ga usah nama', 'gak usah nama', 'sembunyikan nama', 'rahasiakan nama'],
  rahasia: ['rahasia', 'confidential', 'dirahasiakan', 'privat', 'private'],
};

/** "anonim aja", "pakai nama saya", "rahasia" (close spellings such as "anonym", "rahsia" too). */
export function identityAnswer(text: string): Identity | undefined {
  const s = padded(core(text).join(' '));
  // Longest phrases first, so "tanpa nama" is anonymous rather than "nama".
  const pairs = (Object.entries(IDENTITY_WORDS) as Array<[Identity, string[]]>)
    .flatMap(([id, list]) => list.map((p) => [id, p] as const))
    .sort((a, b) => b[1].length - a[1].length);
  for (const [id, p] of pairs) if (s.includes(` ${p} `)) return id;
  const w = core(text);
  if (w.length === 1) {
    for (const [id, p] of pairs) if (p.length >= 5 && !p.includes(' ') && editDistance(w[0]!, p, 1) <= 1) return id;
  }
  return undefined;
}

/**
 * "batal", "batalkan", "ga bisa datang", "berhalangan", "hapus nama saya": the person wants to
 * cancel what the last prompt was about (a forum seat after a reminder or on "forum saya").
 */
export function isCancelRequest(text: string): boolean {
  const s = padded(text);
  if (/ (?:batal|batalkan|batalin|cancel|membatalkan|dibatalkan|urung) /.test(s)) return true;
  if (/ (?:berhalangan|halangan|absen|izin tidak hadir|ijin tidak hadir) /.test(s)) return true;
  if (/ hapus (?:nama|pendaftaran|kursi)/.test(s)) return true;
  return new RegExp(` ${NEGATION} (?:bisa|bs|isa|jadi|sempat|sempet) (?:datang|dateng|hadir|ikut|rawuh) `).test(s) || new RegExp(` ${NEGATION} (?:datang|dateng|hadir|ikut) `).test(s);
}

/** Whole messages that are only a greeting or a thank-you ("halo kak", "makasih", "ok siap"). */
const COURTESY = /^(?:(?:halo+|hallo|hai|hay|hi+|hello|helo|hey|p|ping|tes|test|permisi|salam|assalamu ?alaikum(?: wr wb)?|asalamualaikum|(?:selamat |sugeng )?(?:pagi|siang|sore|malam|enjing|dalu)|good (?:morning|afternoon|evening)|terima ?kasih(?: banyak)?|makasih|makasi|mksh|trims|tq|thanks|thank you|thx|matur nuwun|suwun|ok|oke|okay|siap|baik|sip|mantap)(?: (?:kak|min|pak|bu|mas|mbak|ya|banyak|nggih))*\s*)+$/;

/**
 * True for a message that is only a greeting or a thank-you: not an answer to a question the bot
 * asked (a staff question, a rating request), so it is not taken as one.
 */
export function isCourtesy(text: string): boolean {
  const s = words(text).join(' ');
  return s.length > 0 && COURTESY.test(s);
}
