/**
 * The staff console at `/console`: one call, `registerConsole(http, deps)`, from app.ts.
 *
 * Everything under the prefix passes the same hooks, in this order:
 * 1. `onRoute` (at start): a route without `config.role` stops the start (fail closed).
 * 2. `onRequest`: the session cookie is resumed (idle expiry) and the role is checked on the
 *    server: not signed in → the sign-in page (GET) or 401; a role too low → 403 (audited).
 * 3. form bodies are parsed (`application/x-www-form-urlencoded`, 64 KB at most).
 * 4. `preHandler`: every state-changing request must carry the session's CSRF token (403, audited).
 * 5. `onSend`: security headers (CSP without inline script or style, frame-ancestors 'none', …).
 * See README.md in this folder for how to add a page.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { isDatabaseDown } from '../../core/errors.js';
import type { ContactModel } from '../../core/store/contacts.js';
import type { ConsoleStores } from '../../domain/staff-console/store.js';
import { isComplaintsModule } from '../../features/complaints.js';
import type { AppModule } from '../../features/feature.js';
import { AccountService } from './accounts/account-service.js';
import { AuditLog } from './accounts/audit.js';
import { SessionStore } from './accounts/sessions.js';
import { audit, sendHtml, seeOther, type ConsoleContext } from './context.js';
import { FormOnce } from './form-once.js';
import { messagePage } from './layout.js';
import { hasRole } from './roles.js';
import { accountRoutes } from './routes/accounts.js';
import { assetRoutes } from './routes/assets.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { complaintRoutes } from './routes/complaints.js';
import { forumRoutes } from './routes/forums.js';
import { questionRoutes } from './routes/questions.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { cookieNames, csrfOf, FORM_LIMIT_BYTES, isStateChanging, parseForm, readCookie, sameToken, securityHeaders } from './security.js';

/** What the console needs from the app. */
export interface ConsoleDeps {
  config: Config;
  /** The console's own storage (accounts, sessions, sign-in attempts, audit log, form keys). */
  stores: ConsoleStores;
  contacts: ContactModel;
  modules: AppModule[];
  clock: () => Date;
  logger: Logger;
}

/** Sign-in attempts from one address per window before it must wait (beyond the per-account lock-out). */
const IP_MAX_ATTEMPTS = 30;
const IP_WINDOW_MINUTES = 15;

/** Builds the console's services (also used by the `console:admin` command). */
export function createConsoleContext(deps: ConsoleDeps): ConsoleContext {
  const { config, stores, clock } = deps;
  return {
    config,
    clock,
    tz: config.tzDisplay,
    logger: deps.logger.child({ component: 'console' }),
    accounts: new AccountService({
      accounts: stores.accounts,
      attempts: stores.attempts,
      policy: { maxFailures: config.console.maxFailures, lockoutMinutes: config.console.lockoutMinutes, ipMaxAttempts: IP_MAX_ATTEMPTS, ipWindowMinutes: IP_WINDOW_MINUTES },
      clock,
    }),
    sessions: new SessionStore({ sessions: stores.sessions, clock, idleMinutes: config.console.idleMinutes }),
    audit: new AuditLog(stores.audit, clock),
    formOnce: new FormOnce(stores.formKeys, clock),
    contacts: deps.contacts,
    complaints: deps.modules.find(isComplaintsModule),
    modules: deps.modules,
  };
}

/** Registers the console under `/console`. */
export async function registerConsole(http: FastifyInstance, deps: ConsoleDeps): Promise<ConsoleContext> {
  const ctx = createConsoleContext(deps);
  await deps.stores.init();
  await http.register(
    async (app) => {
      consoleHooks(app, ctx);
      assetRoutes(app);
      authRoutes(app, ctx);
      app.get('/', { config: { role: 'staff' } }, (_req, reply) => seeOther(reply, '/console/complaints'));
      complaintRoutes(app, ctx);
      forumRoutes(app, ctx);
      questionRoutes(app, ctx);
      dashboardRoutes(app, ctx);
      accountRoutes(app, ctx);
      auditRoutes(app, ctx);
    },
    { prefix: '/console' },
  );
  return ctx;
}

