/**
 * Plain-text views of a complaint, for the reporter and for staff. Descriptions shown to staff
 * have NIK and phone numbers masked; `anonim` tickets never show who reported.
 */
import type { Choice, Lang } from '../../core/messages.js';
import { maskText } from '../../logging/mask.js';
import { categoryLabel, IDENTITY_LABELS, kelurahanName, statusLabel } from './catalog.js';
import type { ComplaintDoc, Place } from './types.js';
import { formatDay, formatWhen, mapLink, preview } from './text.js';

const L = {
  ticket: { id: 'Pengaduan', en: 'Complaint' },
  category: { id: 'Kategori', en: 'Category' },
  kelurahan: { id: 'Kelurahan', en: 'Kelurahan' },
  place: { id: 'Lokasi', en: 'Location' },
  map: { id: 'Peta', en: 'Map' },
  description: { id: 'Uraian', en: 'Description' },
  status: { id: 'Status', en: 'Status' },
  history: { id: 'Riwayat', en: 'History' },
  photos: { id: 'Foto', en: 'Photos' },
  reporter: { id: 'Pelapor', en: 'Reporter' },
  identity: { id: 'Identitas', en: 'Identity' },
  responseDue: { id: 'Target tanggapan', en: 'Response due' },
  resolutionDue: { id: 'Target selesai', en: 'Resolution due' },
  rating: { id: 'Penilaian', en: 'Rating' },
  pin: { id: 'titik peta', en: 'map pin' },
  hidden: { id: 'disembunyikan (anonim)', en: 'hidden (anonymous)' },
  thread: { id: 'Percakapan', en: 'Messages' },
  you: { id: 'Anda', en: 'You' },
  reporterWord: { id: 'Pelapor', en: 'Reporter' },
  office: { id: 'Petugas', en: 'Staff' },
  note: { id: 'catatan internal', en: 'internal note' },
  photo: { id: '[foto]', en: '[photo]' },
  forwardedTo: { id: 'Diteruskan ke', en: 'Forwarded to' },
  agencyAnswer: { id: 'Jawaban instansi', en: "Agency's answer" },
} as const;

/** "Jl. Menoreh Raya (titik peta)" — a one-line place. */
export function placeLine(p: Place, lang: Lang): string {
  const parts: string[] = [];
  if (p.name) parts.push(p.name);
  if (p.address) parts.push(p.address);
  if (p.latitude !== undefined && p.longitude !== undefined && parts.length === 0) {
    parts.push(`📍 ${L.pin[lang]} (${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)})`);
  }
  return parts.join(', ');
}

/** End of the last day of a target, as a day (the due instant is the following midnight). */
export function dueDay(due: Date, lang: Lang, tz: string): string {
  return formatDay(new Date(due.getTime() - 1), lang, tz);
}

/** Status history, one line per change, with time in the display zone and the staff note. */
export function historyLines(c: ComplaintDoc, lang: Lang, tz: string, withStaffNames: boolean): string[] {
  return c.history.map((h) => {
    const who = withStaffNames && h.by?.name ? ` (${h.by.name})` : '';
    const note = h.note ? `: "${withStaffNames ? maskText(h.note) : h.note}"` : '';
    return `• ${formatWhen(new Date(h.at), lang, tz)} — ${statusLabel(h.status, lang)}${who}${note}`;
  });
}

/**
 * The ticket's thread, oldest first (newest last): the reporter sees the messages both ways,
 * staff also see internal notes. Staff names show to staff only.
 */
export function threadLines(c: ComplaintDoc, lang: Lang, tz: string, asStaff: boolean): string[] {
  return (c.thread ?? [])
    .filter((t) => asStaff || t.kind === 'message')
    .map((t) => {
      const who =
        t.from === 'reporter' ? (asStaff ? L.reporterWord[lang] : L.you[lang]) : `${L.office[lang]}${asStaff && t.by?.name ? ` ${t.by.name}` : ''}${t.kind === 'note' ? ` (${L.note[lang]})` : ''}`;
      const parts = [t.text ? `"${preview(asStaff ? maskText(t.text) : t.text, 300)}"` : '', t.photo ? L.photo[lang] : '', t.location ? `📍 ${mapLink(t.location.latitude, t.location.longitude)}` : ''];
      return `• ${formatWhen(new Date(t.at), lang, tz)} — ${who}: ${parts.filter(Boolean).join(' ')}`;
    });
}

/** Who reported, for staff: name and number, "anonim", or the channel only. */
export function reporterLine(c: ComplaintDoc, showReporter: boolean, lang: Lang): string {
  if (!showReporter || c.identity === 'anonim') return L.hidden[lang];
  const channel = c.reporter.channel === 'whatsapp' ? 'WhatsApp' : c.reporter.channel === 'telegram' ? 'Telegram' : 'chat';
  const name = c.reporter.name ?? '-';
  return `${name}${c.reporter.phone ? ` · ${c.reporter.phone}` : ''} · ${channel}${c.identity === 'rahasia' ? ` · ${IDENTITY_LABELS.rahasia[lang]}` : ''}`;
}

