/**
 * MongoDB collections of the staff console: accounts, signed-in sessions, sign-in attempts, the
 * audit log and one-time form keys. Known to src/store/console-stores.ts and to end-to-end tests
 * only. Only what FerretDB 1.24 also supports (no TTL indexes: expiry is checked on read and old
 * rows are pruned).
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { AccountDoc, AuditRecord, LoginAttempt, SessionDoc } from '../domain/staff-console/store.js';

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

/** A sign-in attempt as stored. */
export type LoginAttemptDoc = LoginAttempt & { _id: Types.ObjectId };

const attemptSchema = new Schema<LoginAttemptDoc>(
  { ip: { type: String, required: true }, username: { type: String, required: true }, ok: { type: Boolean, required: true }, at: { type: Date, required: true } },
  { collection: 'console_login_attempts', versionKey: false },
);
attemptSchema.index({ ip: 1, at: 1 });

export type LoginAttemptModel = Model<LoginAttemptDoc>;
export const loginAttemptModel = (conn: Connection): LoginAttemptModel =>
  (conn.models['ConsoleLoginAttempt'] as LoginAttemptModel | undefined) ?? conn.model<LoginAttemptDoc>('ConsoleLoginAttempt', attemptSchema);

/** An audit record as stored. */
export type AuditDoc = AuditRecord & { _id: Types.ObjectId };

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

/** A one-time form key: `_id` is the key, so the first insert decides. */
export interface FormKeyDoc {
  _id: string;
  /** What the first submission produced (e.g. the new forum's id), once it finished. */
  result?: string;
  createdAt: Date;
}

const formKeySchema = new Schema<FormKeyDoc>({ _id: { type: String, required: true }, result: { type: String }, createdAt: { type: Date, required: true } }, { collection: 'console_form_keys', versionKey: false });

export type FormKeyModel = Model<FormKeyDoc>;
export const formKeyModel = (conn: Connection): FormKeyModel =>
  (conn.models['ConsoleFormKey'] as FormKeyModel | undefined) ?? conn.model<FormKeyDoc>('ConsoleFormKey', formKeySchema);
