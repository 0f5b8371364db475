/**
 * CSV export of complaints for staff: UTF-8 with a byte-order mark so Excel reads the accents,
 * one row per ticket. Descriptions have NIK and phone numbers masked; `anonim` tickets never show
 * the reporter. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
 */
import { categoryLabel, IDENTITY_LABELS, kelurahanName, statusLabel } from './catalog.js';
import type { ComplaintDoc } from './types.js';
import { maskText } from '../../logging/mask.js';
import { formatWhen } from './text.js';
import { isOverdue } from './daily-summary.js';
import { placeLine } from './views.js';
import { stripBidiControls } from '../../core/bidi.js';

const HEADER = [
  'Nomor tiket',
  'Masuk (WIB)',
  'Kategori',
  'Kelurahan',
  'Lokasi',
  'Koordinat',
  'Uraian',
  'Jumlah foto',
  'Identitas',
  'Nama pelapor',
  'Telepon pelapor',
  'Kanal',
  'Status',
  'Perubahan terakhir (WIB)',
  'Catatan terakhir',
  'Target tanggapan (WIB)',
  'Target selesai (WIB)',
  'Lewat target',
  'Nilai',
  'Komentar penilaian',
  'Diteruskan ke',
  'No. referensi instansi',
  'Dibuka kembali (kali)',
  'Pesan di percakapan',
];

/** One CSV cell: quoted when needed, formula-looking text and direction controls neutralised. */
export function csvCell(value: string | number | undefined): string {
  let s = value === undefined ? '' : stripBidiControls(String(value));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV file (with BOM) for these complaints. */
export function complaintsCsv(rows: ComplaintDoc[], now: Date, tz: string): string {
  const lines = [HEADER.map(csvCell).join(',')];
  for (const c of rows) {
    const last = c.history[c.history.length - 1];
    const hidden = c.identity === 'anonim';
    const coords = c.place.latitude !== undefined && c.place.longitude !== undefined ? `${c.place.latitude},${c.place.longitude}` : '';
    lines.push(
      [
        c.ticketNo,
        formatWhen(c.createdAt, 'id', tz),
        categoryLabel(c.category, 'id'),
        kelurahanName(c.kelurahan),
        placeLine({ ...c.place, latitude: undefined, longitude: undefined }, 'id'),
        coords,
        maskText(c.description),
        c.photos.length,
        IDENTITY_LABELS[c.identity].id,
        hidden ? '' : (c.reporter.name ?? ''),
        hidden ? '' : (c.reporter.phone ?? ''),
        c.reporter.channel,
        statusLabel(c.status, 'id'),
        last ? formatWhen(new Date(last.at), 'id', tz) : '',
        last?.note ? maskText(last.note) : '',
        formatWhen(c.responseDueAt, 'id', tz),
        formatWhen(c.resolutionDueAt, 'id', tz),
        isOverdue(c, now) ? 'ya' : 'tidak',
        c.rating?.score ?? '',
        c.rating?.comment ?? '',
        c.forward?.agencyName ?? '',
        c.forward?.agencyRef ?? '',
        c.reopenCount ?? 0,
        (c.thread ?? []).filter((t) => t.kind === 'message').length,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
