/**
 * The applicants' knowledge base: seeded from reviewed files, editable by staff, matched in
 * memory, with unanswered questions counted and forwarded questions tracked to their answer.
 */
import type { Logger } from 'pino';
import { maskText } from '../../logging/mask.js';
import { buildFaqIndex, type FaqIndex, type FaqMatch, type MatchContext } from './matcher.js';
import { normalize } from './normalize.js';
import type { AskedDoc, FaqEntryDoc, FaqStore, ForwardedQuestionDoc, ForwardRequest, UnansweredDoc } from './store.js';
import type { FaqEntry, Lang } from './types.js';


/** Days a typed question stays counted for the console's dashboard. */
export const ASKED_RETENTION_DAYS = 400;
/** The forwarded question does not exist or is already answered. */
export class ForwardedQuestionNotFoundError extends Error {
  override name = 'ForwardedQuestionNotFoundError';
}

/** A staff edit that would break an entry (too long, empty). */
export class FaqEditError extends Error {
  override name = 'FaqEditError';
}

function toEntry(d: FaqEntryDoc): FaqEntry {
  return {
    id: d.id,
    topic: d.topic,
    track: d.track,
    title: { id: d.title.id, en: d.title.en },
    questions: { id: [...(d.questions?.id ?? [])], en: [...(d.questions?.en ?? [])] },
    ...(d.keywords?.length ? { keywords: [...d.keywords] } : {}),
    answer: { id: d.answer.id, en: d.answer.en },
    source: d.source,
    ...(d.sourceUrls?.length ? { sourceUrls: [...d.sourceUrls] } : {}),
    appliesTo: { id: d.appliesTo.id, en: d.appliesTo.en },
    year: d.year,
  };
}

export class FaqService {
  private index: FaqIndex | undefined;
  /** Ids of the entries staff wrote or curated (new phrasings): the intent classifier was never trained on those words. */
  private staffIds = new Set<string>();
  private indexedAt = new Date(0);

  constructor(
    private readonly store: FaqStore,
    private readonly logger: Logger,
    private readonly clock: () => Date,
  ) {}

  /**
   * Upserts the reviewed entries by their stable id. Entries staff have edited are left alone,
   * so their edits survive a re-seed; entries staff added are never touched.
   */
  async seed(entries: FaqEntry[]): Promise<{ upserted: number; keptStaffEdits: number }> {
    let upserted = 0;
    let kept = 0;
    const now = this.clock();
    for (const e of entries) {
      const r = await this.store.putContentEntry(e, now);
      if (r === 'written') upserted++;
      else if (r === 'staff-edit') kept++;
    }
    return { upserted, keptStaffEdits: kept };
  }

  /** (Re)builds the in-memory index from the database. */
  async reload(): Promise<number> {
    const docs = await this.store.entries();
    const started = performance.now();
    this.index = buildFaqIndex(docs.map(toEntry));
    this.staffIds = new Set(docs.filter((d) => d.origin === 'staff' || d.editedByStaff).map((d) => d.id));
    this.indexedAt = this.clock();
    this.logger.info({ entries: docs.length, buildMs: Math.round(performance.now() - started) }, 'faq index built');
    return docs.length;
  }

  /** Rebuilds when another instance (or a staff edit elsewhere) changed an entry. */
  async refreshIfChanged(): Promise<boolean> {
    if (!(await this.store.changedSince(this.indexedAt))) return false;
    await this.reload();
    return true;
  }

  /** The index as last built (undefined before `reload()`); the understanding step reads it too. */
  currentIndex(): FaqIndex | undefined {
    return this.index;
  }

  private get idx(): FaqIndex {
    if (!this.index) throw new Error('FAQ index used before reload()');
    return this.index;
  }

  match(text: string, ctx: MatchContext = {}): FaqMatch {
    return this.idx.match(text, ctx);
  }

  /** Whether staff wrote or curated an entry (console or `/faq`), so its phrasings may be unknown to the classifier. */
  isStaffEntry(id: string): boolean {
    return this.staffIds.has(id);
  }

  entry(id: string): FaqEntry | undefined {
    return this.idx.get(id);
  }

  /** Counts a question the bot could not answer (by its normalised form). */
  async recordUnanswered(text: string): Promise<void> {
    const key = normalize(text).slice(0, 200) || text.toLowerCase().slice(0, 200);
    await this.store.countUnanswered(key, maskText(text).slice(0, 500), this.clock());
  }

  /**
   * Counts one question typed to the FAQ and what became of it. Keyed by the inbound message, so
   * a redelivered message is counted once (the store records a key once; a repeat is ignored).
   */
  async recordAsked(key: string, outcome: AskedDoc['outcome']): Promise<void> {
    await this.store.recordAsked({ _id: key, at: this.clock(), outcome });
  }

  /**
   * Forgets question counts older than {@link ASKED_RETENTION_DAYS} (the dashboard shows at most
   * half a year); returns how many went.
   */
  async pruneAsked(now: Date): Promise<number> {
    const before = new Date(now.getTime() - ASKED_RETENTION_DAYS * 86_400_000);
    return this.store.pruneAskedBefore(before);
  }

  async topUnanswered(limit = 10): Promise<UnansweredDoc[]> {
    return this.store.topUnanswered(limit);
  }

  /** Stores a question for staff. Idempotent per `requestKey` (the inbound message). */
  async forward(q: ForwardRequest): Promise<ForwardedQuestionDoc> {
    return this.store.forward(q, this.clock());
  }

  async forwarded(id: string): Promise<ForwardedQuestionDoc | null> {
    return this.store.forwarded(id);
  }

  /** Records the staff answer; only an open question can be answered (once). */
  async answer(id: string, answer: string, staff: string): Promise<ForwardedQuestionDoc> {
    const doc = await this.store.answer(id, answer, staff, this.clock());
    if (!doc) throw new ForwardedQuestionNotFoundError(id);
    return doc;
  }

  /** Staff edit of an entry's answer in one language; survives restarts and re-seeds. */
  async editAnswer(id: string, lang: Lang, answer: string, staff: string): Promise<void> {
    if (answer.length < 10 || answer.length > 1000) throw new FaqEditError('answer must be 10-1,000 characters');
    if (!(await this.store.editEntry(id, { answer: { [lang]: answer } }, staff, this.clock()))) throw new FaqEditError(`no entry ${id}`);
    await this.reload();
  }

  /** Staff adds an entry (Indonesian and English text may be the same when no translation is at hand). */
  async addEntry(e: { question: string; answer: string; source: string; staff: string }): Promise<string> {
    if (e.answer.length < 10 || e.answer.length > 1000) throw new FaqEditError('answer must be 10-1,000 characters');
    const slug = normalize(e.question).split(' ').slice(0, 5).join('-').replace(/[^a-z0-9-]/g, '') || 'entri';
    const id = `staf-${slug}-${this.clock().getTime().toString(36)}`.slice(0, 60);
    const year = Number(this.clock().toISOString().slice(0, 4));
    await this.store.addEntry({
      id,
      topic: `staf-${slug}`,
      track: 'umum',
      title: { id: e.question.slice(0, 24), en: e.question.slice(0, 24) },
      questions: { id: [e.question], en: [] },
      answer: { id: e.answer, en: e.answer },
      source: e.source,
      appliesTo: { id: `informasi ${year}`, en: `information for ${year}` },
      year,
      origin: 'staff',
      editedByStaff: true,
      editedBy: e.staff,
      updatedAt: this.clock(),
    });
    await this.reload();
    return id;
  }
}
