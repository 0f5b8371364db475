/**
 * Finds or creates the contact for an inbound message and keeps its channel facts current
 * (name, phone, 24-hour window, blocked flag, staff role).
 */
import type { InboundMessage } from './messages.js';
import type { ContactDoc, ContactModel } from './store/contacts.js';

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
    // A person first seen by wa_id may later arrive by business-scoped user id only (or the reverse).
    const filter =
      msg.channel === 'whatsapp' && msg.platformUserId
        ? { channel: msg.channel, $or: [{ userKey: msg.userKey }, { platformUserId: msg.platformUserId }] }
        : { channel: msg.channel, userKey: msg.userKey };
    const doc = await this.contacts
      .findOneAndUpdate(
        filter,
        { $set: set, $setOnInsert: { userKey: msg.userKey, lang: defaultLang, langExplicit: false } },
        { upsert: true, new: true },
      )
      .lean<ContactDoc>();
    return doc!;
  }

  async setLanguage(channel: string, userKey: string, lang: 'id' | 'en', explicit: boolean): Promise<void> {
    await this.contacts.updateOne({ channel, userKey }, { $set: { lang, langExplicit: explicit } });
  }

  /** Marks a contact blocked (Telegram 403 / kicked): the outbox stops sending to them. */
  async markBlocked(channel: string, chatId: string, blocked: boolean, at: Date): Promise<void> {
    await this.contacts.updateMany({ channel, chatId }, { $set: { blocked, ...(blocked ? { blockedAt: at } : {}) } });
  }

  async find(channel: string, userKey: string): Promise<ContactDoc | null> {
    return this.contacts.findOne({ channel, userKey }).lean<ContactDoc>();
  }
}
