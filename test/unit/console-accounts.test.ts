/**
 * The staff console's account rules on the in-memory storage ports: lock-out after wrong
 * passwords, the per-address limit, one account per username, idle session expiry, and forms
 * that act once. The same services run on MongoDB/FerretDB in test/e2e/console-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { AccountService, type LoginPolicy } from '../../src/http/console/accounts/account-service.js';
import { SessionStore } from '../../src/http/console/accounts/sessions.js';
import { FormOnce } from '../../src/http/console/form-once.js';
import { TestClock } from '../support/clock.js';
import { memoryConsoleStores } from '../support/memory-console-stores.js';

const PASSWORD = 'kata-sandi-rahasia-1';
const POLICY: LoginPolicy = { maxFailures: 3, lockoutMinutes: 15, ipMaxAttempts: 5, ipWindowMinutes: 10 };

async function setUp(policy: LoginPolicy = POLICY) {
  const clock = new TestClock();
  const stores = memoryConsoleStores();
  const accounts = new AccountService({ accounts: stores.accounts, attempts: stores.attempts, policy, clock: clock.now });
  const created = await accounts.create({ username: 'Sri', name: 'Sri Lestari', role: 'staff', password: PASSWORD });
  expect(created.kind).toBe('created');
  return { clock, stores, accounts };
}

describe('console accounts on the storage ports', () => {
  it('locks an account at the third wrong password; the right one is refused until the lock-out ends, then the count starts again', async () => {
    const { clock, stores, accounts } = await setUp();
    expect(await accounts.login('sri', 'salah-salah-1', '10.0.0.1')).toEqual({ kind: 'wrong', locked: false, known: true });
    expect(await accounts.login('sri', 'salah-salah-2', '10.0.0.2')).toEqual({ kind: 'wrong', locked: false, known: true });
    expect(await accounts.login('sri', 'salah-salah-3', '10.0.0.3')).toEqual({ kind: 'wrong', locked: true, known: true });

    const locked = await accounts.login('sri', PASSWORD, '10.0.0.4');
    expect(locked).toEqual({ kind: 'locked', until: new Date(clock.now().getTime() + 15 * 60_000) });

    clock.advanceMinutes(16);
    const ok = await accounts.login('SRI ', PASSWORD, '10.0.0.4');
    expect(ok.kind).toBe('ok');
    const stored = await stores.accounts.get('sri');
    expect(stored).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect(stores.attempts.rows.map((r) => r.ok)).toEqual([false, false, false, false, true]);
  });

  it('makes one address wait after too many failed attempts in the window, whatever the username', async () => {
    const { clock, accounts } = await setUp({ ...POLICY, maxFailures: 100 });
    for (const name of ['sri', 'budi', 'sri', 'tono', 'sri']) expect((await accounts.login(name, 'salah-salah-x', '10.0.0.9')).kind).toBe('wrong');
    expect(await accounts.login('sri', PASSWORD, '10.0.0.9')).toEqual({ kind: 'throttled' });
    expect((await accounts.login('sri', PASSWORD, '10.0.0.10')).kind).toBe('ok');
    clock.advanceMinutes(11);
    expect((await accounts.login('sri', PASSWORD, '10.0.0.9')).kind).toBe('ok');
  });

  it('refuses a second account with the same username and a disabled account with the right password', async () => {
    const { accounts } = await setUp();
    expect(await accounts.create({ username: 'sri', name: 'Sri Lain', role: 'admin', password: PASSWORD })).toEqual({ kind: 'exists' });
    expect((await accounts.get('sri'))?.role).toBe('staff');
    const changed = await accounts.update('sri', { disabled: true });
    expect(changed?.after.disabled).toBe(true);
    expect(await accounts.login('sri', PASSWORD, '10.0.0.1')).toEqual({ kind: 'disabled' });
  });

  it('ends a session after the idle limit and keeps an active one alive', async () => {
    const { clock, stores } = await setUp();
    const sessions = new SessionStore({ sessions: stores.sessions, clock: clock.now, idleMinutes: 30 });
    const { token, session } = await sessions.create('sri', '10.0.0.1');
    expect(stores.sessions.byId.has(token)).toBe(false); // only the token's digest is stored
    clock.advanceMinutes(25);
    expect((await sessions.resume(token))?._id).toBe(session._id);
    clock.advanceMinutes(25);
    expect((await sessions.resume(token))?.account).toBe('sri');
    clock.advanceMinutes(31);
    expect(await sessions.resume(token)).toBeNull();
    expect(stores.sessions.byId.size).toBe(0);
  });

  it('lets a form act once: a repeat sees the first result, a released key can be sent again', async () => {
    const { clock, stores } = await setUp();
    const once = new FormOnce(stores.formKeys, clock.now);
    const key = 'forum-create:0b7e8d2c-6a43-4f0e-9c1a-2d5b8e7f9a10';
    expect(await once.claim(key)).toEqual({ first: true });
    expect(await once.claim(key)).toEqual({ first: false, result: undefined });
    await once.done(key, 'forum-42');
    expect(await once.claim(key)).toEqual({ first: false, result: 'forum-42' });

    const failed = 'forum-create:5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    expect(await once.claim(failed)).toEqual({ first: true });
    await once.release(failed);
    expect(await once.claim(failed)).toEqual({ first: true });
  });
});
