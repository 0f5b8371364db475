import { Schema, type Connection, type Model } from 'mongoose';
import type { Channel, Lang } from '../messages.js';

/** One person on one channel. */
export interface ContactDoc {
  /** `<channel>:<userKey>` (see `contactId`). */
  _id: string;
  channel: Channel;
  /** Platform user key (Telegram user id, WhatsApp wa_id or business-scoped user id). */
  userKey: string;
  /** Where to send (chat id / wa_id / user id). */
  chatId: string;
  /** WhatsApp business-scoped user id (`user_id`), when known. */
  platformUserId?: string;
  /** Phone number, when the platform shares it (WhatsApp wa_id, Telegram shared contact). */
  phone?: string;
  name?: string;
  /** Language chosen or detected; default `id`. */
  lang: Lang;
  /** True once the person chose a language with "bahasa"/"language"; then we stop guessing. */
  langExplicit: boolean;
  /** The person blocked the bot (Telegram 403 / kicked): nothing is sent until they write again. */
  blocked: boolean;
  blockedAt?: Date;
  isStaff: boolean;
  /** Last message from the person (opens WhatsApp's 24-hour window). */
  lastInboundAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A contact's `_id`: `<channel>:<userKey>`. Why not an ObjectId: every message reads and writes
 * its sender's contact, and FerretDB's SQLite backend finds a document by `_id` about ten times
 * faster than by any other field (it walks the collection either way), which matters once
 * thousands of people have written.
 */
export function contactId(channel: string, userKey: string): string {
  return `${channel}:${userKey}`;
}

const contactSchema = new Schema<ContactDoc>(
  {
    // Derived from channel and user key when not given (also in insertMany). An upsert takes
    // it from its filter (there is no document to derive it from: `this` is null).
    _id: {
      type: String,
      default(this: { channel?: string; userKey?: string } | null) {
        return this?.channel && this.userKey ? contactId(this.channel, this.userKey) : undefined;
      },
    },
    channel: { type: String, required: true },
    userKey: { type: String, required: true },
    chatId: { type: String, required: true },
    platformUserId: { type: String },
    phone: { type: String },
    name: { type: String },
    lang: { type: String, default: 'id' },
    langExplicit: { type: Boolean, default: false },
    blocked: { type: Boolean, default: false },
    blockedAt: { type: Date },
    isStaff: { type: Boolean, default: false },
    lastInboundAt: { type: Date },
  },
  { timestamps: true, collection: 'contacts' },
);
contactSchema.index({ channel: 1, userKey: 1 }, { unique: true });
contactSchema.index({ channel: 1, platformUserId: 1 });

export type ContactModel = Model<ContactDoc>;
export const contactModel = (conn: Connection): ContactModel =>
  conn.models['Contact'] as ContactModel | undefined ?? conn.model<ContactDoc>('Contact', contactSchema);
