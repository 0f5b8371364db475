/**
 * Forums and registrations on MongoDB / FerretDB: the models of `forums` and
 * `forum_registrations`, behind the ports of domain/forums/store.ts. Seat and waitlist writes are
 * conditional updates that are exclusive only because the caller holds the forum's keyed lock
 * (core/keyed-lock.ts): FerretDB's updates are read-then-write, never a compare-and-set.
 */
import { Schema, type Connection, type FilterQuery, type Model } from 'mongoose';
import { isDuplicateKey } from '../core/errors.js';
import type { ForumDoc } from '../domain/forums/forum-model.js';
import type { RegistrationDoc } from '../domain/forums/registration-model.js';
import type { ForumQuery, ForumStore, NewForum, NewRegistration, RegistrationQuery, RegistrationStore } from '../domain/forums/store.js';
import type { DocId } from './ids.js';

const forumSchema = new Schema<ForumDoc>(
  {
    title: { type: String, required: true },
    topic: { type: String, required: true },
    kelurahan: { type: String, default: null },
    venue: { type: String, required: true },
    startAt: { type: Date, required: true },
    durationMinutes: { type: Number, required: true },
    capacity: { type: Number, required: true },
    registrationDeadline: { type: Date, required: true },
    status: { type: String, required: true, default: 'scheduled' },
    sequence: { type: Number, default: 0 },
    waitSeq: { type: Number, default: 0 },
    createdBy: { type: String, required: true },
    cancelledAt: { type: Date },
  },
  { collection: 'forums', timestamps: true, versionKey: false },
);
forumSchema.index({ status: 1, startAt: 1 });

export type ForumModel = Model<ForumDoc>;
export const forumModel = (conn: Connection): ForumModel =>
  (conn.models['Forum'] as ForumModel | undefined) ?? conn.model<ForumDoc>('Forum', forumSchema);

const registrationSchema = new Schema<RegistrationDoc>(
  {
    forumId: { type: Schema.Types.ObjectId, required: true },
    contactKey: { type: String, required: true },
    channel: { type: String, required: true },
    userKey: { type: String, required: true },
    name: { type: String, required: true },
    kelurahan: { type: String, required: true },
    phone: { type: String },
    lang: { type: String, default: 'id' },
    code: { type: String, required: true },
    status: { type: String, required: true },
    waitSeq: { type: Number, default: null },
    registeredAt: { type: Date },
    waitlistedAt: { type: Date },
    promotedAt: { type: Date },
    cancelledAt: { type: Date },
    cancelledBy: { type: String },
    attendedAt: { type: Date },
  },
  { collection: 'forum_registrations', timestamps: true, versionKey: false },
);
registrationSchema.index({ forumId: 1, contactKey: 1 }, { unique: true });
registrationSchema.index({ code: 1 }, { unique: true });
registrationSchema.index({ forumId: 1, status: 1, waitSeq: 1 });
registrationSchema.index({ contactKey: 1, status: 1 });

export type RegistrationModel = Model<RegistrationDoc>;
export const registrationModel = (conn: Connection): RegistrationModel =>
  (conn.models['ForumRegistration'] as RegistrationModel | undefined) ?? conn.model<RegistrationDoc>('ForumRegistration', registrationSchema);

/** One value or `$in` of several (FerretDB evaluates an equality more cheaply). */
const oneOrIn = <T>(values: T[]): T | { $in: T[] } => (values.length === 1 ? values[0]! : { $in: values });

export class MongoForumStore implements ForumStore {
  constructor(readonly model: ForumModel) {}

  async create(fields: NewForum): Promise<ForumDoc> {
    const created = await this.model.create(fields);
    return created.toObject<ForumDoc>();
  }

  get(id: DocId): Promise<ForumDoc | null> {
    return this.model.findById(id).lean<ForumDoc>();
  }

  async exists(id: DocId): Promise<boolean> {
    return (await this.model.exists({ _id: id })) !== null;
  }

  find(q: ForumQuery): Promise<ForumDoc[]> {
    const filter: FilterQuery<ForumDoc> = {};
    if (q.status) filter.status = q.status;
    if (q.ids) filter._id = { $in: q.ids };
    const startAt: Record<string, Date> = {};
    if (q.startsAfter) startAt.$gt = q.startsAfter;
    if (q.startsFrom) startAt.$gte = q.startsFrom;
    if (q.startsBefore) startAt.$lt = q.startsBefore;
    if (q.startsBy) startAt.$lte = q.startsBy;
    if (Object.keys(startAt).length > 0) filter.startAt = startAt;
    if (q.deadlineAfter) filter.registrationDeadline = { $gt: q.deadlineAfter };
    let query = this.model.find(filter);
    if (q.sort) query = query.sort({ startAt: q.sort });
    if (q.limit !== undefined) query = query.limit(q.limit);
    return query.lean<ForumDoc[]>();
  }

