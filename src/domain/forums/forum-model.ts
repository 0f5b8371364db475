import type { DocId } from '../../store/ids.js';

/** A community forum (forum warga) the kecamatan holds. Times are UTC; shown in WIB. */
export interface ForumDoc {
  _id: DocId;
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
