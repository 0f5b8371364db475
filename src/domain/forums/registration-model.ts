import type { DocId } from '../../store/ids.js';
import type { Channel, Lang } from '../../core/messages.js';

export type RegistrationStatus = 'registered' | 'waitlisted' | 'cancelled';

/** One person's place at one forum: registered, on the waitlist, or cancelled. Unique per (forum, contact). */
export interface RegistrationDoc {
  _id: DocId;
  forumId: DocId;
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
