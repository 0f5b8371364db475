/**
 * Read model of complaints for the head of office's dashboard: per week by category and by
 * kelurahan, share closed within the target, median time to the first response and to closing,
 * ratings, and open tickets per assignee. Plain finds with projections, computed in code
 * (FerretDB: no $lookup, no $facet); counts only, never a reporter.
 */
import type { ComplaintStatus } from './catalog.js';
import { FINAL_STATUSES } from './catalog.js';
import type { ComplaintStore } from './store.js';
import type { ComplaintDoc } from './types.js';

/** Staff answers that count as the first response (the reporter's own withdraw/reopen do not). */
const RESPONSES: readonly ComplaintStatus[] = ['diterima', 'diproses', 'diteruskan', 'selesai', 'ditolak'];
/** Closed by staff: done or rejected (a withdrawal is the reporter's). */
const CLOSES: readonly ComplaintStatus[] = ['selesai', 'ditolak'];

type Row = Pick<ComplaintDoc, 'category' | 'kelurahan' | 'status' | 'history' | 'thread' | 'resolutionDueAt' | 'rating' | 'createdAt'>;

export interface ComplaintStats {
  /** Week keys in order (every week of the window, empty ones included). */
  weeks: string[];
  /** week → category id → count of complaints filed that week. */
  byCategory: Record<string, Record<string, number>>;
  /** week → kelurahan id → count. */
  byKelurahan: Record<string, Record<string, number>>;
  /** Filed in the window and closed by staff (done or rejected): how many, and how many by the resolution target. */
  closed: number;
  closedWithinTarget: number;
  /** Medians in hours over complaints filed in the window (undefined when none). */
  medianFirstResponseHours: number | undefined;
  medianCloseHours: number | undefined;
  /** Ratings given to complaints filed in the window: score (1–5) → count. */
  ratings: Record<number, number>;
  /** Open tickets now (any filing date), by assignee name; `null` key = not assigned. */
  openByAssignee: Array<{ assignee: string | null; open: number }>;
}

/** Median of numbers (undefined for none). */
export function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const HOUR = 3_600_000;

/** When staff first answered: the first staff status change or staff message, whichever came first. */
export function firstResponseAt(c: Pick<Row, 'history' | 'thread'>): Date | undefined {
  const times = [
    ...(c.history ?? []).slice(1).filter((h) => RESPONSES.includes(h.status)).map((h) => new Date(h.at).getTime()),
    ...(c.thread ?? []).filter((t) => t.from === 'staff' && t.kind === 'message').map((t) => new Date(t.at).getTime()),
  ];
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/** When staff last closed it (done or rejected), if it is closed now. */
export function closedAt(c: Pick<Row, 'history' | 'status'>): Date | undefined {
  if (!CLOSES.includes(c.status)) return undefined;
  const last = [...(c.history ?? [])].reverse().find((h) => CLOSES.includes(h.status));
  return last ? new Date(last.at) : undefined;
}

/**
 * Figures for complaints filed in [from, to); `weekOf` gives a complaint's week key and `weeks`
 * lists the window's weeks (so empty weeks show as zero).
 */
export async function complaintStats(store: ComplaintStore, o: { from: Date; to: Date; weeks: string[]; weekOf: (d: Date) => string }): Promise<ComplaintStats> {
  const rows: Row[] = await store.findFields({ createdFrom: o.from, createdBefore: o.to }, ['category', 'kelurahan', 'status', 'history', 'thread', 'resolutionDueAt', 'rating', 'createdAt']);
  const byCategory: ComplaintStats['byCategory'] = Object.fromEntries(o.weeks.map((w) => [w, {}]));
  const byKelurahan: ComplaintStats['byKelurahan'] = Object.fromEntries(o.weeks.map((w) => [w, {}]));
  const firsts: number[] = [];
  const closes: number[] = [];
  const ratings: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let closed = 0;
  let within = 0;
  for (const c of rows) {
    const week = o.weekOf(new Date(c.createdAt));
    const cat = (byCategory[week] ??= {});
    cat[c.category] = (cat[c.category] ?? 0) + 1;
    const kel = (byKelurahan[week] ??= {});
    kel[c.kelurahan] = (kel[c.kelurahan] ?? 0) + 1;
    const created = new Date(c.createdAt).getTime();
    const first = firstResponseAt(c);
    if (first) firsts.push((first.getTime() - created) / HOUR);
    const done = closedAt(c);
    if (done) {
      closed += 1;
      closes.push((done.getTime() - created) / HOUR);
      if (done.getTime() <= new Date(c.resolutionDueAt).getTime()) within += 1;
    }
    const score = c.rating?.score;
    if (typeof score === 'number' && score >= 1 && score <= 5) ratings[score] = (ratings[score] ?? 0) + 1;
  }

  const open = await store.findFields({ status: { notIn: FINAL_STATUSES } }, ['assignee']);
  const perAssignee = new Map<string | null, number>();
  for (const c of open) {
    const who = c.assignee?.name ?? null;
    perAssignee.set(who, (perAssignee.get(who) ?? 0) + 1);
  }
  const openByAssignee = [...perAssignee].map(([assignee, n]) => ({ assignee, open: n })).sort((a, b) => b.open - a.open || String(a.assignee).localeCompare(String(b.assignee)));

  return {
    weeks: o.weeks,
    byCategory,
    byKelurahan,
    closed,
    closedWithinTarget: within,
    medianFirstResponseHours: median(firsts),
    medianCloseHours: median(closes),
    ratings,
    openByAssignee,
  };
}
