/**
 * The reminder ledger on MongoDB / FerretDB (the port and the why of its design:
 * domain/forums/reminder-ledger.ts). Three small collections:
 *
 * - `forum_reminder_claims` (`_id` = `<reminderId>:g<generation>:a<attempt>`): the insert decides
 *   which instance delivers that attempt (a unique `_id` lets exactly one insert win, also on
 *   FerretDB whose updates are no compare-and-set). It carries a lease (`until`).
 * - `forum_reminder_results` (same `_id`): what the holder did with it.
 * - `forum_reminder_folds` (`_id` = reminder id): a journal of folded documents, written before a
 *   batch is deleted from `forum_reminders` and re-inserted, so a crash in between loses nothing
 *   (`replayJournal` on restart).
 */
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { DocId } from './ids.js';
import { driverCollection, insertIgnoringDuplicates } from '../db/driver.js';
import { retryTransient } from '../db/retry.js';
import type { ClaimDoc, Fold, OpenAttempts, ReminderLedger, ResultDoc } from '../domain/forums/reminder-ledger.js';
import type { ReminderDoc } from '../domain/forums/reminder-model.js';
import type { ReminderModel } from './reminders.js';
import { foldedState } from '../domain/forums/reminder-state.js';

interface JournalDoc {
  _id: DocId;
  doc: Record<string, unknown>;
  /** The fold batch that wrote it (dropped by this tag). */
  batch?: string;
}

const claimSchema = new Schema<ClaimDoc>(
  { _id: String, reminderId: { type: Schema.Types.ObjectId, required: true }, generation: Number, attempt: Number, owner: String, until: Date, chunk: String },
  { collection: 'forum_reminder_claims', versionKey: false },
);
const resultSchema = new Schema<ResultDoc>(
  { _id: String, reminderId: { type: Schema.Types.ObjectId, required: true }, status: String, outcome: String, lastError: Schema.Types.Mixed, nextAttemptAt: Date, keys: { type: [String], default: undefined }, chunk: String },
  { collection: 'forum_reminder_results', versionKey: false },
);
const journalSchema = new Schema<JournalDoc>({ _id: Schema.Types.ObjectId, doc: Schema.Types.Mixed, batch: String }, { collection: 'forum_reminder_folds', versionKey: false, minimize: false });

export type ClaimModel = Model<ClaimDoc>;
export type ResultModel = Model<ResultDoc>;
type JournalModel = Model<JournalDoc>;

/** Reminders rewritten per fold statement (each statement reads the whole collection once). */
const FOLD_BATCH = 5000;

export class MongoReminderLedger implements ReminderLedger {
  readonly claims: ClaimModel;
  readonly results: ResultModel;
  private readonly journal: JournalModel;

  constructor(conn: Connection, private readonly reminders: ReminderModel) {
    this.claims = (conn.models['ForumReminderClaim'] as ClaimModel | undefined) ?? conn.model<ClaimDoc>('ForumReminderClaim', claimSchema);
    this.results = (conn.models['ForumReminderResult'] as ResultModel | undefined) ?? conn.model<ResultDoc>('ForumReminderResult', resultSchema);
    this.journal = (conn.models['ForumReminderFold'] as JournalModel | undefined) ?? conn.model<JournalDoc>('ForumReminderFold', journalSchema);
  }

  get models(): Array<ClaimModel | ResultModel | JournalModel> {
    return [this.claims, this.results, this.journal];
  }

  /** Every open claim and result (small collections: only attempts not folded yet). One scan each. */
  async open(): Promise<OpenAttempts> {
    const [claims, results] = await Promise.all([this.claims.find({}).lean<ClaimDoc[]>(), this.results.find({}).lean<ResultDoc[]>()]);
    return { claims: new Map(claims.map((c) => [c._id, c])), results: new Map(results.map((r) => [r._id, r])) };
  }

  /**
   * Inserts claims (one unordered insert); returns the ones this call won. `expired` claims (their
   * holder died before recording a result) are deleted first if still exactly as read, then
   * contended for again by insert, like `Leases.acquire`.
   */
  async claim(wanted: ClaimDoc[], expired: ClaimDoc[]): Promise<ClaimDoc[]> {
    for (const c of expired) await retryTransient(() => this.claims.deleteOne({ _id: c._id, owner: c.owner, until: c.until }));
    if (wanted.length === 0) return [];
    const lost = await insertIgnoringDuplicates(() => driverCollection<ClaimDoc>(this.claims).insertMany(wanted, { ordered: false }));
    return wanted.filter((_, i) => !lost.has(i));
  }

  /** Records what happened to claimed attempts (one insert; a result already there is kept). */
  async record(results: ResultDoc[]): Promise<void> {
    if (results.length > 0) await insertIgnoringDuplicates(() => driverCollection<ResultDoc>(this.results).insertMany(results, { ordered: false }));
  }

