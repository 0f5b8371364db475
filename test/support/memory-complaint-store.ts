/**
 * The complaints' storage ports (src/domain/complaints/store.ts, media-store.ts) in memory, and an
 * in-process ticket lock, for fast unit tests of the complaint services. Same contracts as
 * src/store/complaints.ts and src/store/complaint-media.ts; one process only, so "exclusive" is a
 * check-then-set within one synchronous step.
 */
import { randomBytes } from 'node:crypto';
import type { ComplaintMediaStore, PhotoMeta } from '../../src/domain/complaints/media-store.js';
import type { ComplaintChange, ComplaintStore, EscalationField, FindOptions, NewComplaint, ReporterRef, TicketQuery } from '../../src/domain/complaints/store.js';
import { formatTicket } from '../../src/domain/complaints/text.js';
import type { ComplaintDoc } from '../../src/domain/complaints/types.js';

const copy = <T>(x: T): T => structuredClone(x);
const newId = (): string => randomBytes(12).toString('hex');
const time = (d: Date | null | undefined): number => (d ? new Date(d).getTime() : NaN);

/** Whether ticket `c` matches `q` (the same meaning as the MongoDB filter of src/store/complaints.ts). */
export function matches(c: ComplaintDoc, q: TicketQuery): boolean {
  if (q.reporter && (c.reporter.channel !== q.reporter.channel || c.reporter.userKey !== q.reporter.userKey)) return false;
  if (q.status && ('in' in q.status ? !q.status.in.includes(c.status) : q.status.notIn.includes(c.status))) return false;
  if (q.identityNot && c.identity === q.identityNot) return false;
  if (q.createdFrom && !(time(c.createdAt) >= time(q.createdFrom))) return false;
  if (q.createdBefore && !(time(c.createdAt) < time(q.createdBefore))) return false;
  if (q.createdAtOrBefore && !(time(c.createdAt) <= time(q.createdAtOrBefore))) return false;
  if (q.updatedFrom && !(time(c.updatedAt) >= time(q.updatedFrom))) return false;
  if (q.textHash !== undefined && c.textHash !== q.textHash) return false;
  if (q.ticketNo !== undefined && c.ticketNo !== String(q.ticketNo)) return false;
  if (q.staffNotAlerted && c.staffAlertedAt != null) return false;
  if (q.due && !(time(c[q.due.target]) <= time(q.due.atOrBefore))) return false;
  if (q.notEscalated && c[q.notEscalated] != null) return false;
  if (q.words?.length) {
    const hay = [c.description, c.place.address ?? '', c.place.name ?? ''].map((s) => s.toLowerCase());
    if (!q.words.every((w) => hay.some((h) => h.includes(w.toLowerCase())))) return false;
  }
  return true;
}

export class MemoryComplaintStore implements ComplaintStore {
  readonly byIdMap = new Map<string, ComplaintDoc>();
  private readonly counters = new Map<number, number>();
  private readonly numbers = new Set<string>();

  async init(): Promise<void> {}

  async nextTicketNo(year: number, _now: Date): Promise<string> {
    for (;;) {
      const seq = (this.counters.get(year) ?? 0) + 1;
      this.counters.set(year, seq);
      const no = formatTicket(year, seq);
      if (!this.numbers.has(no)) {
        this.numbers.add(no);
        return no;
      }
    }
  }

  async insert(doc: NewComplaint): Promise<ComplaintDoc> {
    const same = [...this.byIdMap.values()].find((c) => c.submitKey === doc.submitKey);
    if (same) return copy(same);
    if ([...this.byIdMap.values()].some((c) => c.ticketNo === doc.ticketNo)) throw new Error(`duplicate ticket number ${doc.ticketNo}`);
    const stored: ComplaintDoc = { ...copy(doc), _id: newId() };
    this.byIdMap.set(stored._id, stored);
    return copy(stored);
  }

  async byId(id: string): Promise<ComplaintDoc | null> {
    const c = this.byIdMap.get(id);
    return c ? copy(c) : null;
  }

  async byTicketNo(ticketNo: string): Promise<ComplaintDoc | null> {
    const c = [...this.byIdMap.values()].find((x) => x.ticketNo === String(ticketNo));
    return c ? copy(c) : null;
  }

