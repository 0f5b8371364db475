/**
 * Staff console: sign-in, lock-out, sessions, CSRF, roles, headers and the audit log, through the
 * real app's HTTP server (`inject`) on FerretDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleAdmin } from '../../src/console-admin.js';
import { accountModel, auditModel } from '../../src/store/console-models.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { ConsoleClient, createAccount, PASSWORD } from './console-support.js';

describe('Staff console: accounts and security', () => {
  let h: Harness;
  const auditRows = (action: string) => auditModel(h.app.conn).find({ action }).lean();

  beforeAll(async () => {
    h = await startHarness();
    await createAccount(h, 'admin', 'admin', { name: 'Admin Kantor' });
    await createAccount(h, 'sri', 'staff', { name: 'Sri Wahyuni' });
    await createAccount(h, 'locked', 'staff');
    await createAccount(h, 'idle', 'staff');
  });
  afterAll(async () => h.close());

  it('creates the first admin from the command line, with the password hashed by argon2id and the creation audited', async () => {
    const admin = await accountModel(h.app.conn).findById('admin').lean();
    expect(admin?.role).toBe('admin');
    expect(admin?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(admin?.passwordHash).not.toContain(PASSWORD);
    const rows = await auditModel(h.app.conn).find({ action: 'account.create', target: 'account:admin' }).lean();
    expect(rows[0]).toMatchObject({ via: 'cli', actor: null, after: { username: 'admin', role: 'admin' } });
    const out: string[] = [];
    expect(await consoleAdmin(['create', '--username', 'admin', '--name', 'Lagi'], h.app.config, { out: (l) => out.push(l), password: async () => PASSWORD })).toBe(1);
    expect(out.join()).toContain('sudah ada');
    expect(await consoleAdmin(['create', '--username', 'pendek', '--name', 'Pendek'], h.app.config, { out: (l) => out.push(l), password: async () => 'pendek' })).toBe(1);
    expect(out.join()).toContain('minimal 10 karakter');
  });

  it('sends a stranger to the sign-in page, which carries the security headers and no inline script or style', async () => {
    const c = new ConsoleClient(h);
    const res = await c.get('/console/audit');
    expect(res.statusCode).toBe(303);
    expect(res.headers['location']).toBe('/console/login?next=%2Fconsole%2Faudit');
    const login = await c.get('/console/login');
    expect(login.statusCode).toBe(200);
    const csp = String(login.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(login.headers['x-frame-options']).toBe('DENY');
    expect(login.headers['x-content-type-options']).toBe('nosniff');
    expect(login.headers['strict-transport-security']).toContain('max-age=');
    expect(login.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(login.body).not.toMatch(/\sstyle=|<style/);
    expect(login.body).toContain('Masuk ke konsol petugas');
    const htmx = await c.get('/console/assets/htmx.min.js');
    expect(htmx.statusCode).toBe(200);
    expect(htmx.body).toContain('htmx');
  });

  it('signs in with a session cookie that is http-only, Secure and SameSite, stored hashed, and audits it', async () => {
    const c = new ConsoleClient(h);
    const res = await c.signIn('sri');
    expect(res.statusCode).toBe(303);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] as string[]).find((s) => s.startsWith('__Host-gjm_console='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const token = decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!);
    const stored = await h.app.conn.collection('console_sessions').findOne({ account: 'sri' });
    expect(stored?.['_id']).not.toBe(token);
    expect((await auditRows('login')).some((r) => r.actor?.account === 'sri')).toBe(true);
    const page = await c.get('/console/password');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sri Wahyuni');
  });

  it('refuses a sign-in form without its CSRF token', async () => {
    const c = new ConsoleClient(h);
    await c.get('/console/login');
    const res = await c.post('/console/login', { username: 'sri', password: PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Formulir kedaluwarsa');
  });

  it('locks an account after five wrong passwords: then even the right one is refused, until the lock-out ends', async () => {
    const c = new ConsoleClient(h);
    for (let i = 1; i <= 4; i++) {
      const res = await c.signIn('locked', 'salah-salah-salah');
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Nama pengguna atau kata sandi salah');
    }
    const fifth = await c.signIn('locked', 'salah-salah-salah');
    expect(fifth.body).toContain('Akun dikunci 15 menit');
    const right = await c.signIn('locked');
    expect(right.statusCode).toBe(423);
    expect(right.body).toContain('sedang dikunci');
    expect((await auditRows('login.locked')).map((r) => r.target)).toContain('account:locked');
    h.clock.advanceMinutes(16);
    expect((await c.signIn('locked')).statusCode).toBe(303);
  });

  it('refuses a state-changing request without the session CSRF token, and audits the refusal', async () => {
    const c = new ConsoleClient(h);
    await c.signIn('sri');
    const bare = await c.post('/console/password', { current: PASSWORD, password: 'sandi-baru-yang-panjang' });
    expect(bare.statusCode).toBe(403);
    expect(bare.body).toContain('Formulir ditolak');
    const forged = await c.post('/console/logout', { _csrf: 'x'.repeat(43) });
    expect(forged.statusCode).toBe(403);
    expect((await auditRows('csrf.refused')).some((r) => r.actor?.account === 'sri')).toBe(true);
    const out = await c.submit('/console/password', '/console/logout', {});
    expect(out.statusCode).toBe(303);
    expect(out.headers['location']).toBe('/console/login?msg=signed-out');
  });

  it('authorises every page by role on the server: staff cannot open accounts or the audit log', async () => {
    const staff = new ConsoleClient(h);
    await staff.signIn('sri');
    expect((await staff.get('/console/accounts')).statusCode).toBe(403);
    expect((await staff.get('/console/audit')).statusCode).toBe(403);
    const post = await staff.submit('/console/password', '/console/accounts', { username: 'evil', name: 'Evil', role: 'admin', password: 'sandi-baru-yang-panjang' });
    expect(post.statusCode).toBe(403);
    expect(await accountModel(h.app.conn).findById('evil').lean()).toBeNull();
    expect((await auditRows('forbidden')).some((r) => r.actor?.account === 'sri' && r.target === 'path:/console/accounts')).toBe(true);
  });

  it('lets an admin add an account linked to a staff chat contact; the audit row has the after state and no password', async () => {
    const admin = new ConsoleClient(h);
    await admin.signIn('admin');
    const res = await admin.submit('/console/accounts', '/console/accounts', { username: 'budi', name: 'Budi Senior', role: 'senior', link: 'telegram:7000', password: 'sandi-budi-panjang' });
    expect(res.statusCode).toBe(303);
    const budi = await accountModel(h.app.conn).findById('budi').lean();
    expect(budi).toMatchObject({ role: 'senior', link: { channel: 'telegram', userKey: '7000', chatId: '7000' } });
    const row = (await auditModel(h.app.conn).find({ action: 'account.create', target: 'account:budi' }).lean())[0]!;
    expect(row.actor).toMatchObject({ account: 'admin', role: 'admin' });
    expect(JSON.stringify(row)).not.toContain('sandi-budi-panjang');
    expect(JSON.stringify(row)).not.toContain('argon2');
    const log = await admin.get('/console/audit');
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('account:budi');
  });

  it('ends a session after the idle time', async () => {
    const c = new ConsoleClient(h);
    await c.signIn('idle');
    expect((await c.get('/console/password')).statusCode).toBe(200);
    h.clock.advanceMinutes(31);
    const res = await c.get('/console/password');
    expect(res.statusCode).toBe(303);
    expect(res.headers['location']).toContain('msg=expired');
  });
});
