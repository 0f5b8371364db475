/**
 * "This form acts once" for console actions whose domain call has no idempotency key of its own
 * (creating a forum, answering an unanswered question). Each form carries a one-time `key`
 * (`randomUUID()` at render); the first submission inserts `_id = key` and acts, a repeat
 * (double click, browser resend) finds the insert refused and is shown the first one's result.
 *
 * Why an insert: on FerretDB only a unique-_id insert is atomic (updates are read-then-write),
 * so the insert decides which of two concurrent submissions acts.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../../core/errors.js';

interface FormKeyDoc {
  _id: string;
  /** What the first submission produced (e.g. the new forum's id), once it finished. */
  result?: string;
  createdAt: Date;
}

const schema = new Schema<FormKeyDoc>({ _id: { type: String, required: true }, result: { type: String }, createdAt: { type: Date, required: true } }, { collection: 'console_form_keys', versionKey: false });

export type FormClaim = { first: true } | { first: false; result: string | undefined };

/** The one-time form keys. */
export class FormOnce {
  private readonly model: Model<FormKeyDoc>;
  constructor(conn: Connection, private readonly clock: () => Date) {
    this.model = (conn.models['ConsoleFormKey'] as Model<FormKeyDoc> | undefined) ?? conn.model<FormKeyDoc>('ConsoleFormKey', schema);
  }

  /** Claims `key` (`<area>:<uuid>`): `first` for the submission that must act. */
  async claim(key: string): Promise<FormClaim> {
    try {
      await this.model.create({ _id: key, createdAt: this.clock() });
      return { first: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const doc = await this.model.findById(key).lean<FormKeyDoc>();
      return { first: false, result: doc?.result };
    }
  }

  /** Records what the first submission produced. */
  async done(key: string, result: string): Promise<void> {
    await this.model.updateOne({ _id: key }, { $set: { result } });
  }

  /** Frees a key whose action failed, so the same form can be sent again. */
  async release(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }
}

/** A form key as sent: a UUID, nothing else. */
export const FORM_KEY_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
