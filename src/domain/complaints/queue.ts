/**
 * The staff queue of complaints: filters, search, counts per filter value, overdue first, pages.
 *
 * Why in memory: on FerretDB every read walks the collection anyway, so one projected read of the
 * tickets in the date range (and matching the search words) followed by counting and filtering in
 * memory costs one walk instead of one per count. Only the page's tickets are then read whole.
 * `rahasia` tickets never leave this module for a viewer who may not handle them.
 */
import type { ComplaintAccess, Viewer } from './access.js';
import { FINAL_STATUSES, type ComplaintStatus, type Identity } from './catalog.js';
import type { ComplaintStore, TicketQuery } from './store.js';
import type { ComplaintDoc } from './types.js';
import { findTicket } from './text.js';

/** What staff filter the queue by. Every field is optional. */
export interface QueueFilter {
  /** A status, or `open` for every status still being handled. */
  status?: ComplaintStatus | 'open';
  category?: string;
  kelurahan?: string;
  overdue?: boolean;
  /** Only open tickets escalated to the head of office (a target breached, or reopened twice). */
  escalated?: boolean;
  /** Only tickets assigned to this console account. */
  assignedTo?: string;
  identity?: Identity;
  /** Filed on or after. */
  from?: Date;
  /** Filed before. */
  to?: Date;
  /** A ticket number, or words that must all be in the description or address. */
  q?: string;
}

/** The slice of a ticket the queue filters and counts on. */
type Row = Pick<
  ComplaintDoc,
  '_id' | 'ticketNo' | 'status' | 'category' | 'kelurahan' | 'identity' | 'assignee' | 'responseDueAt' | 'resolutionDueAt' | 'createdAt' | 'escalatedResponseAt' | 'escalatedResolutionAt' | 'reopenCount'
>;

/** The fields the queue reads of every ticket in range (one projected read). */
const ROW_FIELDS = ['ticketNo', 'status', 'category', 'kelurahan', 'identity', 'assignee', 'responseDueAt', 'resolutionDueAt', 'createdAt', 'escalatedResponseAt', 'escalatedResolutionAt', 'reopenCount'] as const;

/** How many tickets match each filter value, given the other filters in force. */
export interface QueueCounts {
  total: number;
  status: Record<string, number>;
  category: Record<string, number>;
  kelurahan: Record<string, number>;
  identity: Record<string, number>;
  overdue: number;
  escalated: number;
  mine: number;
}

export interface QueuePage {
  items: ComplaintDoc[];
  /** Overdue flag of each item, in order. */
  overdue: boolean[];
  counts: QueueCounts;
  page: number;
  pages: number;
}

/** Most tickets one queue read considers (years of this office's volume). */
const MAX_ROWS = 20_000;

/** Statuses whose response or resolution target is running. */
const RESOLVING: readonly ComplaintStatus[] = ['diterima', 'diproses', 'dibuka-kembali'];

/** True when an open ticket went to the head of office: a breached target was escalated, or it was reopened twice. */
export function isEscalated(c: Pick<ComplaintDoc, 'status' | 'escalatedResponseAt' | 'escalatedResolutionAt' | 'reopenCount'>): boolean {
  if (FINAL_STATUSES.includes(c.status)) return false;
  return Boolean(c.escalatedResponseAt) || Boolean(c.escalatedResolutionAt) || (c.reopenCount ?? 0) >= 2;
}

/** True when a ticket is past the target that applies to its status (paused and closed ones never are). */
export function isOverdue(c: Pick<ComplaintDoc, 'status' | 'responseDueAt' | 'resolutionDueAt'>, now: Date): boolean {
  if (c.status === 'baru') return new Date(c.responseDueAt).getTime() <= now.getTime();
  if (RESOLVING.includes(c.status)) return new Date(c.resolutionDueAt).getTime() <= now.getTime();
  return false;
}

export class ComplaintQueue {
  constructor(
    private readonly deps: {
      store: ComplaintStore;
      access: ComplaintAccess;
    },
  ) {}