  updateScheduled(id: DocId, set: Partial<ForumDoc>, bumpSequence: boolean): Promise<ForumDoc | null> {
    return this.model
      .findOneAndUpdate({ _id: id, status: 'scheduled' }, { $set: set, ...(bumpSequence ? { $inc: { sequence: 1 } } : {}) }, { new: true })
      .lean<ForumDoc>();
  }

  cancelScheduled(id: DocId, now: Date): Promise<ForumDoc | null> {
    return this.model.findOneAndUpdate({ _id: id, status: 'scheduled' }, { $set: { status: 'cancelled', cancelledAt: now } }, { new: true }).lean<ForumDoc>();
  }

  async nextWaitSeq(id: DocId): Promise<number> {
    const bumped = await this.model.findOneAndUpdate({ _id: id }, { $inc: { waitSeq: 1 } }, { new: true }).lean<ForumDoc>();
    if (!bumped) throw new Error(`forum ${String(id)} vanished while its lock was held`);
    return bumped.waitSeq;
  }
}

export class MongoRegistrationStore implements RegistrationStore {
  constructor(readonly model: RegistrationModel) {}

  get(id: DocId): Promise<RegistrationDoc | null> {
    return this.model.findById(id).lean<RegistrationDoc>();
  }

  find(q: RegistrationQuery): Promise<RegistrationDoc[]> {
    const filter: FilterQuery<RegistrationDoc> = {};
    if (q.ids) filter._id = { $in: q.ids };
    if (q.forumIds) filter.forumId = oneOrIn(q.forumIds);
    if (q.contactKey !== undefined) filter.contactKey = q.contactKey;
    if (q.statuses) filter.status = oneOrIn(q.statuses);
    if (q.attended) filter.attendedAt = { $exists: true };
    return this.model.find(filter).lean<RegistrationDoc[]>();
  }

  ofContact(forumId: DocId, contactKey: string): Promise<RegistrationDoc | null> {
    return this.model.findOne({ forumId, contactKey }).lean<RegistrationDoc>();
  }

  latestOf(contactKey: string): Promise<RegistrationDoc | null> {
    return this.model.findOne({ contactKey }).sort({ updatedAt: -1 }).lean<RegistrationDoc>();
  }

  countRegistered(forumId: DocId): Promise<number> {
    return this.model.countDocuments({ forumId, status: 'registered' });
  }

  countWaitlistedBefore(forumId: DocId, waitSeq: number): Promise<number> {
    return this.model.countDocuments({ forumId, status: 'waitlisted', waitSeq: { $lt: waitSeq } });
  }

  async insert(fields: NewRegistration): Promise<RegistrationDoc | undefined> {
    try {
      const created = await this.model.create(fields);
      return created.toObject<RegistrationDoc>();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return undefined;
    }
  }

  reactivate(id: DocId, set: Partial<RegistrationDoc>): Promise<RegistrationDoc | null> {
    return this.model
      .findOneAndUpdate({ _id: id }, { $set: set, $unset: { cancelledAt: 1, cancelledBy: 1, attendedAt: 1, promotedAt: 1 } }, { new: true })
      .lean<RegistrationDoc>();
  }

  cancelActive(id: DocId, contactKey: string, now: Date): Promise<RegistrationDoc | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, contactKey, status: { $in: ['registered', 'waitlisted'] } },
        { $set: { status: 'cancelled', cancelledAt: now, cancelledBy: 'self', waitSeq: null } },
        { new: true },
      )
      .lean<RegistrationDoc>();
  }

  promoteFirst(forumId: DocId, now: Date): Promise<RegistrationDoc | null> {
    return this.model
      .findOneAndUpdate(
        { forumId, status: 'waitlisted' },
        { $set: { status: 'registered', registeredAt: now, promotedAt: now, waitSeq: null } },
        { new: true, sort: { waitSeq: 1 } },
      )
      .lean<RegistrationDoc>();
  }

  markAttended(id: DocId, now: Date): Promise<RegistrationDoc | null> {
    return this.model.findOneAndUpdate({ _id: id }, { $set: { attendedAt: now } }, { new: true }).lean<RegistrationDoc>();
  }
}