  async bySubmitKey(key: string): Promise<ComplaintDoc | null> {
    const c = [...this.byIdMap.values()].find((x) => x.submitKey === key);
    return c ? copy(c) : null;
  }

  async byIds(ids: readonly string[]): Promise<ComplaintDoc[]> {
    return ids.flatMap((id) => (this.byIdMap.has(id) ? [copy(this.byIdMap.get(id)!)] : []));
  }

  async find(q: TicketQuery, o: FindOptions = {}): Promise<ComplaintDoc[]> {
    let rows = [...this.byIdMap.values()].filter((c) => matches(c, q));
    if (o.sort) {
      const { by, dir } = o.sort;
      rows = rows.sort((a, b) => dir * (time(a[by]) - time(b[by])));
    }
    return (o.limit !== undefined ? rows.slice(0, o.limit) : rows).map(copy);
  }

  async findFields<K extends keyof ComplaintDoc>(q: TicketQuery, _fields: readonly K[], o?: FindOptions): Promise<Array<Pick<ComplaintDoc, K | '_id'>>> {
    return this.find(q, o);
  }

  async count(q: TicketQuery): Promise<number> {
    return [...this.byIdMap.values()].filter((c) => matches(c, q)).length;
  }

  async update(id: string, change: ComplaintChange): Promise<ComplaintDoc | null> {
    const c = this.byIdMap.get(id);
    if (!c) return null;
    const next: ComplaintDoc = { ...c, ...copy(change.set ?? {}) };
    for (const f of change.unset ?? []) delete next[f];
    if (change.pushHistory) next.history = [...next.history, copy(change.pushHistory)];
    if (change.pushThread) next.thread = [...next.thread, copy(change.pushThread)];
    this.byIdMap.set(id, next);
    return copy(next);
  }

  async setRatingIfNone(id: string, rating: NonNullable<ComplaintDoc['rating']>, now: Date): Promise<ComplaintDoc | null> {
    const c = this.byIdMap.get(id);
    if (!c || c.rating) return null;
    return this.update(id, { set: { rating, updatedAt: now } });
  }

  async addRatingComment(ticketNo: string, reporter: ReporterRef, comment: string): Promise<boolean> {
    const c = [...this.byIdMap.values()].find((x) => x.ticketNo === String(ticketNo) && x.reporter.channel === reporter.channel && x.reporter.userKey === reporter.userKey);
    if (!c?.rating || c.rating.comment !== undefined) return false;
    this.byIdMap.set(c._id, { ...c, rating: { ...c.rating, comment } });
    return true;
  }

  async markStaffAlerted(id: string, at: Date): Promise<void> {
    await this.update(id, { set: { staffAlertedAt: at } });
  }

  async markEscalated(id: string, field: EscalationField, at: Date): Promise<void> {
    const c = this.byIdMap.get(id);
    if (c && c[field] == null) await this.update(id, { set: { [field]: at } });
  }
}

/** Photos in memory. */
export class MemoryComplaintMediaStore implements ComplaintMediaStore {
  readonly files = new Map<string, { data: Buffer; mimeType: string; meta: PhotoMeta }>();

  async save(data: Buffer, mimeType: string, meta: Omit<PhotoMeta, 'attached'>): Promise<{ fileId: string; size: number }> {
    const existing = [...this.files].find(([, f]) => f.meta.key === meta.key);
    if (existing) return { fileId: existing[0], size: existing[1].data.length };
    const fileId = newId();
    this.files.set(fileId, { data: Buffer.from(data), mimeType, meta: { ...meta, attached: false } });
    return { fileId, size: data.length };
  }

  async read(fileId: string): Promise<Buffer> {
    const f = this.files.get(fileId);
    if (!f) throw new Error(`no photo ${fileId}`);
    return Buffer.from(f.data);
  }

  async attach(fileIds: readonly string[]): Promise<void> {
    for (const id of fileIds) {
      const f = this.files.get(id);
      if (f) f.meta.attached = true;
    }
  }

  async pruneUnattached(cutoff: Date): Promise<number> {
    const old = [...this.files].filter(([, f]) => !f.meta.attached && f.meta.uploadedAt.getTime() < cutoff.getTime()).slice(0, 500);
    for (const [id] of old) this.files.delete(id);
    return old.length;
  }
}