/** The ticket as its reporter or a staff member sees it when checking status. */
export function ticketView(c: ComplaintDoc, opts: { lang: Lang; tz: string; asStaff: boolean; showReporter: boolean }): string {
  const { lang, tz, asStaff } = opts;
  const desc = asStaff ? maskText(c.description) : c.description;
  const lines = [
    `🧾 ${L.ticket[lang]} ${c.ticketNo}`,
    `${L.status[lang]}: ${statusLabel(c.status, lang)}`,
    `${L.category[lang]}: ${categoryLabel(c.category, lang)}`,
    `${L.kelurahan[lang]}: ${kelurahanName(c.kelurahan)}`,
    `${L.place[lang]}: ${placeLine(c.place, lang)}`,
    `${L.description[lang]}: ${preview(desc, asStaff ? 1500 : 300)}`,
  ];
  if (c.photos.length) lines.push(`${L.photos[lang]}: ${c.photos.length}`);
  if (asStaff) lines.push(`${L.reporter[lang]}: ${reporterLine(c, opts.showReporter, lang)}`);
  else lines.push(`${L.identity[lang]}: ${IDENTITY_LABELS[c.identity][lang]}`);
  if (c.status === 'baru') lines.push(`${L.responseDue[lang]}: ${dueDay(c.responseDueAt, lang, tz)}`);
  else if (c.status === 'diterima' || c.status === 'diproses' || c.status === 'dibuka-kembali') lines.push(`${L.resolutionDue[lang]}: ${dueDay(c.resolutionDueAt, lang, tz)}`);
  if (c.forward) {
    lines.push(`${L.forwardedTo[lang]}: ${c.forward.agencyName}${c.forward.agencyRef ? ` (no. ${c.forward.agencyRef})` : ''}`);
    if (c.forward.answer) lines.push(`${L.agencyAnswer[lang]}: "${preview(c.forward.answer.text, 300)}"`);
  }
  if (c.rating) lines.push(`${L.rating[lang]}: ${'⭐'.repeat(c.rating.score)}${c.rating.comment ? ` — "${preview(c.rating.comment, 200)}"` : ''}`);
  lines.push('', `${L.history[lang]}:`, ...historyLines(c, lang, tz, asStaff));
  const thread = threadLines(c, lang, tz, asStaff);
  if (thread.length) lines.push('', `${L.thread[lang]}:`, ...thread);
  return lines.join('\n');
}

/** The staff alert for a new complaint (always in Bahasa Indonesia, the office's language). */
export function staffNewComplaintText(c: ComplaintDoc, tz: string): string {
  const head = c.identity === 'rahasia' ? `🔒 Pengaduan RAHASIA ${c.ticketNo}` : `📢 Pengaduan baru ${c.ticketNo}`;
  const lines = [
    head,
    `Kategori: ${categoryLabel(c.category, 'id')}`,
    `Kelurahan: ${kelurahanName(c.kelurahan)}`,
    `Lokasi: ${placeLine(c.place, 'id')}`,
  ];
  if (c.place.latitude !== undefined && c.place.longitude !== undefined) lines.push(`Peta: ${mapLink(c.place.latitude, c.place.longitude)}`);
  lines.push('', `Uraian:\n${maskText(c.description)}`, '');
  if (c.photos.length) lines.push(`Foto: ${c.photos.length} (terlampir di atas)`);
  lines.push(
    `Pelapor: ${c.identity === 'anonim' ? 'ANONIM (identitas disembunyikan)' : reporterLine(c, true, 'id')}`,
    `Masuk: ${formatWhen(c.createdAt, 'id', tz)}`,
    `Target tanggapan: ${dueDay(c.responseDueAt, 'id', tz)} · target selesai: ${dueDay(c.resolutionDueAt, 'id', tz)}`,
  );
  return lines.join('\n');
}

/** Staff buttons under a complaint. Ids: `complaint-staff:<action>:<ticket>` (≤ 64 bytes). */
export function staffActionChoices(ticketNo: string): Choice[] {
  return [
    { id: `complaint-staff:diterima:${ticketNo}`, title: 'Terima' },
    { id: `complaint-staff:diproses:${ticketNo}`, title: 'Proses' },
    { id: `complaint-staff:selesai:${ticketNo}`, title: 'Selesai' },
    { id: `complaint-staff:ditolak:${ticketNo}`, title: 'Tolak' },
    { id: `complaint-staff:teruskan:${ticketNo}`, title: 'Teruskan ke instansi' },
    { id: `complaint-staff:balas:${ticketNo}`, title: 'Balas pelapor' },
    { id: `complaint-staff:catatan:${ticketNo}`, title: 'Catatan internal' },
  ];
}

/** Rating buttons for the reporter after "selesai". Ids: `complaint-rating:<ticket>:<1..5>`. */
export function ratingChoices(ticketNo: string): Choice[] {
  return [1, 2, 3, 4, 5].map((n) => ({ id: `complaint-rating:${ticketNo}:${n}`, title: `${n} ${'⭐'.repeat(n)}` }));
}

