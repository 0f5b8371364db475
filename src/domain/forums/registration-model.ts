import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Channel, Lang } from '../../core/messages.js';

export type RegistrationStatus = 'registered' | 'waitlisted' | 'cancelled';

/** One person's place at one forum: registered, on the waitlist, or cancelled. Unique per (forum, contact). */
export interface RegistrationDoc {
  _id: Types.ObjectId;
  forumId: Types.ObjectId;
  /** `channel:userKey` of the person. */
  contactKey: string;
  channel: Channel;
  userKey: string;
  name: string;
  kelurahan: string;
  /** Digits, international form; optional on Telegram. */
  phone?: string;
  /** Language of the person at sign-up (reminders use it). */
  lang: Lang;
  /** Shown at the door, e.g. `FW-7K2Q9M`; unique. */
  code: string;
  status: RegistrationStatus;
  /** Place in the waitlist (lower first); null unless waitlisted. */
  waitSeq: number | null;
  registeredAt?: Date;
  waitlistedAt?: Date;
  promotedAt?: Date;
  cancelledAt?: Date;
  /** Who cancelled: the person, or staff cancelling the forum. */
  cancelledBy?: 'self' | 'forum-cancelled';
  attendedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

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
