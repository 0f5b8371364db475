/**
 * Sign-in and sign-out. The sign-in form is protected against CSRF by a double-submit token
 * (a cookie and a hidden field that must match); every attempt is audited; wrong passwords count
 * towards the lock-out and the per-address limit (AccountService.login).
 */
import type { FastifyInstance } from 'fastify';
import { newToken } from '../accounts/sessions.js';
import { audit, sendHtml, seeOther, type ConsoleContext } from '../context.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { cookieNames, formOf, readCookie, sameToken, setCookie } from '../security.js';

/** Only local console paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/console(\/[A-Za-z0-9/_\-.?=&%]*)?$/.test(next) && !next.startsWith('//') ? next : '/console';
}

function loginPage(token: string, opts: { next?: string; error?: string; username?: string; flash?: string | undefined }): string {
  return page({
    title: 'Masuk',
    user: null,
    flash: opts.flash,
    ...(opts.error ? { message: { text: opts.error, kind: 'error' as const } } : {}),
    body: html`<section class="card narrow">
  <h1>Masuk ke konsol petugas</h1>
  <form method="post" action="/console/login" autocomplete="on">
    <input type="hidden" name="_csrf" value="${token}">
    <input type="hidden" name="next" value="${opts.next ?? ''}">
    <label for="username">Nama pengguna</label>
    <input type="text" id="username" name="username" value="${opts.username ?? ''}" autocomplete="username" autocapitalize="none" required>
    <label for="password">Kata sandi</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
    <div class="actions"><button type="submit">Masuk</button></div>
  </form>
</section>`,
  });
}

export function authRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const secure = ctx.config.console.secureCookies;
  const names = cookieNames(secure);

  app.get<{ Querystring: { next?: string; msg?: string } }>('/login', { config: { role: 'public' } }, (req, reply) => {
    if (req.consoleUser) return seeOther(reply, safeNext(req.query.next));
    const token = newToken();
    setCookie(reply, names.login, token, secure, 3600);
    return sendHtml(reply, loginPage(token, { next: safeNext(req.query.next), flash: req.query.msg }));
  });

  app.post('/login', { config: { role: 'public' } }, async (req, reply) => {
    const form = formOf(req);
    const cookieToken = readCookie(req, names.login);
    // A fresh form token for the page shown again (the cookie is renewed with it).
    const again = (status: number, error: string) => {
      const token = newToken();
      setCookie(reply, names.login, token, secure, 3600);
      return sendHtml(reply, loginPage(token, { error, next: safeNext(form['next']), username: form['username'] ?? '' }), status);
    };
    if (!sameToken(form['_csrf'], cookieToken)) {
      await audit(ctx, req, { action: 'login.csrf-refused', target: `account:${(form['username'] ?? '').slice(0, 64)}` });
      return again(403, 'Formulir kedaluwarsa. Silakan coba masuk lagi.');
    }
    const username = (form['username'] ?? '').trim().toLowerCase();
    const r = await ctx.accounts.login(username, form['password'] ?? '', req.ip);
    const target = `account:${username.slice(0, 64)}`;
    switch (r.kind) {
      case 'ok': {
        const { token } = await ctx.sessions.create(r.account._id, req.ip);
        setCookie(reply, names.session, token, secure);
        setCookie(reply, names.login, null, secure);
        req.consoleUser = null;
        await ctx.audit.record({ actor: { account: r.account._id, name: r.account.name, role: r.account.role }, action: 'login', target, ip: req.ip });
        // Sign-ins are few: each one also clears attempts older than a day and sessions gone idle.
        await Promise.all([ctx.accounts.pruneAttempts(), ctx.sessions.prune()]);
        return seeOther(reply, safeNext(form['next']));
      }
      case 'wrong':
        await audit(ctx, req, { action: r.locked ? 'login.locked' : 'login.failed', target });
        if (r.locked) await ctx.sessions.destroyAllOf(username);
        return again(401, r.locked ? `Terlalu banyak kata sandi salah. Akun dikunci ${ctx.config.console.lockoutMinutes} menit.` : 'Nama pengguna atau kata sandi salah.');
      case 'locked':
        await audit(ctx, req, { action: 'login.refused-locked', target });
        return again(423, 'Akun ini sedang dikunci karena terlalu banyak kata sandi salah. Coba lagi nanti atau hubungi admin.');
      case 'disabled':
        await audit(ctx, req, { action: 'login.refused-disabled', target });
        return again(403, 'Akun ini dinonaktifkan. Hubungi admin.');
      case 'throttled':
        await audit(ctx, req, { action: 'login.throttled', target });
        return again(429, 'Terlalu banyak percobaan masuk dari alamat ini. Tunggu beberapa menit.');
    }
  });

  app.post('/logout', { config: { role: 'staff' } }, async (req, reply) => {
    const token = readCookie(req, names.session);
    await audit(ctx, req, { action: 'logout' });
    if (token) await ctx.sessions.destroy(token);
    setCookie(reply, names.session, null, secure);
    return seeOther(reply, '/console/login?msg=signed-out');
  });
}
