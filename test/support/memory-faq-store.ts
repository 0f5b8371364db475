/**
 * The FAQ storage port (src/domain/faq/store.ts) in memory, for fast unit tests of the FAQ service.
 * Same contract as src/store/faq.ts; one process only (no concurrency across instances).
 */
import { randomBytes } from 'node:crypto';
import type { FaqEntryDoc, FaqStore, ForwardedQuestionDoc, ForwardRequest, UnansweredDoc } from '../../src/domain/faq/store.js';
import type { FaqEntry, Lang } from '../../src/domain/faq/types.js';

const copy = <T>(x: T): T => structuredClone(x);

export class MemoryFaqStore implements FaqStore {
  readonly entryById = new Map<string, FaqEntryDoc>();
  readonly unanswered = new Map<string, UnansweredDoc>();
  readonly forwardedById = new Map<string, ForwardedQuestionDoc>();

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

  async changedSince(at: Date): Promise<boolean> {
    return [...this.entryById.values()].some((e) => e.updatedAt.getTime() > at.getTime());
  }

  async editAnswer(id: string, lang: Lang, answer: string, staff: string, now: Date): Promise<boolean> {
    const e = this.entryById.get(id);
    if (!e) return false;
    this.entryById.set(id, { ...e, answer: { ...e.answer, [lang]: answer }, editedByStaff: true, editedBy: staff, updatedAt: now });
    return true;
  }

  async addEntry(entry: FaqEntryDoc): Promise<void> {
    if (this.entryById.has(entry.id)) throw new Error(`duplicate entry ${entry.id}`);
    this.entryById.set(entry.id, copy(entry));
  }

  async countUnanswered(key: string, example: string, now: Date): Promise<void> {
    const u = this.unanswered.get(key);
    this.unanswered.set(key, u ? { ...u, count: u.count + 1, lastAskedAt: now } : { key, example, count: 1, lastAskedAt: now });
  }

  async topUnanswered(limit: number): Promise<UnansweredDoc[]> {
    return [...this.unanswered.values()].sort((a, b) => b.count - a.count || b.lastAskedAt.getTime() - a.lastAskedAt.getTime()).slice(0, limit).map(copy);
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

  async answer(id: string, answer: string, staff: string, now: Date): Promise<ForwardedQuestionDoc | null> {
    const f = this.forwardedById.get(id);
    if (!f || f.status !== 'open') return null;
    const done: ForwardedQuestionDoc = { ...f, status: 'answered', answer, answeredBy: staff, answeredAt: now };
    this.forwardedById.set(id, done);
    return copy(done);
  }
}
