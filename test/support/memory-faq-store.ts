/**
 * The FAQ storage port (src/domain/faq/store.ts) in memory, for fast unit tests of the FAQ service
 * and curation. Same contract as src/store/faq.ts; one process only, so "exclusive" is simply a
 * check-then-set within one synchronous step.
 */
import { randomBytes } from 'node:crypto';
import type { AskedDoc, EntryFieldsPatch, FaqEntryDoc, FaqStore, ForwardedQuestionDoc, ForwardRequest, UnansweredDoc, UnansweredResolutionDoc } from '../../src/domain/faq/store.js';
import type { FaqEntry } from '../../src/domain/faq/types.js';

const copy = <T>(x: T): T => structuredClone(x);
const newest = <T extends { createdAt: Date }>(a: T, b: T) => b.createdAt.getTime() - a.createdAt.getTime();

export class MemoryFaqStore implements FaqStore {
  readonly entryById = new Map<string, FaqEntryDoc>();
  readonly unansweredByKey = new Map<string, UnansweredDoc>();
  readonly forwardedById = new Map<string, ForwardedQuestionDoc>();
  readonly askedById = new Map<string, AskedDoc>();
  readonly resolutionByKey = new Map<string, UnansweredResolutionDoc>();

  async init(): Promise<void> {}

  async putContentEntry(e: FaqEntry, now: Date): Promise<'written' | 'unchanged' | 'staff-edit'> {
    const old = this.entryById.get(e.id);
    if (old?.editedByStaff) return 'staff-edit';
    const next: FaqEntryDoc = { ...copy(e), origin: 'content', editedByStaff: false, updatedAt: now };
    if (old && JSON.stringify({ ...old, updatedAt: 0 }) === JSON.stringify({ ...next, updatedAt: 0 })) return 'unchanged';
    this.entryById.set(e.id, next);
    return 'written';
  }

  async entries(): Promise<FaqEntryDoc[]> {
    return [...this.entryById.values()].sort((a, b) => a.id.localeCompare(b.id)).map(copy);
  }

  async entry(id: string): Promise<FaqEntryDoc | null> {
    const e = this.entryById.get(id);
    return e ? copy(e) : null;
  }

  async changedSince(at: Date): Promise<boolean> {
    return [...this.entryById.values()].some((e) => e.updatedAt.getTime() > at.getTime());
  }

  async editEntry(id: string, patch: EntryFieldsPatch, staff: string, now: Date): Promise<boolean> {
    const e = this.entryById.get(id);
    if (!e) return false;
    this.entryById.set(id, {
      ...e,
      answer: { ...e.answer, ...patch.answer },
      appliesTo: { ...e.appliesTo, ...patch.appliesTo },
      ...(patch.source !== undefined ? { source: patch.source } : {}),
      ...(patch.year !== undefined ? { year: patch.year } : {}),
      editedByStaff: true,
      editedBy: staff,
      updatedAt: now,
    });
    return true;
  }

  async addPhrasing(id: string, question: string, staff: string, now: Date): Promise<void> {
    const e = this.entryById.get(id);
    if (!e) return;
    this.entryById.set(id, { ...e, questions: { ...e.questions, id: [...e.questions.id, question] }, editedByStaff: true, editedBy: staff, updatedAt: now });
  }

  async addEntry(entry: FaqEntryDoc): Promise<void> {
    if (this.entryById.has(entry.id)) throw new Error(`duplicate entry ${entry.id}`);
    this.entryById.set(entry.id, copy(entry));
  }

  async countUnanswered(key: string, example: string, now: Date): Promise<void> {
    const u = this.unansweredByKey.get(key);
    this.unansweredByKey.set(key, u ? { ...u, count: u.count + 1, lastAskedAt: now } : { key, example, count: 1, lastAskedAt: now });
  }

  async topUnanswered(limit?: number): Promise<UnansweredDoc[]> {
    const all = [...this.unansweredByKey.values()].sort((a, b) => b.count - a.count || b.lastAskedAt.getTime() - a.lastAskedAt.getTime());
    return (limit === undefined ? all : all.slice(0, limit)).map(copy);
  }

  async unanswered(key: string): Promise<UnansweredDoc | null> {
    const u = this.unansweredByKey.get(key);
    return u ? copy(u) : null;
  }

  async recordAsked(doc: AskedDoc): Promise<boolean> {
    if (this.askedById.has(doc._id)) return false;
    this.askedById.set(doc._id, copy(doc));
    return true;
  }

  async askedBetween(from: Date, to: Date): Promise<Array<Pick<AskedDoc, 'at' | 'outcome'>>> {
    return [...this.askedById.values()].filter((a) => a.at >= from && a.at < to).map(({ at, outcome }) => ({ at, outcome }));
  }

  async pruneAskedBefore(before: Date): Promise<number> {
    const old = [...this.askedById.values()].filter((a) => a.at < before);
    for (const a of old) this.askedById.delete(a._id);
    return old.length;
  }

  async claimResolution(claim: UnansweredResolutionDoc): Promise<boolean> {
    if (this.resolutionByKey.has(claim._id)) return false;
    this.resolutionByKey.set(claim._id, copy(claim));
    return true;
  }

  async setResolutionEntry(key: string, entryId: string): Promise<void> {
    const r = this.resolutionByKey.get(key);
    if (r) this.resolutionByKey.set(key, { ...r, entryId });
  }

  async releaseResolution(key: string): Promise<void> {
    this.resolutionByKey.delete(key);
  }

  async resolution(key: string): Promise<UnansweredResolutionDoc | null> {
    const r = this.resolutionByKey.get(key);
    return r ? copy(r) : null;
  }

  async resolutions(): Promise<UnansweredResolutionDoc[]> {
    return [...this.resolutionByKey.values()].map(copy);
  }

  async forward(q: ForwardRequest, now: Date): Promise<ForwardedQuestionDoc> {
    const existing = [...this.forwardedById.values()].find((f) => f.requestKey === q.requestKey);
    if (existing) return copy(existing);
    const doc: ForwardedQuestionDoc = { ...q, _id: randomBytes(12).toString('hex'), status: 'open', createdAt: now };
    this.forwardedById.set(doc._id, doc);
    return copy(doc);
  }

  async forwarded(id: string): Promise<ForwardedQuestionDoc | null> {
    const f = this.forwardedById.get(id);
    return f ? copy(f) : null;
  }

  async forwardedList(status: 'open' | 'answered' | 'all', limit: number): Promise<ForwardedQuestionDoc[]> {
    return [...this.forwardedById.values()].filter((f) => status === 'all' || f.status === status).sort(newest).slice(0, limit).map(copy);
  }

  async forwardedCounts(): Promise<{ open: number; answered: number }> {
    const all = [...this.forwardedById.values()];
    return { open: all.filter((f) => f.status === 'open').length, answered: all.filter((f) => f.status === 'answered').length };
  }

  async answer(id: string, answer: string, staff: string, now: Date): Promise<ForwardedQuestionDoc | null> {
    const f = this.forwardedById.get(id);
    if (!f || f.status !== 'open') return null;
    const done: ForwardedQuestionDoc = { ...f, status: 'answered', answer, answeredBy: staff, answeredAt: now };
    this.forwardedById.set(id, done);
    return copy(done);
  }
}
