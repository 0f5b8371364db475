/**
 * The dashboard's charts as data: each chart is labels × series, the same numbers drawn by
 * `assets/dashboard.js` (from a data attribute; the CSP forbids inline scripts) and offered as
 * CSV. The figures come from the domain read models (complaints/stats, forums/overview,
 * faq/stats); this module only arranges them.
 */
import { DateTime } from 'luxon';
import { categoryLabel, kelurahanName } from '../../domain/complaints/catalog.js';
import { complaintStats, type ComplaintStats } from '../../domain/complaints/stats.js';
import { isComplaintsModule } from '../../features/complaints.js';
import { isFaqModule } from '../../features/faq.js';
import { faqStats, type FaqStats } from '../../domain/faq/stats.js';
import { isForumsModule } from '../../features/forums.js';
import { forumWeeks, type ForumWeek } from '../../domain/forums/overview.js';
import type { AppModule } from '../../features/feature.js';

/** One chart: a title, the category axis, and one or more series of numbers. */
export interface ChartData {
  id: string;
  title: string;
  /** What the labels are (the CSV's first column). */
  axis: string;
  labels: string[];
  series: Array<{ label: string; data: number[] }>;
  stacked: boolean;
  horizontal: boolean;
}

export interface Dashboard {
  weeks: string[];
  complaints: ComplaintStats | undefined;
  forums: ForumWeek[] | undefined;
  faq: FaqStats | undefined;
  charts: ChartData[];
}

export const WEEKS_DEFAULT = 8;

/** Monday 00:00 (in `tz`) of the week of `d`, as `yyyy-MM-dd`. */
export const weekKey = (d: Date, tz: string): string => DateTime.fromJSDate(d, { zone: tz }).startOf('week').toISODate()!;

/** The window of the last `n` weeks up to and including the current one. */
export function windowOf(now: Date, n: number, tz: string): { from: Date; to: Date; weeks: string[] } {
  const thisWeek = DateTime.fromJSDate(now, { zone: tz }).startOf('week');
  const first = thisWeek.minus({ weeks: n - 1 });
  const weeks = Array.from({ length: n }, (_, i) => first.plus({ weeks: i }).toISODate()!);
  return { from: first.toJSDate(), to: thisWeek.plus({ weeks: 1 }).toJSDate(), weeks };
}

/** Series per key (category, kelurahan) over the weeks, keys with no complaint left out. */
function perWeekSeries(weeks: string[], by: Record<string, Record<string, number>>, name: (k: string) => string): ChartData['series'] {
  const keys = [...new Set(weeks.flatMap((w) => Object.keys(by[w] ?? {})))].sort();
  return keys.map((k) => ({ label: name(k), data: weeks.map((w) => by[w]?.[k] ?? 0) }));
}

export async function buildDashboard(o: { modules: AppModule[]; now: Date; tz: string; weeks: number }): Promise<Dashboard> {
  const win = windowOf(o.now, o.weeks, o.tz);
  const span = { ...win, weekOf: (d: Date) => weekKey(d, o.tz) };
  const complaintsMod = o.modules.find(isComplaintsModule);
  const forumsMod = o.modules.find(isForumsModule);
  const faqMod = o.modules.find(isFaqModule);
  const [complaints, forums, faq] = await Promise.all([
    complaintsMod ? complaintStats(complaintsMod.store, span) : undefined,
    forumsMod ? forumWeeks(forumsMod.stores, win.from, win.to, span.weekOf) : undefined,
    faqMod ? faqStats(faqMod.store, span) : undefined,
  ]);
  const charts: ChartData[] = [];
  const base = { axis: 'minggu (Senin)', labels: win.weeks, stacked: true, horizontal: false };
  if (complaints) {
    charts.push({ ...base, id: 'complaints-category', title: 'Pengaduan per minggu menurut kategori', series: perWeekSeries(win.weeks, complaints.byCategory, (k) => categoryLabel(k, 'id')) });
    charts.push({ ...base, id: 'complaints-kelurahan', title: 'Pengaduan per minggu menurut kelurahan', series: perWeekSeries(win.weeks, complaints.byKelurahan, kelurahanName) });
    charts.push({
      id: 'complaints-ratings',
      title: 'Penilaian pelapor',
      axis: 'nilai',
      labels: ['1', '2', '3', '4', '5'],
      series: [{ label: 'jumlah', data: [1, 2, 3, 4, 5].map((s) => complaints.ratings[s] ?? 0) }],
      stacked: false,
      horizontal: false,
    });
    charts.push({
      id: 'complaints-assignee',
      title: 'Pengaduan terbuka per petugas',
      axis: 'petugas',
      labels: complaints.openByAssignee.map((a) => a.assignee ?? 'Belum ditugaskan'),
      series: [{ label: 'terbuka', data: complaints.openByAssignee.map((a) => a.open) }],
      stacked: false,
      horizontal: true,
    });
  }
  if (forums) {
    const by = new Map(forums.map((f) => [f.week, f]));
    charts.push({
      ...base,
      id: 'forums',
      title: 'Forum warga per minggu: pendaftar dan kehadiran',
      stacked: false,
      series: [
        { label: 'forum', data: win.weeks.map((w) => by.get(w)?.forums ?? 0) },
        { label: 'terdaftar', data: win.weeks.map((w) => by.get(w)?.registered ?? 0) },
        { label: 'hadir', data: win.weeks.map((w) => by.get(w)?.attended ?? 0) },
      ],
    });
  }
  if (faq) {
    charts.push({
      ...base,
      id: 'questions',
      title: 'Pertanyaan per minggu',
      series: [
        { label: 'terjawab', data: win.weeks.map((w) => faq.asked[w]?.answered ?? 0) },
        { label: 'perlu pilihan', data: win.weeks.map((w) => faq.asked[w]?.ambiguous ?? 0) },
        { label: 'tidak terjawab', data: win.weeks.map((w) => faq.asked[w]?.unanswered ?? 0) },
      ],
    });
  }
  return { weeks: win.weeks, complaints, forums, faq, charts };
}

/** A chart's numbers as CSV rows (header first): the axis, then one column per series. */
export function chartRows(c: ChartData): { header: string[]; rows: Array<Array<string | number>> } {
  return { header: [c.axis, ...c.series.map((s) => s.label)], rows: c.labels.map((l, i) => [l, ...c.series.map((s) => s.data[i] ?? 0)]) };
}
