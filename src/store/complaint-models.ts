/**
 * Mongoose models of the complaints (collections `complaints`, `complaint_counters`,
 * `complaint_ticket_numbers`), known to src/store/ only. Only what both MongoDB and FerretDB
 * support (no transactions, no TTL, no $lookup). A stored ticket is the domain's ComplaintDoc with
 * ObjectIds where the domain has string ids (the ticket's `_id`, photos' `fileId`).
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { ComplaintDoc, StoredPhoto, ThreadEntry } from '../domain/complaints/types.js';

/** A photo as stored (its GridFS file id). */
export type PhotoRow = Omit<StoredPhoto, 'fileId'> & { fileId: Types.ObjectId };
/** A thread entry as stored. */
export type ThreadRow = Omit<ThreadEntry, 'photo'> & { photo?: PhotoRow };
/** A ticket as stored. */
export type ComplaintRow = Omit<ComplaintDoc, '_id' | 'photos' | 'thread'> & { _id: Types.ObjectId; photos: PhotoRow[]; thread: ThreadRow[] };

const complaintSchema = new Schema<ComplaintRow>(
  {
    ticketNo: { type: String, required: true },
    category: { type: String, required: true },
    kelurahan: { type: String, required: true },
    place: { type: Schema.Types.Mixed, required: true },
    description: { type: String, required: true },
    textHash: { type: String, required: true },
    photos: { type: Schema.Types.Mixed, default: [] },
    identity: { type: String, required: true },
    reporter: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    history: { type: Schema.Types.Mixed, default: [] },
    responseDueAt: { type: Date, required: true },
    resolutionDueAt: { type: Date, required: true },
    escalatedResponseAt: { type: Date, default: null },
    escalatedResolutionAt: { type: Date, default: null },
    rating: { type: Schema.Types.Mixed },
    thread: { type: Schema.Types.Mixed, default: [] },
    forward: { type: Schema.Types.Mixed },
    assignee: { type: Schema.Types.Mixed, default: null },
    reopenCount: { type: Number, default: 0 },
    pausedAt: { type: Date, default: null },
    staffAlertedAt: { type: Date, default: null },
    submitKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'complaints', versionKey: false, minimize: false },
);
complaintSchema.index({ ticketNo: 1 }, { unique: true });
complaintSchema.index({ submitKey: 1 }, { unique: true });
complaintSchema.index({ 'reporter.channel': 1, 'reporter.userKey': 1, createdAt: -1 });
complaintSchema.index({ status: 1, responseDueAt: 1 });
complaintSchema.index({ createdAt: 1 });
complaintSchema.index({ staffAlertedAt: 1, createdAt: 1 });

export type ComplaintModel = Model<ComplaintRow>;
export const complaintModel = (conn: Connection): ComplaintModel =>
  (conn.models['Complaint'] as ComplaintModel | undefined) ?? conn.model<ComplaintRow>('Complaint', complaintSchema);

/** One counter per year: `_id` = `complaint-<year>`, `seq` = last number handed out. */
export interface CounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { collection: 'complaint_counters', versionKey: false });

export type CounterModel = Model<CounterDoc>;
export const counterModel = (conn: Connection): CounterModel =>
  (conn.models['ComplaintCounter'] as CounterModel | undefined) ?? conn.model<CounterDoc>('ComplaintCounter', counterSchema);

/** A ticket number handed out: the unique `_id` makes each number belong to one complaint only. */
export interface TicketClaimDoc {
  _id: string;
  at: Date;
}

const ticketClaimSchema = new Schema<TicketClaimDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { collection: 'complaint_ticket_numbers', versionKey: false });

export type TicketClaimModel = Model<TicketClaimDoc>;
export const ticketClaimModel = (conn: Connection): TicketClaimModel =>
  (conn.models['ComplaintTicketClaim'] as TicketClaimModel | undefined) ?? conn.model<TicketClaimDoc>('ComplaintTicketClaim', ticketClaimSchema);
