/**
 * The staff console's storage ports (src/domain/staff-console/store.ts) in memory, for unit tests
 * of the account service, sessions and form keys. Same contract as src/store/console-stores.ts;
 * one process only, so "decided by a unique insert" is a check-then-set within one synchronous step.
 */
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
} from '../../src/domain/staff-console/store.js';

const copy = <T>(x: T): T => structuredClone(x);

export class MemoryAccountStore implements AccountStore {
  readonly byName = new Map<string, AccountDoc>();
  async count(): Promise<number> {
    return this.byName.size;
  }
  async list(): Promise<AccountDoc[]> {
    return [...this.byName.values()].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)).map(copy);
  }
  async get(username: string): Promise<AccountDoc | null> {
    const a = this.byName.get(username);
    return a ? copy(a) : null;
  }
  async insert(account: AccountDoc): Promise<boolean> {
    if (this.byName.has(account._id)) return false;
    this.byName.set(account._id, copy(account));
    return true;
  }
  async patch(username: string, fields: AccountPatch): Promise<boolean> {
    return (await this.patchAndGet(username, fields)) !== null;
  }
  async patchAndGet(username: string, fields: AccountPatch): Promise<AccountDoc | null> {
    const a = this.byName.get(username);
    if (!a) return null;
    const next = { ...a, ...copy(fields) };
    this.byName.set(username, next);
    return copy(next);
  }
}

export class MemoryLoginAttemptStore implements LoginAttemptStore {
  readonly rows: LoginAttempt[] = [];
  async record(attempt: LoginAttempt): Promise<void> {
    this.rows.push(copy(attempt));
  }
  async countFailedSince(ip: string, since: Date): Promise<number> {
    return this.rows.filter((r) => r.ip === ip && !r.ok && r.at.getTime() >= since.getTime()).length;
  }
  async pruneBefore(before: Date): Promise<void> {
    const kept = this.rows.filter((r) => r.at.getTime() >= before.getTime());
    this.rows.splice(0, this.rows.length, ...kept);
  }
}

export class MemoryConsoleSessionStore implements ConsoleSessionStore {
  readonly byId = new Map<string, SessionDoc>();
  async insert(session: SessionDoc): Promise<void> {
    if (this.byId.has(session._id)) throw new Error(`duplicate session ${session._id}`);
    this.byId.set(session._id, copy(session));
  }
  async get(id: string): Promise<SessionDoc | null> {
    const s = this.byId.get(id);
    return s ? copy(s) : null;
  }
  async touch(id: string, lastSeenAt: Date): Promise<void> {
    const s = this.byId.get(id);
    if (s) s.lastSeenAt = new Date(lastSeenAt);
  }
  async delete(id: string): Promise<void> {
    this.byId.delete(id);
  }
  async deleteAllOf(account: string): Promise<number> {
    const ids = [...this.byId.values()].filter((s) => s.account === account).map((s) => s._id);
    for (const id of ids) this.byId.delete(id);
    return ids.length;
  }
  async deleteIdleSince(before: Date): Promise<void> {
    for (const s of [...this.byId.values()]) if (s.lastSeenAt.getTime() < before.getTime()) this.byId.delete(s._id);
  }
}

export class MemoryAuditStore implements AuditStore {
  readonly rows: AuditRecord[] = [];
  async append(record: AuditRecord): Promise<void> {
    this.rows.push(copy(record));
  }
  async latest(opts: { target?: string; limit: number; skip: number }): Promise<AuditRecord[]> {
    const rows = this.rows.filter((r) => !opts.target || r.target === opts.target).sort((a, b) => b.at.getTime() - a.at.getTime());
    return rows.slice(opts.skip, opts.skip + opts.limit).map(copy);
  }
}

export class MemoryFormKeyStore implements FormKeyStore {
  readonly byKey = new Map<string, { result?: string; createdAt: Date }>();
  async claim(key: string, at: Date): Promise<boolean> {
    if (this.byKey.has(key)) return false;
    this.byKey.set(key, { createdAt: at });
    return true;
  }
  async resultOf(key: string): Promise<string | undefined> {
    return this.byKey.get(key)?.result;
  }
  async setResult(key: string, result: string): Promise<void> {
    const k = this.byKey.get(key);
    if (k) k.result = result;
  }
  async release(key: string): Promise<void> {
    this.byKey.delete(key);
  }
}

/** All of them, as the console takes them. */
export function memoryConsoleStores(): ConsoleStores & {
  accounts: MemoryAccountStore;
  attempts: MemoryLoginAttemptStore;
  sessions: MemoryConsoleSessionStore;
  audit: MemoryAuditStore;
  formKeys: MemoryFormKeyStore;
} {
  return {
    async init() {},
    accounts: new MemoryAccountStore(),
    attempts: new MemoryLoginAttemptStore(),
    sessions: new MemoryConsoleSessionStore(),
    audit: new MemoryAuditStore(),
    formKeys: new MemoryFormKeyStore(),
  };
}
