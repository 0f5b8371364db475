/**
 * The complaints' store on MongoDB / FerretDB (collections `complaints`, `complaint_counters`,
 * `complaint_ticket_numbers`), implementing the port of src/domain/complaints/store.ts. The only
 * code that knows the complaint models; ids cross the port as strings and are ObjectIds here.
 *
 * FerretDB's limits and how they are met: a conditional update is not exclusive there (updates are
 * read-then-write), so what must happen once is decided by a unique insert: a ticket number by its
 * claim in `complaint_ticket_numbers` (complaint-ticket-numbers.ts), a submission by the unique
 * `submitKey` index. Every other decision about a ticket is made under the ticket's keyed lock by
 * the domain; `update` here is a plain write. Queries are plain finds with projections (no
 * $lookup, no $facet): every read walks the collection on FerretDB anyway.
 */
import { Types, type Connection } from 'mongoose';
import { isDuplicateKey } from '../core/errors.js';
import type { ComplaintChange, ComplaintFields, ComplaintStore, EscalationField, FindOptions, NewComplaint, ReporterRef, TicketQuery } from '../domain/complaints/store.js';
import type { ComplaintDoc, StoredPhoto, ThreadEntry } from '../domain/complaints/types.js';
import { complaintModel, counterModel, ticketClaimModel, type ComplaintModel, type ComplaintRow, type CounterModel, type PhotoRow, type TicketClaimModel, type ThreadRow } from './complaint-models.js';
import { nextTicketNo } from './complaint-ticket-numbers.js';

const HEX_ID = /^[0-9a-f]{24}$/i;
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const photoRow = (p: StoredPhoto): PhotoRow => ({ ...p, fileId: new Types.ObjectId(p.fileId) });
const threadRow = (t: ThreadEntry): ThreadRow => {
  const { photo, ...rest } = t;
  return photo ? { ...rest, photo: photoRow(photo) } : rest;
};

/** A stored ticket (or a projection of one) as the domain sees it: string ids. */
function toDoc<T extends { _id: Types.ObjectId; photos?: PhotoRow[]; thread?: ThreadRow[] }>(r: T): Omit<T, '_id' | 'photos' | 'thread'> & { _id: string; photos?: StoredPhoto[]; thread?: ThreadEntry[] } {
  const { _id, photos, thread, ...rest } = r;
  return {
    ...rest,
    _id: String(_id),
    ...(photos ? { photos: photos.map((p) => ({ ...p, fileId: String(p.fileId) })) } : {}),
    ...(thread ? { thread: thread.map((t) => (t.photo ? { ...t, photo: { ...t.photo, fileId: String(t.photo.fileId) } } : t)) as ThreadEntry[] } : {}),
  };
}
const full = (r: ComplaintRow): ComplaintDoc => toDoc(r) as ComplaintDoc;

/** Fields to write, with photo ids as ObjectIds. */
function rowFields(f: ComplaintFields): Record<string, unknown> {
  const { photos, thread, ...rest } = f;
  return { ...rest, ...(photos ? { photos: photos.map(photoRow) } : {}), ...(thread ? { thread: thread.map(threadRow) } : {}) };
}

/** The MongoDB filter of a query. */
function filterOf(q: TicketQuery): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (q.reporter) {
    f['reporter.channel'] = q.reporter.channel;
    f['reporter.userKey'] = q.reporter.userKey;
  }
  if (q.status) f['status'] = 'in' in q.status ? { $in: [...q.status.in] } : { $nin: [...q.status.notIn] };
  if (q.identityNot) f['identity'] = { $ne: q.identityNot };
  if (q.createdFrom || q.createdBefore || q.createdAtOrBefore) {
    f['createdAt'] = { ...(q.createdFrom ? { $gte: q.createdFrom } : {}), ...(q.createdBefore ? { $lt: q.createdBefore } : {}), ...(q.createdAtOrBefore ? { $lte: q.createdAtOrBefore } : {}) };
  }
  if (q.updatedFrom) f['updatedAt'] = { $gte: q.updatedFrom };
  if (q.textHash) f['textHash'] = q.textHash;
  if (q.ticketNo !== undefined) f['ticketNo'] = String(q.ticketNo);
  if (q.staffNotAlerted) f['staffAlertedAt'] = null;
  if (q.due) f[q.due.target] = { $lte: q.due.atOrBefore };
  if (q.notEscalated) f[q.notEscalated] = null;
  if (q.words?.length) {
    f['$and'] = q.words.map((w) => {
      const re = { $regex: escapeRegex(w), $options: 'i' };
      return { $or: [{ description: re }, { 'place.address': re }, { 'place.name': re }] };
    });
  }
  return f;
}

export class MongoComplaintStore implements ComplaintStore {
  private readonly complaints: ComplaintModel;
  private readonly counters: CounterModel;
  private readonly claims: TicketClaimModel;

  constructor(conn: Connection) {
    this.complaints = complaintModel(conn);
    this.counters = counterModel(conn);
    this.claims = ticketClaimModel(conn);
  }

  async init(): Promise<void> {
    await this.complaints.createIndexes();
    await this.counters.createIndexes();
    await this.claims.createIndexes();
  }