  /**
   * Applies `folds` to `forum_reminders` in batches: read the batch, journal the new documents,
   * delete the old ones, insert the new ones, then drop the journal; at the end drop the folded
   * attempts' claims and results (`open`: every open claim and result, as `open()` read them).
   * Only a reminder still at the claimed generation and attempt is changed (a re-plan meanwhile
   * is a new reminder). Not atomic per se: a planner upsert between the delete and the insert
   * wins (its insert makes ours a duplicate), which is right, as it is the newer plan. A crash
   * before the claims are dropped folds the same outcomes again next time, which changes nothing.
   */
  async fold(folds: Fold[], now: Date, open: OpenAttempts): Promise<number> {
    let changed = 0;
    for (let i = 0; i < folds.length; i += FOLD_BATCH) {
      const batch = folds.slice(i, i + FOLD_BATCH);
      const byId = new Map(batch.map((f) => [String(f.claim.reminderId), f]));
      // Read by `_id` range, not by a list of thousands (FerretDB would test each document against
      // each listed value); the few documents in the range not folded are skipped here.
      const ids = batch.map((f) => f.claim.reminderId).sort((a, b) => (String(a) < String(b) ? -1 : 1));
      const docs = await retryTransient(() => this.reminders.find({ _id: { $gte: ids[0], $lte: ids[ids.length - 1] } }).lean<ReminderDoc[]>());
      const next: ReminderDoc[] = [];
      for (const doc of docs) {
        const f = byId.get(String(doc._id));
        if (!f) continue;
        if (doc.generation !== f.claim.generation || (doc.tries ?? 0) + 1 !== f.claim.attempt) continue;
        next.push({ ...doc, ...foldedState(doc, f.set), updatedAt: now });
      }
      if (next.length > 0) {
        const changedIds = next.map((d) => d._id);
        const tag = randomUUID();
        await insertIgnoringDuplicates(() => driverCollection<JournalDoc>(this.journal).insertMany(next.map((d) => ({ _id: d._id, doc: { ...d }, batch: tag })), { ordered: false }));
        await retryTransient(() => this.reminders.deleteMany({ _id: { $in: changedIds } }));
        await insertIgnoringDuplicates(() => driverCollection<ReminderDoc>(this.reminders).insertMany(next, { ordered: false }));
        await retryTransient(() => this.journal.deleteMany({ batch: tag }));
        changed += next.length;
      }
    }
    const folded = folds.map((f) => f.claim._id);
    await this.dropAttempts(this.claims, folded, open.claims);
    await this.dropAttempts(this.results, folded, open.results);
    return changed;
  }

  /**
   * Deletes the documents of `ids` from `model`. Why not simply by `_id`: FerretDB tests every
   * document against every listed value, so dropping 10,000 attempts by `_id` costs 10,000 ×
   * 10,000 comparisons. A claim batch (`chunk`) all of whose open attempts are folded is deleted
   * by its tag instead (a hundred tags for 10,000 attempts); only the rest goes by `_id`.
   */
  private async dropAttempts(model: ClaimModel | ResultModel, ids: string[], open: Map<string, Pick<ClaimDoc, '_id' | 'chunk'>>): Promise<void> {
    const openPerChunk = new Map<string, number>();
    for (const d of open.values()) if (d.chunk) openPerChunk.set(d.chunk, (openPerChunk.get(d.chunk) ?? 0) + 1);
    const foldedPerChunk = new Map<string, number>();
    for (const id of ids) {
      const chunk = open.get(id)?.chunk;
      if (chunk) foldedPerChunk.set(chunk, (foldedPerChunk.get(chunk) ?? 0) + 1);
    }
    const whole = new Set([...foldedPerChunk].filter(([c, n]) => openPerChunk.get(c) === n).map(([c]) => c));
    const single = ids.filter((id) => !whole.has(open.get(id)?.chunk ?? ''));
    // `model` is one of two models with the same `_id` and `chunk` fields; the union confuses overloads.
    const deleteMany = (filter: Record<string, unknown>) => (model as ClaimModel).deleteMany(filter);
    if (whole.size > 0) await retryTransient(() => deleteMany({ chunk: { $in: [...whole] } }));
    for (let i = 0; i < single.length; i += 1000) {
      const part = single.slice(i, i + 1000);
      await retryTransient(() => deleteMany({ _id: { $in: part } }));
    }
  }

  /** After a crash mid-fold: puts journaled documents back (those already back are duplicates). */
  async replayJournal(): Promise<number> {
    const entries = await this.journal.find({}).lean<JournalDoc[]>();
    if (entries.length === 0) return 0;
    await insertIgnoringDuplicates(() => driverCollection<Record<string, unknown>>(this.reminders).insertMany(entries.map((e) => e.doc), { ordered: false }));
    await retryTransient(() => this.journal.deleteMany({ _id: { $in: entries.map((e) => e._id) } }));
    return entries.length;
  }
}
