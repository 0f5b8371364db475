/**
 * Staff curation of the knowledge base (the console's "Pertanyaan" pages): search entries, edit
 * an entry's answer, source and round, turn an unanswered question into knowledge (once), and
 * list the questions forwarded to staff. Writes go through the same store the chat's `/faq` uses
 * and the matcher's index is rebuilt by {@link FaqService.reload}, so the bot answers with the
 * change at once.
 */
import { normalize } from './normalize.js';
import { FaqEditError, type FaqService } from './service.js';
import type { EntryFieldsPatch, FaqEntryDoc, FaqStore, ForwardedQuestionDoc, UnansweredDoc, UnansweredResolutionDoc } from './store.js';

/** Fields staff may change on an entry (each optional). */
export interface EntryPatch {
  answerId?: string;
  answerEn?: string;
  source?: string;
  appliesToId?: string;
  appliesToEn?: string;
  year?: number;
}

/** An unanswered question with what staff made of it, if anything. */
export interface UnansweredRow extends UnansweredDoc {
  resolution?: UnansweredResolutionDoc;
}

/** How staff answer an unanswered question. */
export type Resolution = { kind: 'entry'; answer: string; source: string } | { kind: 'phrasing'; entryId: string };

export type ResolveResult = { kind: 'resolved'; resolution: UnansweredResolutionDoc } | { kind: 'already'; resolution: UnansweredResolutionDoc | null } | { kind: 'not-found' };

const within = (s: string | undefined, min: number, max: number) => s === undefined || (s.length >= min && s.length <= max);

export class FaqCuration {
  constructor(
    private readonly store: FaqStore,
    private readonly service: FaqService,
    private readonly clock: () => Date,
  ) {}

  /** Entries whose id, title, questions, keywords or answer contain every word of `q` (normalised), by id. */
  async search(q: string, limit = 200): Promise<FaqEntryDoc[]> {
    const docs = await this.store.entries();
    const words = normalize(q).split(' ').filter(Boolean);
    const raw = q.trim().toLowerCase();
    const hits = words.length === 0 && raw === '' ? docs : docs.filter((d) => {
      const hay = [d.id, d.title.id, d.title.en, ...(d.questions?.id ?? []), ...(d.questions?.en ?? []), ...(d.keywords ?? []), d.answer.id, d.answer.en, d.source].join(' ');
      const norm = normalize(hay);
      return d.id.includes(raw) || (words.length > 0 && words.every((w) => norm.includes(w)));
    });
    return hits.slice(0, limit);
  }

  async get(id: string): Promise<FaqEntryDoc | null> {
    return this.store.entry(id);
  }

  /** Applies a staff edit (answer in either language, source, round and year); the bot uses it at once. */
  async editEntry(id: string, patch: EntryPatch, staff: string): Promise<{ before: FaqEntryDoc; after: FaqEntryDoc }> {
    if (!within(patch.answerId, 10, 1000) || !within(patch.answerEn, 10, 1000)) throw new FaqEditError('answer must be 10-1,000 characters');
    if (!within(patch.source, 3, 300)) throw new FaqEditError('source must be 3-300 characters');
    if (!within(patch.appliesToId, 3, 120) || !within(patch.appliesToEn, 3, 120)) throw new FaqEditError('round must be 3-120 characters');
    if (patch.year !== undefined && !(Number.isInteger(patch.year) && patch.year >= 2000 && patch.year <= 2100)) throw new FaqEditError('year must be 2000-2100');
    const before = await this.get(id);
    if (!before) throw new FaqEditError(`no entry ${id}`);
    const fields: EntryFieldsPatch = {};
    if (patch.answerId !== undefined || patch.answerEn !== undefined) fields.answer = { ...(patch.answerId !== undefined ? { id: patch.answerId } : {}), ...(patch.answerEn !== undefined ? { en: patch.answerEn } : {}) };
    if (patch.appliesToId !== undefined || patch.appliesToEn !== undefined) fields.appliesTo = { ...(patch.appliesToId !== undefined ? { id: patch.appliesToId } : {}), ...(patch.appliesToEn !== undefined ? { en: patch.appliesToEn } : {}) };
    if (patch.source !== undefined) fields.source = patch.source;
    if (patch.year !== undefined) fields.year = patch.year;
    await this.store.editEntry(id, fields, staff, this.clock());
    await this.service.reload();
    return { before, after: (await this.get(id))! };
  }

  /** Unanswered questions, most asked first: open ones, then those already turned into knowledge. */
  async unanswered(limit = 200): Promise<UnansweredRow[]> {
    const [rows, resolutions] = await Promise.all([
      this.store.topUnanswered(limit),
      this.store.resolutions(),
    ]);
    const by = new Map(resolutions.map((r) => [r._id, r]));
    const out: UnansweredRow[] = rows.map((r) => {
      const resolution = by.get(r.key);
      return resolution ? { ...r, resolution } : { ...r };
    });
    return [...out.filter((r) => !r.resolution), ...out.filter((r) => r.resolution)];
  }

  /**
   * Turns an unanswered question into a new entry or a new phrasing of an existing one, once.
   * Why a claim first: two staff members may answer the same question at the same moment; on
   * FerretDB only a unique-_id insert is exclusive, so the store's resolution claim (an insert
   * keyed by the question's normalised text) decides who writes. If writing the entry then fails,
   * the claim is released so the question can be answered again.
   */
  async resolve(key: string, how: Resolution, staff: string): Promise<ResolveResult> {
    const q = await this.store.unanswered(key);
    if (!q) return { kind: 'not-found' };
    if (how.kind === 'entry') {
      if (how.answer.length < 10 || how.answer.length > 1000) throw new FaqEditError('answer must be 10-1,000 characters');
      if (how.source.length < 3 || how.source.length > 300) throw new FaqEditError('source must be 3-300 characters');
    } else if (!(await this.get(how.entryId))) throw new FaqEditError(`no entry ${how.entryId}`);
    const claim: UnansweredResolutionDoc = { _id: key, kind: how.kind, ...(how.kind === 'phrasing' ? { entryId: how.entryId } : {}), by: staff, at: this.clock() };
    if (!(await this.store.claimResolution(claim))) return { kind: 'already', resolution: await this.store.resolution(key) };
    try {
      if (how.kind === 'entry') {
        claim.entryId = await this.service.addEntry({ question: q.example, answer: how.answer, source: how.source, staff });
        await this.store.setResolutionEntry(key, claim.entryId);
      } else {
        await this.store.addPhrasing(how.entryId, q.example, staff, this.clock());
        await this.service.reload();
      }
    } catch (err) {
      await this.store.releaseResolution(key);
      throw err;
    }
    return { kind: 'resolved', resolution: claim };
  }

  /** Questions residents asked to forward to staff, newest first, with their answers. */
  async forwarded(status: 'open' | 'answered' | 'all', limit = 200): Promise<ForwardedQuestionDoc[]> {
    return this.store.forwardedList(status, limit);
  }
}