  nextTicketNo(year: number, now: Date): Promise<string> {
    return nextTicketNo({ counters: this.counters, claims: this.claims }, year, now);
  }

  async insert(doc: NewComplaint): Promise<ComplaintDoc> {
    try {
      const created = await this.complaints.create({ ...doc, photos: doc.photos.map(photoRow), thread: doc.thread.map(threadRow) });
      return full(created.toObject<ComplaintRow>());
    } catch (err) {
      // A retried message raced the first one: the unique `submitKey` let one insert win.
      if (!isDuplicateKey(err)) throw err;
      const raced = await this.bySubmitKey(doc.submitKey);
      if (!raced) throw err;
      return raced;
    }
  }

  async byId(id: string): Promise<ComplaintDoc | null> {
    if (!HEX_ID.test(id)) return null;
    const r = await this.complaints.findById(id).lean<ComplaintRow>();
    return r ? full(r) : null;
  }

  async byTicketNo(ticketNo: string): Promise<ComplaintDoc | null> {
    const r = await this.complaints.findOne({ ticketNo: String(ticketNo) }).lean<ComplaintRow>();
    return r ? full(r) : null;
  }

  async bySubmitKey(key: string): Promise<ComplaintDoc | null> {
    const r = await this.complaints.findOne({ submitKey: key }).lean<ComplaintRow>();
    return r ? full(r) : null;
  }

  async byIds(ids: readonly string[]): Promise<ComplaintDoc[]> {
    const valid = ids.filter((id) => HEX_ID.test(id));
    if (valid.length === 0) return [];
    const rows = await this.complaints.find({ _id: { $in: valid.map((id) => new Types.ObjectId(id)) } }).lean<ComplaintRow[]>();
    return rows.map(full);
  }

  async find(q: TicketQuery, o: FindOptions = {}): Promise<ComplaintDoc[]> {
    let cursor = this.complaints.find(filterOf(q));
    if (o.sort) cursor = cursor.sort({ [o.sort.by]: o.sort.dir });
    if (o.limit !== undefined) cursor = cursor.limit(o.limit);
    return (await cursor.lean<ComplaintRow[]>()).map(full);
  }

  async findFields<K extends keyof ComplaintDoc>(q: TicketQuery, fields: readonly K[], o: FindOptions = {}): Promise<Array<Pick<ComplaintDoc, K | '_id'>>> {
    let cursor = this.complaints.find(filterOf(q), Object.fromEntries(fields.map((f) => [f, 1])));
    if (o.sort) cursor = cursor.sort({ [o.sort.by]: o.sort.dir });
    if (o.limit !== undefined) cursor = cursor.limit(o.limit);
    const rows = await cursor.lean<Array<{ _id: Types.ObjectId; photos?: PhotoRow[]; thread?: ThreadRow[] }>>();
    return rows.map((r) => toDoc(r) as unknown as Pick<ComplaintDoc, K | '_id'>);
  }

  count(q: TicketQuery): Promise<number> {
    return this.complaints.countDocuments(filterOf(q)).exec();
  }

  async update(id: string, change: ComplaintChange): Promise<ComplaintDoc | null> {
    if (!HEX_ID.test(id)) return null;
    const update: Record<string, unknown> = {};
    if (change.set && Object.keys(change.set).length) update['$set'] = rowFields(change.set);
    if (change.unset?.length) update['$unset'] = Object.fromEntries(change.unset.map((f) => [f, 1]));
    const push: Record<string, unknown> = {};
    if (change.pushHistory) push['history'] = change.pushHistory;
    if (change.pushThread) push['thread'] = threadRow(change.pushThread);
    if (Object.keys(push).length) update['$push'] = push;
    const r = await this.complaints.findOneAndUpdate({ _id: id }, update, { new: true }).lean<ComplaintRow>();
    return r ? full(r) : null;
  }

  async setRatingIfNone(id: string, rating: NonNullable<ComplaintDoc['rating']>, now: Date): Promise<ComplaintDoc | null> {
    if (!HEX_ID.test(id)) return null;
    const r = await this.complaints.findOneAndUpdate({ _id: id, rating: { $exists: false } }, { $set: { rating, updatedAt: now } }, { new: true }).lean<ComplaintRow>();
    return r ? full(r) : null;
  }

  async addRatingComment(ticketNo: string, reporter: ReporterRef, comment: string): Promise<boolean> {
    const res = await this.complaints.updateOne(
      {
        ticketNo: String(ticketNo),
        'reporter.channel': reporter.channel,
        'reporter.userKey': reporter.userKey,
        rating: { $exists: true },
        'rating.comment': { $exists: false },
      },
      { $set: { 'rating.comment': comment } },
    );
    return res.modifiedCount === 1;
  }

  async markStaffAlerted(id: string, at: Date): Promise<void> {
    await this.complaints.updateOne({ _id: id }, { $set: { staffAlertedAt: at } });
  }

  async markEscalated(id: string, field: EscalationField, at: Date): Promise<void> {
    await this.complaints.updateOne({ _id: id, [field]: null }, { $set: { [field]: at } });
  }
}