function consoleHooks(app: FastifyInstance, ctx: ConsoleContext): void {
  const secure = ctx.config.console.secureCookies;
  const names = cookieNames(secure);
  const headers = securityHeaders(secure);

  app.addHook('onRoute', (route) => {
    if (!route.config?.role) throw new Error(`console route ${String(route.method)} ${route.url} has no config.role`);
  });

  app.decorateRequest('consoleUser', null);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    req.consoleUser = null;
    const token = readCookie(req, names.session);
    let expired = false;
    if (token) {
      const session = await ctx.sessions.resume(token);
      const account = session ? await ctx.accounts.get(session.account) : null;
      if (session && account && !account.disabled) req.consoleUser = { account, session };
      else {
        expired = true;
        if (session) await ctx.sessions.destroy(token);
      }
    }
    const role = req.routeOptions.config.role;
    if (role === 'public') return;
    const user = req.consoleUser;
    if (!user) {
      if (req.method === 'GET') {
        const next = encodeURIComponent(req.url.split('#')[0] ?? '/console');
        return seeOther(reply, `/console/login?next=${next}${expired ? '&msg=expired' : ''}`);
      }
      return sendHtml(reply, messagePage(null, 'Belum masuk', 'Silakan masuk dulu.'), 401);
    }
    // Unknown paths (the 404 handler) have no role: signed-in users get the 404 page.
    if (role && !hasRole(user.account.role, role)) {
      await audit(ctx, req, { action: 'forbidden', target: `path:${req.url.split('?')[0]}` });
      return sendHtml(reply, messagePage(user, 'Tidak diizinkan', 'Peran Anda tidak berhak membuka halaman ini.'), 403);
    }
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES }, (_req, body, done) => {
    done(null, parseForm(String(body)));
  });

  app.addHook('preHandler', async (req, reply) => {
    if (!isStateChanging(req.method) || req.routeOptions.config.role === 'public') return;
    const user = req.consoleUser;
    if (!user || !sameToken(csrfOf(req), user.session.csrf)) {
      await audit(ctx, req, { action: 'csrf.refused', target: `path:${req.url.split('?')[0]}` });
      return sendHtml(reply, messagePage(user, 'Formulir ditolak', 'Formulir ini kedaluwarsa atau tidak berasal dari konsol. Muat ulang halaman lalu coba lagi.'), 403);
    }
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(headers);
    return payload;
  });

  app.setNotFoundHandler({ preHandler: undefined }, (req, reply) => sendHtml(reply, messagePage(req.consoleUser, 'Tidak ditemukan', 'Halaman itu tidak ada.'), 404));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const ctxLog = { method: req.method, url: req.url.split('?')[0], err: err.message };
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendHtml(reply, messagePage(req.consoleUser, 'Terlalu besar', 'Isian terlalu panjang.'), 413);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendHtml(reply, messagePage(req.consoleUser, 'Tidak didukung', 'Jenis isian tidak didukung.'), 415);
    if (isDatabaseDown(err)) {
      req.log.error(ctxLog, 'console: database unavailable');
      return sendHtml(reply.header('retry-after', '5'), messagePage(req.consoleUser, 'Sedang gangguan', 'Basis data tidak dapat dihubungi. Coba lagi sebentar lagi.'), 503);
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      req.log.warn(ctxLog, 'console: client error');
      return sendHtml(reply, messagePage(req.consoleUser, 'Permintaan tidak valid', 'Permintaan tidak dapat diproses.'), err.statusCode);
    }
    req.log.error({ ...ctxLog, stack: err.stack }, 'console: unhandled error');
    return sendHtml(reply, messagePage(req.consoleUser, 'Terjadi kesalahan', 'Terjadi kesalahan di server. Kejadian ini sudah dicatat.'), 500);
  });
}
