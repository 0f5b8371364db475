/**
 * Console accounts: creation (the first admin from the CLI, the others by an admin), sign-in with
 * lock-out after repeated wrong passwords, and the changes an admin makes (role, name, link to a
 * chat identity, disable, new password, unlock).
 */
import type { Role } from '../../../domain/staff-console/roles.js';
import type { AccountDoc, AccountPatch, AccountStore, LoginAttemptStore, StaffLink } from '../../../domain/staff-console/store.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

export interface LoginPolicy {
  /** Wrong passwords in a row before the account locks. */
  maxFailures: number;
  lockoutMinutes: number;
  /** Sign-in attempts from one address within `ipWindowMinutes` before it must wait. */
  ipMaxAttempts: number;
  ipWindowMinutes: number;
}

export type LoginResult =
  | { kind: 'ok'; account: AccountDoc }
  | { kind: 'wrong'; /** True when this failure locked the account. */ locked: boolean; known: boolean }
  | { kind: 'locked'; until: Date }
  | { kind: 'disabled' }
  | { kind: 'throttled' };

export type CreateResult = { kind: 'created'; account: AccountDoc } | { kind: 'exists' } | { kind: 'invalid'; problem: string };

/** Usernames: 3–32 lower-case letters, digits, dot, dash, underscore. */
export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,31}$/;

/** The fields an audit row shows of an account (never the hash). */
export function accountSnapshot(a: AccountDoc): Record<string, unknown> {
  return { username: a._id, name: a.name, role: a.role, disabled: a.disabled, link: a.link ? `${a.link.channel}:${a.link.userKey}` : null, lockedUntil: a.lockedUntil };
}

export class AccountService {
  constructor(
    private readonly deps: {
      accounts: AccountStore;
      attempts: LoginAttemptStore;
      policy: LoginPolicy;
      clock: () => Date;
    },
  ) {}

  count(): Promise<number> {
    return this.deps.accounts.count();
  }

  /** Every account, ordered by username. */
  list(): Promise<AccountDoc[]> {
    return this.deps.accounts.list();
  }

  get(username: string): Promise<AccountDoc | null> {
    return this.deps.accounts.get(String(username));
  }

  /** Creates an account; the username is taken by a unique insert, so two admins cannot both create it. */
  async create(input: { username: string; name: string; role: Role; password: string; link?: StaffLink | null }): Promise<CreateResult> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME_RE.test(username)) return { kind: 'invalid', problem: 'Nama pengguna 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.' };
    const name = input.name.trim();
    if (name.length < 2 || name.length > 80) return { kind: 'invalid', problem: 'Nama lengkap 2–80 karakter.' };
    const problem = passwordProblem(input.password);
    if (problem) return { kind: 'invalid', problem };
    const now = this.deps.clock();
    const doc: AccountDoc = {
      _id: username,
      name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      link: input.link ?? null,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.deps.accounts.insert(doc))) return { kind: 'exists' };
    return { kind: 'created', account: doc };
  }

  /**
   * Checks a username and password. Wrong passwords count up; at `maxFailures` the account locks
   * for `lockoutMinutes` (a correct password is refused while locked). Every attempt is recorded
   * for the per-address limit; an unknown username costs the same hashing time as a known one.
   */
  async login(usernameRaw: string, password: string, ip: string): Promise<LoginResult> {
    const { accounts, attempts, policy, clock } = this.deps;
    const now = clock();
    const username = usernameRaw.trim().toLowerCase().slice(0, 64);
    const since = new Date(now.getTime() - policy.ipWindowMinutes * 60_000);
    const recent = await attempts.countFailedSince(ip, since);
    if (recent >= policy.ipMaxAttempts) return { kind: 'throttled' };
    const record = (ok: boolean) => attempts.record({ ip, username, ok, at: now });

    const account = await accounts.get(username);
    if (!account) {
      await verifyPassword(await decoyHash(), password);
      await record(false);
      return { kind: 'wrong', locked: false, known: false };
    }
    if (account.lockedUntil && new Date(account.lockedUntil).getTime() > now.getTime()) {
      await record(false);
      return { kind: 'locked', until: new Date(account.lockedUntil) };
    }
    const ok = await verifyPassword(account.passwordHash, password);
    if (!ok) {
      await record(false);
      // Why read-then-write is enough here: two wrong passwords at the same instant may count as one,
      // which only delays a lock-out by one attempt; the per-address limit still holds.
      const failures = (account.lockedUntil ? 0 : account.failedLogins) + 1;
      const locks = failures >= policy.maxFailures;
      await accounts.patch(
        username,
        locks ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + policy.lockoutMinutes * 60_000), updatedAt: now } : { failedLogins: failures, lockedUntil: null, updatedAt: now },
      );
      return { kind: 'wrong', locked: locks, known: true };
    }
    if (account.disabled) {
      await record(false);
      return { kind: 'disabled' };
    }
    await record(true);
    await accounts.patch(username, { failedLogins: 0, lockedUntil: null });
    return { kind: 'ok', account: { ...account, failedLogins: 0, lockedUntil: null } };
  }

  /** Applies an admin's change; returns the account before and after, or null when it does not exist. */
  async update(username: string, change: Partial<Pick<AccountDoc, 'name' | 'role' | 'disabled' | 'link'>> & { unlock?: boolean }): Promise<{ before: AccountDoc; after: AccountDoc } | null> {
    const before = await this.get(username);
    if (!before) return null;
    const set: AccountPatch = { updatedAt: this.deps.clock() };
    if (change.name !== undefined) set.name = change.name;
    if (change.role !== undefined) set.role = change.role;
    if (change.disabled !== undefined) set.disabled = change.disabled;
    if (change.link !== undefined) set.link = change.link;
    if (change.unlock) Object.assign(set, { lockedUntil: null, failedLogins: 0 });
    const after = await this.deps.accounts.patchAndGet(before._id, set);
    return after ? { before, after } : null;
  }

  /** Sets a new password (admin reset or own change). Returns a problem text when refused. */
  async setPassword(username: string, password: string): Promise<string | null> {
    const problem = passwordProblem(password);
    if (problem) return problem;
    const found = await this.deps.accounts.patch(String(username), { passwordHash: await hashPassword(password), updatedAt: this.deps.clock(), failedLogins: 0, lockedUntil: null });
    return found ? null : 'Akun tidak ditemukan.';
  }

  /** Deletes sign-in attempts older than a day (called now and then). */
  async pruneAttempts(): Promise<void> {
    await this.deps.attempts.pruneBefore(new Date(this.deps.clock().getTime() - 86_400_000));
  }
}
