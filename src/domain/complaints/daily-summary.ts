/**
 * The morning summary for staff (07:00 WIB): counts of open tickets per status, category and
 * kelurahan, what came in and was closed in the last 24 hours, and the overdue list.
 * Confidential (`rahasia`) tickets are left out: general staff must not learn they exist.
 */
import { DateTime } from 'luxon';
import { categoryLabel, FINAL_STATUSES, kelurahanName, PAUSED_STATUSES, statusLabel, STATUSES } from './catalog.js';
import type { ComplaintStore } from './store.js';
import type { ComplaintDoc } from './types.js';
import { dueDay } from './views.js';

type Row = Pick<ComplaintDoc, 'ticketNo' | 'status' | 'category' | 'kelurahan' | 'responseDueAt' | 'resolutionDueAt' | 'createdAt' | 'updatedAt' | 'thread'>;

const DAY_MS = 86_400_000;

/** True when a ticket is past the target that applies to its status (a forwarded ticket's clock is paused). */
export function isOverdue(c: Pick<ComplaintDoc, 'status' | 'responseDueAt' | 'resolutionDueAt'>, now: Date): boolean {
  if (FINAL_STATUSES.includes(c.status) || PAUSED_STATUSES.includes(c.status)) return false;
  if (c.status === 'baru' && c.responseDueAt.getTime() <= now.getTime()) return true;
  return c.resolutionDueAt.getTime() <= now.getTime();
}

function countBy<T>(rows: T[], key: (r: T) => string): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Builds the summary text, or null when there is nothing to report. */
export async function buildDailySummary(store: ComplaintStore, now: Date, tz: string): Promise<{ key: string; text: string } | null> {
  const since = new Date(now.getTime() - DAY_MS);
  const fields = ['ticketNo', 'status', 'category', 'kelurahan', 'responseDueAt', 'resolutionDueAt', 'createdAt', 'updatedAt', 'thread'] as const;
  const open: Row[] = await store.findFields({ status: { notIn: FINAL_STATUSES }, identityNot: 'rahasia' }, fields, { sort: { by: 'createdAt', dir: 1 }, limit: 5000 });
  const recent: Row[] = await store.findFields({ createdFrom: since, identityNot: 'rahasia' }, fields, { limit: 5000 });
  const closed: Row[] = await store.findFields({ status: { in: FINAL_STATUSES }, updatedFrom: since, identityNot: 'rahasia' }, fields, { limit: 5000 });
  if (open.length === 0 && recent.length === 0 && closed.length === 0) return null;

  const day = DateTime.fromJSDate(now).setZone(tz);
  const overdue = open.filter((c) => isOverdue(c, now));
  const lines = [
    `📊 Ringkasan pengaduan ${day.setLocale('id').toFormat('cccc, d LLLL yyyy')}`,
    '',
    `Masuk 24 jam terakhir: ${recent.length}`,
    `Selesai 24 jam terakhir: ${closed.filter((c) => c.status === 'selesai').length} · ditolak: ${closed.filter((c) => c.status === 'ditolak').length} · dicabut pelapor: ${closed.filter((c) => c.status === 'dicabut').length}`,
    `Pesan pelapor 24 jam terakhir: ${[...open, ...closed].reduce((n, c) => n + (c.thread ?? []).filter((t) => t.from === 'reporter' && new Date(t.at).getTime() >= since.getTime()).length, 0)}`,
    '',
    `Belum selesai: ${open.length}`,
    ...STATUSES.filter((s) => !FINAL_STATUSES.includes(s)).map((s) => `• ${statusLabel(s, 'id')}: ${open.filter((c) => c.status === s).length}`),
  ];
  if (open.length) {
    lines.push('', 'Per kategori (belum selesai):', ...countBy(open, (c) => categoryLabel(c.category, 'id')).map(([k, n]) => `• ${k}: ${n}`));
    lines.push('', 'Per kelurahan (belum selesai):', ...countBy(open, (c) => kelurahanName(c.kelurahan)).map(([k, n]) => `• ${k}: ${n}`));
  }
  lines.push('', `Lewat target: ${overdue.length}`);
  for (const c of overdue.slice(0, 30)) {
    const what = c.status === 'baru' && c.responseDueAt.getTime() <= now.getTime() ? `belum ditanggapi, batas ${dueDay(c.responseDueAt, 'id', tz)}` : `belum selesai, batas ${dueDay(c.resolutionDueAt, 'id', tz)}`;
    lines.push(`• ${c.ticketNo} — ${categoryLabel(c.category, 'id')}, ${kelurahanName(c.kelurahan)} (${what})`);
  }
  if (overdue.length > 30) lines.push(`…dan ${overdue.length - 30} lainnya (ekspor CSV untuk daftar lengkap).`);
  return { key: `complaint-summary:${day.toISODate() ?? ''}`, text: lines.join('\n') };
}
