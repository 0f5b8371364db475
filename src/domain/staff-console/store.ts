/**
 * The staff console's storage ports: accounts, signed-in sessions, sign-in attempts, the audit
 * log and one-time form keys. Owned by the console's services (src/http/console/accounts/,
 * form-once.ts) and declared here, below both them and src/store/console-stores.ts, which
 * implements them on MongoDB / FerretDB; test/support/memory-console-stores.ts keeps them in memory.
 *
 * Nothing here expires by itself (FerretDB 1.24 has no TTL indexes): expiry is checked on read
 * and old rows are pruned by the services.
 */
import type { Channel } from '../../core/messages.js';
import type { Role } from './roles.js';

/** The chat identity an account acts as, so chat and web actions are the same person. */
export interface StaffLink {
  channel: Channel;
  /** Platform user key as the bot knows it (Telegram user id, or `<group>:<user>`; WhatsApp number). */
  userKey: string;
  chatId: string;
}

/** A console account. `_id` is the username (lower case): creating it is one unique insert. */
export interface AccountDoc {
  _id: string;
  name: string;
  role: Role;
  /** argon2id PHC string. */
  passwordHash: string;
  disabled: boolean;
  /** Wrong passwords since the last successful sign-in. */
  failedLogins: number;
  lockedUntil: Date | null;
  link: StaffLink | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields of an account one write may set (the username and creation time never change). */
export type AccountPatch = Partial<Omit<AccountDoc, '_id' | 'createdAt'>>;

/** Console accounts, by username. */
export interface AccountStore {
  count(): Promise<number>;
  /** Every account, ordered by username. */
  list(): Promise<AccountDoc[]>;
  get(username: string): Promise<AccountDoc | null>;
  /**
   * Inserts a new account; `false` when the username is taken. Decided by the insert itself
   * (unique `_id`), so two admins creating the same username cannot both succeed.
   */
  insert(account: AccountDoc): Promise<boolean>;
  /** Sets fields of an account; `false` when there is no such account. */
  patch(username: string, fields: AccountPatch): Promise<boolean>;
  /** Sets fields of an account and returns it as written; `null` when there is no such account. */
  patchAndGet(username: string, fields: AccountPatch): Promise<AccountDoc | null>;
}

/** One sign-in attempt (for the per-address rate limit). */
export interface LoginAttempt {
  ip: string;
  username: string;
  ok: boolean;
  at: Date;
}

/** Sign-in attempts, counted per address. */
export interface LoginAttemptStore {
  record(attempt: LoginAttempt): Promise<void>;
  /** Failed attempts from `ip` at or after `since`. */
  countFailedSince(ip: string, since: Date): Promise<number>;
  /** Deletes attempts made before `before`. */
  pruneBefore(before: Date): Promise<void>;
}

/** A signed-in session. `_id` is the SHA-256 of the cookie's token (the token itself is never stored). */
export interface SessionDoc {
  _id: string;
  account: string;
  /** Synchroniser token every state-changing request must carry. */
  csrf: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string;
}

/** Signed-in sessions, by token digest. */
export interface ConsoleSessionStore {
  insert(session: SessionDoc): Promise<void>;
  get(id: string): Promise<SessionDoc | null>;
  /** Records activity (idle expiry counts from `lastSeenAt`). */
  touch(id: string, lastSeenAt: Date): Promise<void>;
  delete(id: string): Promise<void>;
  /** Deletes every session of an account; returns how many there were. */
  deleteAllOf(account: string): Promise<number>;
  /** Deletes sessions last seen before `before`. */
  deleteIdleSince(before: Date): Promise<void>;
}

/** Who acted, as recorded (`null` for an unknown user at the sign-in form, or the CLI). */
export type AuditActor = { account: string; name: string; role: string } | null;

/** One audited action: who, what, when, on what, before and after. */
export interface AuditRecord {
  at: Date;
  actor: AuditActor;
  /** `cli` when done with `npm run console:admin`. */
  via: 'web' | 'cli';
  action: string;
  /** What it was done to (`complaint:GJM-2026-00042`, `account:sri`). */
  target?: string;
  before?: unknown;
  after?: unknown;
  ip?: string;
}

/** The audit log: appended to, read newest first. */
export interface AuditStore {
  append(record: AuditRecord): Promise<void>;
  /** The newest records (optionally of one target), skipping `skip`, at most `limit`. */
  latest(opts: { target?: string; limit: number; skip: number }): Promise<AuditRecord[]>;
}

/** One-time form keys ("this form acts once"). */
export interface FormKeyStore {
  /**
   * Takes `key`; `true` for the one caller that took it. Must be exclusive on FerretDB too: a
   * unique-`_id` insert, the only atomic write there (its updates are read-then-write).
   */
  claim(key: string, at: Date): Promise<boolean>;
  /** What the first submission recorded for `key`, if it finished. */
  resultOf(key: string): Promise<string | undefined>;
  /** Records what the first submission produced. */
  setResult(key: string, result: string): Promise<void>;
  /** Frees a key whose action failed, so the same form can be sent again. */
  release(key: string): Promise<void>;
}

/** Every store the console uses. */
export interface ConsoleStores {
  /** Creates what the stores need (collections, indexes) before traffic. */
  init(): Promise<void>;
  accounts: AccountStore;
  attempts: LoginAttemptStore;
  sessions: ConsoleSessionStore;
  audit: AuditStore;
  formKeys: FormKeyStore;
}
