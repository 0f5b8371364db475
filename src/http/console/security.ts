/**
 * The console's protections that are not about accounts: cookies, security headers, form bodies
 * and the CSRF check. See README.md in this folder for how a page uses them.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Content Security Policy: only this origin's own files; no inline script or style anywhere (htmx
 * runs with its inline indicator styles and eval turned off, see layout.ts), no framing.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers on every console response. */
export function securityHeaders(secure: boolean): Record<string, string> {
  return {
    'content-security-policy': CSP,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/** Cookie names; `__Host-` (Secure, Path=/, no Domain) when served over https. */
export function cookieNames(secure: boolean): { session: string; login: string } {
  return secure ? { session: '__Host-gjm_console', login: '__Host-gjm_login' } : { session: 'gjm_console', login: 'gjm_login' };
}

/** Reads one cookie from the request. */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Sets (or with `value: null`, clears) an http-only, SameSite=Lax cookie on the whole site. */
export function setCookie(reply: FastifyReply, name: string, value: string | null, secure: boolean, maxAgeSeconds?: number): void {
  const parts = [`${name}=${value === null ? '' : encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  if (value === null) parts.push('Max-Age=0');
  else if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  const prev = reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev.map(String) : prev === undefined ? [] : [String(prev)];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}

/** A parsed `application/x-www-form-urlencoded` body: the last value of each field. */
export type FormBody = Record<string, string>;

/** Largest form accepted (a reply to a reporter is at most a few thousand characters). */
export const FORM_LIMIT_BYTES = 64 * 1024;

export function parseForm(body: string): FormBody {
  const out: FormBody = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/** The form fields of a request (empty when it had no form body). */
export function formOf(req: FastifyRequest): FormBody {
  const b = req.body;
  return b !== null && typeof b === 'object' && !Array.isArray(b) && !Buffer.isBuffer(b) ? (b as FormBody) : {};
}

/** Constant-time comparison of two tokens. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The CSRF token a request carries: the `_csrf` form field or the `X-CSRF-Token` header (htmx). */
export function csrfOf(req: FastifyRequest): string | undefined {
  const header = req.headers['x-csrf-token'];
  return formOf(req)['_csrf'] ?? (typeof header === 'string' ? header : undefined);
}

export const isStateChanging = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method);
