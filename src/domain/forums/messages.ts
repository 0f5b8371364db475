/**
 * What the forums feature tells people outside a conversation (reminders, notices, staff
 * digests), in both languages. Flow wording lives in each flow file.
 */
import type { Lang, Reply } from '../../core/messages.js';
import type { ForumDoc } from './forum-model.js';
import type { RegistrationDoc } from './registration-model.js';
import { formatDay, formatShort, formatWhen } from './wib-time.js';

type ForumView = Pick<ForumDoc, 'title' | 'topic' | 'venue' | 'startAt' | 'durationMinutes' | 'kelurahan' | 'capacity'>;

/** Choice id that cancels a registration in one tap (handled by the "forum saya" flow). */
export const cancelChoiceId = (regId: string): string => `forumku:c:${regId}`;

const where = (f: ForumView, lang: Lang) => (f.kelurahan ? `${f.kelurahan}` : lang === 'en' ? 'whole kecamatan' : 'se-kecamatan');

/** Forum details block (used in lists, confirmations and notices). */
export function forumDetails(f: ForumView, lang: Lang, tz: string): string {
  const hours = f.durationMinutes % 60 === 0 ? `${f.durationMinutes / 60} ${lang === 'en' ? 'hour(s)' : 'jam'}` : `${f.durationMinutes} ${lang === 'en' ? 'minutes' : 'menit'}`;
  return lang === 'en'
    ? `📌 ${f.title}\n🗓 ${formatWhen(f.startAt, lang, tz)} (${hours})\n📍 ${f.venue}\n👥 For: ${where(f, lang)}\n💬 Topic: ${f.topic}`
    : `📌 ${f.title}\n🗓 ${formatWhen(f.startAt, lang, tz)} (${hours})\n📍 ${f.venue}\n👥 Untuk: warga ${where(f, lang)}\n💬 Topik: ${f.topic}`;
}

/** The reminder a registrant gets `offsetHours` before the forum. */
export function residentReminder(f: ForumView, reg: Pick<RegistrationDoc, '_id' | 'name' | 'code'>, offsetHours: number, lang: Lang, tz: string): Reply {
  const lead =
    lang === 'en'
      ? `⏰ Reminder: the community forum starts in ${offsetHours} hour(s).`
      : `⏰ Pengingat: forum warga dimulai ${offsetHours} jam lagi.`;
  const tail =
    lang === 'en'
      ? `Registration code: ${reg.code}\nCan't come? Tap Cancel so someone on the waitlist gets your seat.`
      : `Kode pendaftaran: ${reg.code}\nBerhalangan hadir? Ketuk Batalkan agar kursi Anda bisa dipakai warga di daftar tunggu.`;
  return {
    kind: 'text',
    text: `${lead}\n\n${forumDetails(f, lang, tz)}\n\n${tail}`,
    choices: [{ id: cancelChoiceId(String(reg._id)), title: lang === 'en' ? 'Cancel my seat' : 'Batalkan' }],
  };
}

/** WhatsApp template parameters may not hold newlines, tabs or more than four spaces in a row. */
export function templateParam(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/ {4,}/g, '   ').trim().slice(0, 200) || '-';
}

/** Body parameters of the reminder template: {{1}} name, {{2}} forum, {{3}} when (WIB), {{4}} venue, {{5}} code. */
export function reminderTemplateParams(f: ForumView, reg: Pick<RegistrationDoc, 'name' | 'code'>, lang: Lang, tz: string): string[] {
  return [reg.name, f.title, formatWhen(f.startAt, lang, tz), f.venue, reg.code].map(templateParam);
}

/** Parameters of the cancellation template: name, forum title, date and time. */
export function cancelledTemplateParams(f: ForumView, reg: Pick<RegistrationDoc, 'name'>, lang: Lang, tz: string): string[] {
  return [reg.name, f.title, formatWhen(f.startAt, lang, tz)].map(templateParam);
}

