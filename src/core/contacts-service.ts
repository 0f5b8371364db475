/**
 * Finds or creates the contact for an inbound message and keeps its channel facts current
 * (name, phone, 24-hour window, blocked flag, staff role).
 */
import type { InboundMessage } from './messages.js';
import { driverCollection } from '../db/driver.js';
import { contactId, type ContactDoc, type ContactModel } from './store/contacts.js';

/** Who is staff, per channel. */
export interface StaffDirectory {
  isStaff(channel: InboundMessage['channel'], userKey: string, chatId: string): boolean;
}

export class ContactsService {
  constructor(
    private readonly contacts: ContactModel,
    private readonly staff: StaffDirectory,
  ) {}

  /** Upserts the contact for `msg` and returns it. Writing again unblocks a contact who had blocked us. */
  async touch(msg: InboundMessage, defaultLang: 'id' | 'en'): Promise<ContactDoc> {
    const set: Partial<ContactDoc> = {
      chatId: msg.chatId,
      lastInboundAt: msg.occurredAt,
      blocked: false,
      isStaff: this.staff.isStaff(msg.channel, msg.userKey, msg.chatId),
    };
    if (msg.profileName) set.name = msg.profileName;
    if (msg.phone) set.phone = msg.phone;
    if (msg.platformUserId) set.platformUserId = msg.platformUserId;
    const _id = contactId(msg.channel, msg.userKey);
    // By `_id` first: the common case, and the cheap one (see `contactId`).
    const known = await this.contacts.findOneAndUpdate({ _id }, { $set: set }, { new: true }).lean<ContactDoc>();
    if (known) return known;
    // A person first seen by wa_id may later arrive by business-scoped user id only (or the reverse).
    if (msg.channel === 'whatsapp' && msg.platformUserId) {
      const other = await this.contacts.findOneAndUpdate({ channel: msg.channel, platformUserId: msg.platformUserId }, { $set: set }, { new: true }).lean<ContactDoc>();
      if (other) return other;
    }
    const doc = await this.contacts
      .findOneAndUpdate(
        { _id },
        { $set: set, $setOnInsert: { channel: msg.channel, userKey: msg.userKey, lang: defaultLang, langExplicit: false } },
        { upsert: true, new: true },
      )
      .lean<ContactDoc>();
    return doc!;
  }

  async setLanguage(channel: string, userKey: string, lang: 'id' | 'en', explicit: boolean): Promise<void> {
    await this.contacts.updateOne({ _id: contactId(channel, userKey) }, { $set: { lang, langExplicit: explicit } });
  }

  /** Marks a contact blocked (Telegram 403 / kicked): the outbox stops sending to them. */
  async markBlocked(channel: string, chatId: string, blocked: boolean, at: Date): Promise<void> {
    await this.contacts.updateMany({ channel, chatId }, { $set: { blocked, ...(blocked ? { blockedAt: at } : {}) } });
  }

  async find(channel: string, userKey: string): Promise<ContactDoc | null> {
    return this.contacts.findById(contactId(channel, userKey)).lean<ContactDoc>();
  }

  /**
   * Gives contacts stored before `_id` was `<channel>:<userKey>` their new `_id` (once, at start;
   * a no-op afterwards). Returns how many moved.
   */
  async migrateIds(): Promise<number> {
    // The driver's collection, not the model: the model would cast these ObjectIds to strings.
    const raw = driverCollection<{ _id: unknown; [field: string]: unknown }>(this.contacts);
    const legacy = await raw.find({ _id: { $type: 'objectId' } }).toArray();
    for (const c of legacy) {
      // Delete first: the (channel, userKey) index is unique.
      await raw.deleteOne({ _id: c['_id'] });
      await raw.insertOne({ ...c, _id: contactId(String(c['channel']), String(c['userKey'])) });
    }
    return legacy.length;
  }
}
