/**
 * "This form acts once" for console actions whose domain call has no idempotency key of its own
 * (creating a forum, answering an unanswered question). Each form carries a one-time `key`
 * (`randomUUID()` at render); the first submission claims the key and acts, a repeat (double
 * click, browser resend) finds it taken and is shown the first one's result.
 *
 * Why a claim by the store: on FerretDB only a unique-_id insert is atomic (updates are
 * read-then-write), so `FormKeyStore.claim` inserts the key and the insert decides which of two
 * concurrent submissions acts.
 */
import type { FormKeyStore } from '../../domain/staff-console/store.js';

export type FormClaim = { first: true } | { first: false; result: string | undefined };

/** The one-time form keys. */
export class FormOnce {
  constructor(
    private readonly store: FormKeyStore,
    private readonly clock: () => Date,
  ) {}

  /** Claims `key` (`<area>:<uuid>`): `first` for the submission that must act. */
  async claim(key: string): Promise<FormClaim> {
    if (await this.store.claim(key, this.clock())) return { first: true };
    return { first: false, result: await this.store.resultOf(key) };
  }

  /** Records what the first submission produced. */
  async done(key: string, result: string): Promise<void> {
    await this.store.setResult(key, result);
  }

  /** Frees a key whose action failed, so the same form can be sent again. */
  async release(key: string): Promise<void> {
    await this.store.release(key);
  }
}

/** A form key as sent: a UUID, nothing else. */
export const FORM_KEY_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