export function movedNotice(f: ForumView, previousStart: Date, lang: Lang, tz: string): string {
  return lang === 'en'
    ? `📢 The forum "${f.title}" has been moved.\nWas: ${formatWhen(previousStart, lang, tz)}\nNow:\n\n${forumDetails(f, lang, tz)}\n\nYour registration still stands; reminders follow the new time. An updated calendar file is attached.`
    : `📢 Forum "${f.title}" dipindah jadwalnya.\nSebelumnya: ${formatWhen(previousStart, lang, tz)}\nSekarang:\n\n${forumDetails(f, lang, tz)}\n\nPendaftaran Anda tetap berlaku; pengingat mengikuti jadwal baru. Berkas kalender terbaru terlampir.`;
}

export function cancelledNotice(f: ForumView, lang: Lang, tz: string): string {
  return lang === 'en'
    ? `📢 We are sorry: the forum "${f.title}" on ${formatWhen(f.startAt, lang, tz)} has been cancelled. No reminders will be sent. Watch "Community forums" in the menu for the next one.`
    : `📢 Mohon maaf, forum "${f.title}" pada ${formatWhen(f.startAt, lang, tz)} dibatalkan. Tidak akan ada pengingat. Pantau menu "Forum warga" untuk jadwal berikutnya.`;
}

export function promotedNotice(f: ForumView, reg: Pick<RegistrationDoc, 'code'>, lang: Lang, tz: string): string {
  return lang === 'en'
    ? `🎉 Good news: a seat became free and you moved up from the waitlist. You are now registered.\n\n${forumDetails(f, lang, tz)}\n\nRegistration code: ${reg.code}`
    : `🎉 Kabar baik: ada kursi kosong dan Anda naik dari daftar tunggu. Anda sekarang terdaftar.\n\n${forumDetails(f, lang, tz)}\n\nKode pendaftaran: ${reg.code}`;
}

/** Counts shown to staff. */
export interface ForumCounts {
  registered: number;
  waitlisted: number;
  cancelled: number;
  attended: number;
}

const STAFF_TEXT_MAX = 3500;

/** The staff reminder before a forum, with the attendee list (cut to fit one message). */
export function staffReminderText(f: ForumView, attendees: Array<Pick<RegistrationDoc, 'name' | 'code' | 'kelurahan'>>, counts: ForumCounts, tz: string): string {
  const head = `⏰ Forum dimulai ${formatWhen(f.startAt, 'id', tz)}\n📌 ${f.title}\n📍 ${f.venue}\nTerdaftar ${counts.registered}/${f.capacity} · daftar tunggu ${counts.waitlisted}\n\nDaftar hadir:`;
  let text = head;
  for (const [i, a] of attendees.entries()) {
    const line = `\n${i + 1}. ${a.name} (${a.kelurahan}) — ${a.code}`;
    if (text.length + line.length > STAFF_TEXT_MAX) {
      text += `\n… dan ${attendees.length - i} lainnya (lihat "Kelola forum" → Pendaftar, atau ekspor CSV).`;
      break;
    }
    text += line;
  }
  if (attendees.length === 0) text += '\n(belum ada pendaftar)';
  return text;
}

/** The daily 07:00 WIB digest of the next 7 days. */
export function digestText(day: Date, items: Array<{ forum: ForumView; counts: ForumCounts }>, tz: string): string {
  const head = `☀️ Ringkasan forum warga — ${formatDay(day, 'id', tz)}\nForum 7 hari ke depan:`;
  if (items.length === 0) return `${head}\n\n(tidak ada forum terjadwal)`;
  const lines = items.map(
    ({ forum, counts }) =>
      `\n• ${formatShort(forum.startAt, tz)} ${forum.title} — ${forum.venue}\n  terdaftar ${counts.registered}/${forum.capacity} · daftar tunggu ${counts.waitlisted}`,
  );
  return `${head}\n${lines.join('')}`.slice(0, STAFF_TEXT_MAX);
}
