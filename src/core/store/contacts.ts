import { Schema, type Connection, type Model } from 'mongoose';
import { driverCollection } from '../../db/driver.js';
import { contactId, type ContactDoc, type ContactStore, type NewContactFields } from '../contact-store.js';

export { contactId, type ContactDoc };

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

/**
 * `ContactStore` on `contacts`. Every statement but two names a single `_id`, which FerretDB
 * answers from its primary key (see `contactId`); `updateByPlatformUserId` and `setBlocked` go by
 * other fields (indexed on MongoDB, a walk of the collection on FerretDB).
 */
export class MongoContactStore implements ContactStore {
  constructor(private readonly contacts: ContactModel) {}

  async get(channel: string, userKey: string): Promise<ContactDoc | null> {
    return this.contacts.findById(contactId(channel, userKey)).lean<ContactDoc>();
  }

  async update(id: string, set: Partial<ContactDoc>): Promise<ContactDoc | null> {
    return this.contacts.findOneAndUpdate({ _id: id }, { $set: set }, { new: true }).lean<ContactDoc>();
  }

  async updateByPlatformUserId(channel: string, platformUserId: string, set: Partial<ContactDoc>): Promise<ContactDoc | null> {
    return this.contacts.findOneAndUpdate({ channel, platformUserId }, { $set: set }, { new: true }).lean<ContactDoc>();
  }

  async upsert(id: string, set: Partial<ContactDoc>, onInsert: NewContactFields): Promise<{ contact: ContactDoc; created: boolean }> {
    const r = await this.contacts
      .findOneAndUpdate({ _id: id }, { $set: set, $setOnInsert: onInsert }, { upsert: true, new: true, includeResultMetadata: true })
      .lean<{ value: ContactDoc | null; lastErrorObject?: { updatedExisting?: boolean } }>();
    // `updatedExisting` false: the upsert inserted it (both MongoDB and FerretDB report it).
    return { contact: r.value!, created: r.lastErrorObject?.updatedExisting === false };
  }

  async setLanguage(id: string, lang: ContactDoc['lang'], explicit: boolean): Promise<void> {
    await this.contacts.updateOne({ _id: id }, { $set: { lang, langExplicit: explicit } });
  }

  async setBlocked(channel: string, chatId: string, blocked: boolean, at: Date): Promise<void> {
    await this.contacts.updateMany({ channel, chatId }, { $set: { blocked, ...(blocked ? { blockedAt: at } : {}) } });
  }

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