  /** One page of the queue for `viewer` (page numbers from 1), overdue tickets first, then newest first. */
  async page(viewer: Viewer, filter: QueueFilter, opts: { page: number; pageSize: number; now: Date; me?: string }): Promise<QueuePage> {
    const rows = await this.rows(viewer, filter);
    const { now } = opts;
    const tests: Record<keyof QueueCounts, (r: Row) => boolean> = {
      total: () => true,
      status: (r) => !filter.status || (filter.status === 'open' ? !FINAL_STATUSES.includes(r.status) : r.status === filter.status),
      category: (r) => !filter.category || r.category === filter.category,
      kelurahan: (r) => !filter.kelurahan || r.kelurahan === filter.kelurahan,
      identity: (r) => !filter.identity || r.identity === filter.identity,
      overdue: (r) => !filter.overdue || isOverdue(r, now),
      escalated: (r) => !filter.escalated || isEscalated(r),
      mine: (r) => !filter.assignedTo || r.assignee?.account === filter.assignedTo,
    };
    const dims = Object.keys(tests) as Array<keyof QueueCounts>;
    /** Rows passing every filter except `skip` (the counts of one filter's values ignore that filter). */
    const passing = (skip?: keyof QueueCounts) => rows.filter((r) => dims.every((d) => d === skip || tests[d](r)));
    const tally = (list: Row[], key: (r: Row) => string) => list.reduce<Record<string, number>>((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc), {});
    const statusRows = passing('status');
    const counts: QueueCounts = {
      total: 0,
      status: { ...tally(statusRows, (r) => r.status), open: statusRows.filter((r) => !FINAL_STATUSES.includes(r.status)).length },
      category: tally(passing('category'), (r) => r.category),
      kelurahan: tally(passing('kelurahan'), (r) => r.kelurahan),
      identity: tally(passing('identity'), (r) => r.identity),
      overdue: passing('overdue').filter((r) => isOverdue(r, now)).length,
      escalated: passing('escalated').filter(isEscalated).length,
      mine: opts.me ? passing('mine').filter((r) => r.assignee?.account === opts.me).length : 0,
    };
    const matching = passing();
    counts.total = matching.length;
    const sorted = matching
      .map((r) => ({ r, late: isOverdue(r, now) }))
      .sort((a, b) => Number(b.late) - Number(a.late) || new Date(b.r.createdAt).getTime() - new Date(a.r.createdAt).getTime());
    const pages = Math.max(1, Math.ceil(sorted.length / opts.pageSize));
    const page = Math.min(Math.max(1, opts.page), pages);
    const slice = sorted.slice((page - 1) * opts.pageSize, page * opts.pageSize);
    const docs = slice.length ? await this.deps.store.byIds(slice.map((s) => s.r._id)) : [];
    const byId = new Map<string, ComplaintDoc>(docs.map((d) => [String(d._id), d]));
    const items = slice.map((s) => byId.get(String(s.r._id))).filter((d): d is ComplaintDoc => d !== undefined);
    return { items, overdue: items.map((d) => isOverdue(d, now)), counts, page, pages };
  }

  /** The tickets in the date range matching the search, that this viewer may handle. */
  private async rows(viewer: Viewer, filter: QueueFilter): Promise<Row[]> {
    const query: TicketQuery = {};
    if (!this.deps.access.isSenior(viewer)) query.identityNot = 'rahasia';
    if (filter.from) query.createdFrom = filter.from;
    if (filter.to) query.createdBefore = filter.to;
    const q = filter.q?.trim();
    if (q) {
      const ticket = findTicket(q);
      if (ticket) query.ticketNo = ticket;
      else query.words = q.split(/\s+/).filter(Boolean).slice(0, 8);
    }
    const rows: Row[] = await this.deps.store.findFields(query, ROW_FIELDS, { sort: { by: 'createdAt', dir: -1 }, limit: MAX_ROWS });
    return rows.filter((r) => r.identity !== 'rahasia' || this.deps.access.isSenior(viewer));
  }

  /**
   * A ticket by number for a staff viewer. Staff know ticket numbers exist (they are sequential),
   * so unlike a reporter's look-up, a ticket they may not handle is told apart (`forbidden`).
   */
  async ticket(ticketNo: string, viewer: Viewer): Promise<{ kind: 'ok'; complaint: ComplaintDoc } | { kind: 'forbidden' } | { kind: 'not-found' }> {
    const c = await this.deps.store.byTicketNo(ticketNo);
    if (!c) return { kind: 'not-found' };
    return this.deps.access.canHandle(c, viewer) ? { kind: 'ok', complaint: c } : { kind: 'forbidden' };
  }

  /** Whether `fileId` is a photo of this ticket (its own or on its thread). */
  static hasPhoto(c: ComplaintDoc, fileId: string): boolean {
    const id = String(fileId);
    return c.photos.some((p) => String(p.fileId) === id) || (c.thread ?? []).some((t) => t.photo && String(t.photo.fileId) === id);
  }
}
