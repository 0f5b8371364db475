/**
 * What a complaint is, as the complaints domain sees it (the storage port, store.ts, keeps and
 * returns these; src/store/complaints*.ts maps them to MongoDB documents). Ids are strings: a
 * ticket's and a photo's (24 hex digits).
 */
import type { Channel, Lang } from '../../core/messages.js';
import type { CategoryId, ComplaintStatus, Identity, KelurahanId } from './catalog.js';

/** Where the problem is: a shared pin and/or a written address or landmark. */
export interface Place {
  latitude?: number;
  longitude?: number;
  /** Name of a pinned place (from the platform), if any. */
  name?: string;
  /** Written address or landmark, or the address of a pinned place. */
  address?: string;
}

/** A stored photo (see media-store.ts). */
export interface StoredPhoto {
  /** The photo's id in the photo store (24 hex digits). */
  fileId: string;
  mimeType: string;
  size: number;
}

/** Who sent the complaint, on which channel (used to reply and to check ownership). */
export interface Reporter {
  channel: Channel;
  userKey: string;
  chatId: string;
  name?: string;
  phone?: string;
  /** Language of the conversation when filed; status updates use it. */
  lang: Lang;
}

/** One change of status. `key` is the idempotency key of the action that made it. */
export interface HistoryEntry {
  status: ComplaintStatus;
  at: Date;
  note?: string;
  /** Who made the change: staff, or the reporter (withdraw, reopen); absent for the submission. */
  by?: Actor;
  key: string;
}

/** Who did something on a ticket (staff, or the reporter). */
export interface Actor {
  name?: string;
  channel: Channel;
  userKey: string;
  /** The staff console account that acted, when the action came from the web console. */
  account?: string;
}

/** The colleague a ticket is assigned to (a staff console account). */
export interface Assignee {
  /** Console account username. */
  account: string;
  name: string;
  at: Date;
  by: Actor;
}

/**
 * One message on a ticket's thread: the reporter's follow-ups (text, photo, location) and staff
 * replies go both ways; a `note` is internal to staff and never sent to the reporter.
 */
export interface ThreadEntry {
  at: Date;
  from: 'reporter' | 'staff';
  kind: 'message' | 'note';
  text?: string;
  photo?: StoredPhoto;
  location?: { latitude: number; longitude: number; address?: string };
  /** Staff who wrote it (absent for the reporter, whose identity rules apply). */
  by?: Actor;
  /** Idempotency key of the message or action that added it. */
  key: string;
}

/** A hand-over (disposisi) to the agency that owns the problem. */
export interface Forward {
  agencyId: string;
  agencyName: string;
  note?: string;
  /** The agency's own reference number, where known. */
  agencyRef?: string;
  at: Date;
  by: Actor;
  /** What the agency answered, recorded by staff. */
  answer?: { text: string; at: Date; by: Actor };
}

/** A complaint or aspiration, from submission to resolution. */
export interface ComplaintDoc {
  /** The ticket's record id (24 hex digits); the lock key of the ticket. */
  _id: string;
  /** `GJM-<year>-<5 digits>`, unique, from an atomic counter; never reused. */
  ticketNo: string;
  category: CategoryId;
  kelurahan: KelurahanId;
  place: Place;
  description: string;
  /** Hash of the description ignoring case and spacing (duplicate check). */
  textHash: string;
  photos: StoredPhoto[];
  identity: Identity;
  reporter: Reporter;
  status: ComplaintStatus;
  history: HistoryEntry[];
  /** Accept or reject by then (working days, see WorkingDayCalendar). */
  responseDueAt: Date;
  /** Finish handling by then. */
  resolutionDueAt: Date;
  /** When the head of office was alerted about each breached target (once per breach). Default null. */
  escalatedResponseAt: Date | null;
  escalatedResolutionAt: Date | null;
  rating?: { score: number; comment?: string; at: Date };
  /** Messages both ways and internal notes, oldest first. Default []. */
  thread: ThreadEntry[];
  /** The latest hand-over to an agency, if any. */
  forward?: Forward;
  /** Who handles it now (assigned on the staff console). Default null. */
  assignee?: Assignee | null;
  /** How often the reporter reopened it after "selesai". Default 0. */
  reopenCount: number;
  /** While the target clock is paused (forwarded): since when. Default null. */
  pausedAt: Date | null;
  /** When staff were alerted; null until the alert is queued (a job retries). Default null. */
  staffAlertedAt: Date | null;
  /** Idempotency key of the message that submitted it (a retried message finds this ticket). */
  submitKey: string;
  createdAt: Date;
  updatedAt: Date;
}
