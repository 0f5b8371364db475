/**
 * The staff console's stores on MongoDB / FerretDB (collections `console_accounts`,
 * `console_sessions`, `console_login_attempts`, `console_audit`, `console_form_keys`),
 * implementing the ports of src/domain/staff-console/store.ts. What must happen once (a new
 * username, a form key) is decided by an insert on a unique `_id`: FerretDB's updates are
 * read-then-write, so a conditional update would not be exclusive there.
 */
import type { Connection } from 'mongoose';
import { insertOnce } from '../core/store/insert-once.js';
import type {
  AccountDoc,
  AccountPatch,
  AccountStore,
  AuditRecord,
  AuditStore,
  ConsoleSessionStore,
  ConsoleStores,
  FormKeyStore,
  LoginAttempt,
  LoginAttemptStore,
  SessionDoc,
} from '../domain/staff-console/store.js';
import { accountModel, auditModel, formKeyModel, loginAttemptModel, sessionModel, type AccountModel, type AuditModel, type FormKeyModel, type LoginAttemptModel, type SessionModel } from './console-models.js';

export class MongoAccountStore implements AccountStore {
  constructor(private readonly model: AccountModel) {}

  count(): Promise<number> {
    return this.model.countDocuments({});
  }

  list(): Promise<AccountDoc[]> {
    return this.model.find({}).sort({ _id: 1 }).lean<AccountDoc[]>();
  }

  get(username: string): Promise<AccountDoc | null> {
    return this.model.findById(String(username)).lean<AccountDoc>();
  }

  insert(account: AccountDoc): Promise<boolean> {
    return insertOnce(this.model, account);
  }

  async patch(username: string, fields: AccountPatch): Promise<boolean> {
    const res = await this.model.updateOne({ _id: String(username) }, { $set: fields });
    return res.matchedCount === 1;
  }

  patchAndGet(username: string, fields: AccountPatch): Promise<AccountDoc | null> {
    return this.model.findOneAndUpdate({ _id: String(username) }, { $set: fields }, { new: true }).lean<AccountDoc>();
  }
}

export class MongoLoginAttemptStore implements LoginAttemptStore {
  constructor(private readonly model: LoginAttemptModel) {}

  async record(attempt: LoginAttempt): Promise<void> {
    await this.model.create(attempt);
  }

  countFailedSince(ip: string, since: Date): Promise<number> {
    return this.model.countDocuments({ ip, at: { $gte: since }, ok: false });
  }

  async pruneBefore(before: Date): Promise<void> {
    await this.model.deleteMany({ at: { $lt: before } });
  }
}

export class MongoConsoleSessionStore implements ConsoleSessionStore {
  constructor(private readonly model: SessionModel) {}

  async insert(session: SessionDoc): Promise<void> {
    await this.model.create(session);
  }

  get(id: string): Promise<SessionDoc | null> {
    return this.model.findById(id).lean<SessionDoc>();
  }

  async touch(id: string, lastSeenAt: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { lastSeenAt } });
  }

  async delete(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
  }

  async deleteAllOf(account: string): Promise<number> {
    const r = await this.model.deleteMany({ account });
    return r.deletedCount ?? 0;
  }

  async deleteIdleSince(before: Date): Promise<void> {
    await this.model.deleteMany({ lastSeenAt: { $lt: before } });
  }
}

export class MongoAuditStore implements AuditStore {
  constructor(private readonly model: AuditModel) {}

  async append(record: AuditRecord): Promise<void> {
    await this.model.create(record);
  }

  async latest(opts: { target?: string; limit: number; skip: number }): Promise<AuditRecord[]> {
    const filter: Record<string, unknown> = opts.target ? { target: opts.target } : {};
    return this.model.find(filter, { _id: 0 }).sort({ at: -1 }).skip(opts.skip).limit(opts.limit).lean<AuditRecord[]>();
  }
}

export class MongoFormKeyStore implements FormKeyStore {
  constructor(private readonly model: FormKeyModel) {}

  claim(key: string, at: Date): Promise<boolean> {
    // Why an insert: on FerretDB only a unique-_id insert is atomic, so it decides which of two
    // concurrent submissions acts.
    return insertOnce(this.model, { _id: key, createdAt: at });
  }

  async resultOf(key: string): Promise<string | undefined> {
    return (await this.model.findById(key).lean<{ result?: string }>())?.result;
  }

  async setResult(key: string, result: string): Promise<void> {
    await this.model.updateOne({ _id: key }, { $set: { result } });
  }

  async release(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }
}

/** The console's stores on one connection. */
export function mongoConsoleStores(conn: Connection): ConsoleStores {
  const models = { accounts: accountModel(conn), sessions: sessionModel(conn), attempts: loginAttemptModel(conn), audit: auditModel(conn) };
  return {
    async init() {
      for (const m of [models.accounts, models.sessions, models.attempts, models.audit]) await m.createIndexes();
    },
    accounts: new MongoAccountStore(models.accounts),
    attempts: new MongoLoginAttemptStore(models.attempts),
    sessions: new MongoConsoleSessionStore(models.sessions),
    audit: new MongoAuditStore(models.audit),
    formKeys: new MongoFormKeyStore(formKeyModel(conn)),
  };
}
