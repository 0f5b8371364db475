import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Channel, Reply } from '../messages.js';

/** Delivery states reported by the platform, in the order they can only move forward. */
export const DELIVERY_RANK = { sent: 1, delivered: 2, read: 3, failed: 4 } as const;
export type DeliveryStatus = keyof typeof DELIVERY_RANK;

/**
 * Outbox: every message the bot sends is stored first and sent by the channel's dispatcher,
 * which retries, honours rate limits and records the outcome.
 */
export interface OutboxDoc {
  _id: Types.ObjectId;
  channel: Channel;
  chatId: string;
  userKey?: string;
  reply: Reply;
  /** Idempotency key (e.g. inbox id + index): the same reply is never queued twice. */
  key: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError?: { code: string; message: string };
  platformMessageIds: string[];
  deliveryStatus?: DeliveryStatus;
  deliveryRank: number;
  deliveryError?: { code: string; message: string };
  createdAt: Date;
  sentAt?: Date;
}

const outboxSchema = new Schema<OutboxDoc>(
  {
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    userKey: { type: String },
    reply: { type: Schema.Types.Mixed, required: true },
    key: { type: String, required: true },
    status: { type: String, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    lastError: { type: Schema.Types.Mixed },
    platformMessageIds: { type: [String], default: [] },
    deliveryStatus: { type: String },
    deliveryRank: { type: Number, default: 0 },
    deliveryError: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date },
  },
  { collection: 'outbound_messages', versionKey: false, minimize: false },
);
outboxSchema.index({ key: 1 }, { unique: true });
outboxSchema.index({ channel: 1, status: 1, nextAttemptAt: 1 });
outboxSchema.index({ channel: 1, chatId: 1, status: 1, createdAt: 1 });
outboxSchema.index({ platformMessageIds: 1 });

export type OutboxModel = Model<OutboxDoc>;
export const outboxModel = (conn: Connection): OutboxModel =>
  conn.models['Outbox'] as OutboxModel | undefined ?? conn.model<OutboxDoc>('Outbox', outboxSchema);
