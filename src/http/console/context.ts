/**
 * What every console page gets: the services (`ConsoleContext`), the signed-in user of a request,
 * and small helpers to render a page, audit an action and act in the domain as that user.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { ContactModel } from '../../core/store/contacts.js';
import type { Viewer } from '../../domain/complaints/access.js';
import type { ComplaintsModule } from '../../features/complaints.js';
import type { AppModule } from '../../features/feature.js';
import type { AccountService } from './accounts/account-service.js';
import type { AuditEntry, AuditLog } from './accounts/audit.js';
import type { AccountDoc, SessionDoc } from '../../domain/staff-console/store.js';
import type { SessionStore } from './accounts/sessions.js';
import type { FormOnce } from './form-once.js';
import { seesConfidential, type Role } from './roles.js';

/** The signed-in user of a request. */
export interface ConsoleUser {
  account: AccountDoc;
  session: SessionDoc;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role that may use this console route, or `public` (sign-in, assets). Required. */
    role?: Role | 'public';
  }
  interface FastifyRequest {
    /** Set by the console's session hook; `null` when nobody is signed in. */
    consoleUser: ConsoleUser | null;
  }
}

/** The services console pages use. */
export interface ConsoleContext {
  config: Config;
  clock: () => Date;
  tz: string;
  logger: Logger;
  accounts: AccountService;
  sessions: SessionStore;
  audit: AuditLog;
  /** One-time form keys (forms whose action has no idempotency key of its own). */
  formOnce: FormOnce;
  /** Chat contacts (for linking accounts to staff chat identities). */
  contacts: ContactModel;
  /** The complaints feature, when it runs. */
  complaints: ComplaintsModule | undefined;
  modules: AppModule[];
}

/** The signed-in user; the role guard ran before any handler of a non-public route, so this is set there. */
export function userOf(req: FastifyRequest): ConsoleUser {
  const u = req.consoleUser;
  if (!u) throw new Error('console route without a signed-in user: is its config.role "public"?');
  return u;
}

/**
 * The user as the domain's `Viewer`: the linked chat identity when there is one (so the ticket
 * history shows the same person whether they acted in chat or on the web), otherwise the console
 * account on the local channel (`console:<username>`). Clearance for `rahasia` comes from the role.
 */
export function viewerOf(user: ConsoleUser): Viewer {
  const a = user.account;
  const base = a.link ? { channel: a.link.channel, userKey: a.link.userKey, chatId: a.link.chatId } : { channel: 'cli' as const, userKey: `console:${a._id}`, chatId: `console:${a._id}` };
  return { ...base, isStaff: true, name: a.name, console: { account: a._id, senior: seesConfidential(a.role) } };
}

/** Records an action by the request's user in the audit log. */
export function audit(ctx: ConsoleContext, req: FastifyRequest, e: Omit<AuditEntry, 'actor' | 'ip'>): Promise<void> {
  const u = req.consoleUser;
  return ctx.audit.record({ ...e, actor: u ? { account: u.account._id, name: u.account.name, role: u.account.role } : null, ip: req.ip });
}

/** Sends a rendered page. */
export function sendHtml(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/** Redirects after a POST (303: the browser follows with a GET). */
export function seeOther(reply: FastifyReply, to: string): FastifyReply {
  return reply.code(303).header('location', to).send();
}
