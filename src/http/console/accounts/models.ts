/**
 * MongoDB collections of the staff console: accounts, signed-in sessions, login attempts and
 * the audit log. Only what FerretDB 1.24 also supports (no TTL indexes: expiry is checked on
 * read and old rows are pruned).
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Channel } from '../../../core/messages.js';
import type { Role } from '../roles.js';

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

const accountSchema = new Schema<AccountDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    failedLogins: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
    link: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'console_accounts', versionKey: false, minimize: false },
);

export type AccountModel = Model<AccountDoc>;
export const accountModel = (conn: Connection): AccountModel =>
  (conn.models['ConsoleAccount'] as AccountModel | undefined) ?? conn.model<AccountDoc>('ConsoleAccount', accountSchema);

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

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    account: { type: String, required: true },
    csrf: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    ip: { type: String, required: true },
  },
  { collection: 'console_sessions', versionKey: false },
);
sessionSchema.index({ account: 1 });
sessionSchema.index({ lastSeenAt: 1 });

export type SessionModel = Model<SessionDoc>;
export const sessionModel = (conn: Connection): SessionModel =>
  (conn.models['ConsoleSession'] as SessionModel | undefined) ?? conn.model<SessionDoc>('ConsoleSession', sessionSchema);

/** One sign-in attempt (for the per-address rate limit). */
export interface LoginAttemptDoc {
  _id: Types.ObjectId;
  ip: string;
  username: string;
  ok: boolean;
  at: Date;
}

const attemptSchema = new Schema<LoginAttemptDoc>(
  { ip: { type: String, required: true }, username: { type: String, required: true }, ok: { type: Boolean, required: true }, at: { type: Date, required: true } },
  { collection: 'console_login_attempts', versionKey: false },
);
attemptSchema.index({ ip: 1, at: 1 });

export type LoginAttemptModel = Model<LoginAttemptDoc>;
export const loginAttemptModel = (conn: Connection): LoginAttemptModel =>
  (conn.models['ConsoleLoginAttempt'] as LoginAttemptModel | undefined) ?? conn.model<LoginAttemptDoc>('ConsoleLoginAttempt', attemptSchema);

/** One audited action: who, what, when, on what, before and after. */
export interface AuditDoc {
  _id: Types.ObjectId;
  at: Date;
  /** The account that acted (`null` for an unknown user at the sign-in form, or the CLI). */
  actor: { account: string; name: string; role: string } | null;
  /** `cli` when done with `npm run console:admin`. */
  via: 'web' | 'cli';
  action: string;
  /** What it was done to (`complaint:GJM-2026-00042`, `account:sri`). */
  target?: string;
  before?: unknown;
  after?: unknown;
  ip?: string;
}

const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Date, required: true },
    actor: { type: Schema.Types.Mixed, default: null },
    via: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String },
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed },
    ip: { type: String },
  },
  { collection: 'console_audit', versionKey: false, minimize: false },
);
auditSchema.index({ at: -1 });
auditSchema.index({ target: 1, at: -1 });

export type AuditModel = Model<AuditDoc>;
export const auditModel = (conn: Connection): AuditModel => (conn.models['ConsoleAudit'] as AuditModel | undefined) ?? conn.model<AuditDoc>('ConsoleAudit', auditSchema);
