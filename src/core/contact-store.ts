/**
 * A contact (one person on one channel) and where contacts are kept: the port the contacts
 * service and the notifier use; core/store/contacts.ts keeps them in `contacts`.
 */
import type { Channel, Lang } from './messages.js';

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

/** Fields a contact gets when it is created (and never overwritten by a later write). */
export interface NewContactFields {
  channel: Channel;
  userKey: string;
  lang: Lang;
  langExplicit: boolean;
}

/**
 * Where contacts are kept. A contact is named by `contactId(channel, userKey)`. Nothing here is
 * exclusive beyond what the database gives one statement: on FerretDB an update is read-then-write,
 * so two writers of the same contact may each overwrite the other's fields (last write wins);
 * every field written is a fact of the latest message or choice, so that is harmless.
 * Defaults of a new contact: `blocked` and `isStaff` false; `createdAt` / `updatedAt` are kept by
 * the store.
 */
export interface ContactStore {
  /** The contact, or null (one read by key). */
  get(channel: string, userKey: string): Promise<ContactDoc | null>;
  /** Sets `set` on contact `id` when it exists; the contact as written, or null when there is none. */
  update(id: string, set: Partial<ContactDoc>): Promise<ContactDoc | null>;
  /** Sets `set` on the (first) contact of `channel` with this business-scoped user id; as written, or null. */
  updateByPlatformUserId(channel: string, platformUserId: string, set: Partial<ContactDoc>): Promise<ContactDoc | null>;
  /**
   * Sets `set` on contact `id`, creating it with `onInsert` (and `set`) when there is none, in one
   * statement. `created` is true when this call created it, as the database reports; the unique
   * `_id` keeps it one contact when two calls race.
   */
  upsert(id: string, set: Partial<ContactDoc>, onInsert: NewContactFields): Promise<{ contact: ContactDoc; created: boolean }>;
  /** Sets the language of contact `id` (nothing when there is none). */
  setLanguage(id: string, lang: Lang, explicit: boolean): Promise<void>;
  /** Sets `blocked` (and `blockedAt` when blocking) on every contact of `channel` with this chat id. */
  setBlocked(channel: string, chatId: string, blocked: boolean, at: Date): Promise<void>;
  /**
   * Gives contacts stored before `_id` was `<channel>:<userKey>` their new `_id` (once, at start;
   * a no-op afterwards). Returns how many moved.
   */
  migrateIds(): Promise<number>;
}
