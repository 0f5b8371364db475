/**
 * Finds or creates the contact for an inbound message and keeps its channel facts current
 * (name, phone, 24-hour window, blocked flag, staff role).
 */
import type { InboundMessage } from './messages.js';
import { contactId, type ContactDoc, type ContactStore } from './contact-store.js';

/** Who is staff, per channel. */
export interface StaffDirectory {
  isStaff(channel: InboundMessage['channel'], userKey: string, chatId: string): boolean;
}

/**
 * A contact written within this long (by message time) is not written again when nothing but
 * `lastInboundAt` changed. Why (issue #11: a few commands per inbound text): the upsert used to
 * cost a command for every message. `lastInboundAt` then lags by at most this much, which only
 * makes the WhatsApp 24-hour window look shorter, never longer; a change made by another process
 * (language) is seen within this much conversation time.
 */
export const CONTACT_REFRESH_MS = 60_000;
const CACHE_MAX = 10_000;

export class ContactsService {
  /** Contacts this process wrote lately, by `_id` (insertion order = age, for trimming). */
  private readonly recent = new Map<string, ContactDoc>();

  constructor(
    private readonly contacts: ContactStore,
    private readonly staff: StaffDirectory,
  ) {}

  /** Upserts the contact for `msg` and returns it. Writing again unblocks a contact who had blocked us. */
  async touch(msg: InboundMessage, defaultLang: 'id' | 'en'): Promise<ContactDoc> {
    return (await this.see(msg, defaultLang)).contact;
  }

  /** As `touch`, and says whether the contact was created just now (a person writing the first time). */
  async see(msg: InboundMessage, defaultLang: 'id' | 'en'): Promise<{ contact: ContactDoc; firstTime: boolean }> {
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
    const cached = this.recent.get(_id);
    if (cached && this.unchanged(cached, set, msg.occurredAt)) return { contact: { ...cached, lastInboundAt: msg.occurredAt }, firstTime: false };
    const written = await this.write(_id, msg, set, defaultLang);
    this.remember(written.contact);
    return written;
  }

  private unchanged(c: ContactDoc, set: Partial<ContactDoc>, at: Date): boolean {
    const since = at.getTime() - new Date(c.lastInboundAt ?? 0).getTime();
    return (
      since >= 0 &&
      since < CONTACT_REFRESH_MS &&
      !c.blocked &&
      c.chatId === set.chatId &&
      c.isStaff === set.isStaff &&
      (set.name === undefined || c.name === set.name) &&
      (set.phone === undefined || c.phone === set.phone) &&
      (set.platformUserId === undefined || c.platformUserId === set.platformUserId)
    );
  }

  private remember(doc: ContactDoc): void {
    this.recent.delete(doc._id);
    this.recent.set(doc._id, doc);
    if (this.recent.size > CACHE_MAX) this.recent.delete(this.recent.keys().next().value!);
  }

  private async write(_id: string, msg: InboundMessage, set: Partial<ContactDoc>, defaultLang: 'id' | 'en'): Promise<{ contact: ContactDoc; firstTime: boolean }> {
    // A person first seen by wa_id may later arrive by business-scoped user id only (or the
    // reverse): then look by `_id` first, and by that id before creating. Otherwise one upsert.
    if (msg.channel === 'whatsapp' && msg.platformUserId) {
      // By `_id` first: the common case, and the cheap one (see `contactId`).
      const known = await this.contacts.update(_id, set);
      if (known) return { contact: known, firstTime: false };
      const other = await this.contacts.updateByPlatformUserId(msg.channel, msg.platformUserId, set);
      if (other) return { contact: other, firstTime: false };
    }
    const r = await this.contacts.upsert(_id, set, { channel: msg.channel, userKey: msg.userKey, lang: defaultLang, langExplicit: false });
    return { contact: r.contact, firstTime: r.created };
  }

  async setLanguage(channel: string, userKey: string, lang: 'id' | 'en', explicit: boolean): Promise<void> {
    const _id = contactId(channel, userKey);
    this.recent.delete(_id);
    await this.contacts.setLanguage(_id, lang, explicit);
  }

  /** Marks a contact blocked (Telegram 403 / kicked): the outbox stops sending to them. */
  async markBlocked(channel: string, chatId: string, blocked: boolean, at: Date): Promise<void> {
    for (const [id, c] of this.recent) if (c.channel === channel && c.chatId === chatId) this.recent.delete(id);
    await this.contacts.setBlocked(channel, chatId, blocked, at);
  }

  async find(channel: string, userKey: string): Promise<ContactDoc | null> {
    return this.contacts.get(channel, userKey);
  }

  /**
   * Gives contacts stored before `_id` was `<channel>:<userKey>` their new `_id` (once, at start;
   * a no-op afterwards). Returns how many moved.
   */
  async migrateIds(): Promise<number> {
    return this.contacts.migrateIds();
  }
}
