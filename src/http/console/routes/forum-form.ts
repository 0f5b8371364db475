/**
 * The forum form (create and edit): reads the posted fields into the domain's `ForumInput` with
 * the same limits the chat flow uses (flows/forums/forum-staff.ts): title 3–100, topic 3–500,
 * venue 3–150 characters, capacity 1–5000, a start in the future, a deadline not after the start.
 * Date and time are typed in WIB (the office's zone) and stored as UTC instants.
 */
import { DateTime } from 'luxon';
import type { ForumDoc } from '../../../domain/forums/forum-model.js';
import type { ForumInput } from '../../../domain/forums/forum-service.js';
import { cleanInput } from '../../../domain/forums/input.js';
import { KELURAHAN } from '../../../domain/kelurahan.js';

/** The form's fields as strings (for re-rendering after an error). */
export interface ForumFormValues {
  title: string;
  topic: string;
  kelurahan: string;
  venue: string;
  date: string;
  time: string;
  duration: string;
  capacity: string;
  deadline: string;
}

export type ForumFormResult = { ok: true; input: ForumInput } | { ok: false; error: string };

const LIMITS = { title: 100, topic: 500, venue: 150 } as const;
const LABEL = { title: 'Judul', topic: 'Topik', venue: 'Tempat' } as const;

/** The values of an existing forum, in WIB, for the edit form. */
export function valuesOf(f: ForumDoc, tz: string): ForumFormValues {
  const at = DateTime.fromJSDate(f.startAt, { zone: tz });
  return {
    title: f.title,
    topic: f.topic,
    kelurahan: f.kelurahan ?? '',
    venue: f.venue,
    date: at.toFormat('yyyy-MM-dd'),
    time: at.toFormat('HH:mm'),
    duration: String(f.durationMinutes),
    capacity: String(f.capacity),
    deadline: DateTime.fromJSDate(f.registrationDeadline, { zone: tz }).toFormat("yyyy-MM-dd'T'HH:mm"),
  };
}

export function valuesFrom(form: Record<string, string>): ForumFormValues {
  const g = (k: keyof ForumFormValues) => (form[k] ?? '').slice(0, 2000);
  return { title: g('title'), topic: g('topic'), kelurahan: g('kelurahan'), venue: g('venue'), date: g('date'), time: g('time'), duration: g('duration'), capacity: g('capacity'), deadline: g('deadline') };
}

/** Validates the form; `now` decides "in the future" (a new forum only: `requireFuture`). */
export function readForumForm(v: ForumFormValues, tz: string, now: Date, requireFuture: boolean): ForumFormResult {
  const text: Partial<Record<'title' | 'topic' | 'venue', string>> = {};
  for (const k of ['title', 'topic', 'venue'] as const) {
    const r = cleanInput(v[k], { min: 3, max: LIMITS[k], multiline: k === 'topic' });
    if (!r.ok) return { ok: false, error: `${LABEL[k]}: ${r.reason === 'tooLong' ? `paling banyak ${LIMITS[k]} karakter` : 'minimal 3 karakter'}.` };
    text[k] = r.value;
  }
  if (v.kelurahan !== '' && !(KELURAHAN as readonly string[]).includes(v.kelurahan)) return { ok: false, error: 'Kelurahan tidak dikenal.' };
  const start = DateTime.fromFormat(`${v.date} ${v.time}`, 'yyyy-MM-dd HH:mm', { zone: tz });
  if (!start.isValid) return { ok: false, error: 'Tanggal dan jam mulai belum diisi dengan benar.' };
  const startAt = start.toJSDate();
  if (requireFuture && startAt.getTime() <= now.getTime()) return { ok: false, error: 'Waktu mulai sudah lewat.' };
  const duration = /^\d{1,4}$/.test(v.duration.trim()) ? Number(v.duration.trim()) : NaN;
  if (!(duration >= 15 && duration <= 720)) return { ok: false, error: 'Durasi berupa menit, 15 sampai 720.' };
  const capacity = /^\d{1,4}$/.test(v.capacity.trim()) ? Number(v.capacity.trim()) : NaN;
  if (!(capacity >= 1 && capacity <= 5000)) return { ok: false, error: 'Kapasitas berupa angka 1 sampai 5000.' };
  let registrationDeadline = startAt;
  if (v.deadline.trim() !== '') {
    const d = DateTime.fromFormat(v.deadline.trim(), "yyyy-MM-dd'T'HH:mm", { zone: tz });
    if (!d.isValid) return { ok: false, error: 'Batas pendaftaran tidak dikenali.' };
    registrationDeadline = d.toJSDate();
  }
  if (registrationDeadline.getTime() > startAt.getTime()) return { ok: false, error: 'Batas pendaftaran harus sebelum forum dimulai.' };
  return {
    ok: true,
    input: { title: text.title!, topic: text.topic!, venue: text.venue!, kelurahan: v.kelurahan || null, startAt, durationMinutes: duration, capacity, registrationDeadline },
  };
}
