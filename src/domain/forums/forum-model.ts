import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A community forum (forum warga) the kecamatan holds. Times are UTC; shown in WIB. */
export interface ForumDoc {
  _id: Types.ObjectId;
  title: string;
  topic: string;
  /** The kelurahan it is for; `null` = the whole kecamatan. */
  kelurahan: string | null;
  venue: string;
  startAt: Date;
  durationMinutes: number;
  /** Seats; registrations beyond it go to the waitlist. */
  capacity: number;
  /** Sign-ups close at this instant (waitlist promotion continues until the start). */
  registrationDeadline: Date;
  status: 'scheduled' | 'cancelled';
  /** Bumped each time the date/time changes (calendar SEQUENCE; reminders are re-planned). Default 0. */
  sequence: number;
  /** Last waitlist number handed out (the waitlist is served in this order). Default 0. */
  waitSeq: number;
  /** Staff member who created it (`channel:userKey`). */
  createdBy: string;
  cancelledAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

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
