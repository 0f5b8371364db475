/**
 * Helpers for the staff console specs: accounts made with the real `console:admin` command, and a
 * signed-in "browser" for `inject` specs that keeps cookies and reads the CSRF token from pages.
 */
import { consoleAdmin } from '../../src/console-admin.js';
import type { Role } from '../../src/http/console/roles.js';
import type { Harness } from '../support/test-app.js';

export const PASSWORD = 'kata-sandi-rahasia-1';

/** Creates an account with `npm run console:admin -- create …` (the function behind it); fails loudly. */
export async function createAccount(h: Harness, username: string, role: Role, opts: { name?: string; link?: string; password?: string } = {}): Promise<void> {
  const lines: string[] = [];
  const argv = ['create', '--username', username, '--name', opts.name ?? `Petugas ${username}`, '--role', role, ...(opts.link ? ['--link', opts.link] : [])];
  const code = await consoleAdmin(argv, h.app.config, { out: (l) => lines.push(l), password: async () => opts.password ?? PASSWORD });
  if (code !== 0) throw new Error(`console:admin create ${username} failed: ${lines.join('\n')}`);
}

export interface Res {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
}

/** A cookie-keeping client over `inject`. */
export class ConsoleClient {
  private cookies = new Map<string, string>();
  constructor(private readonly h: Harness) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: { headers: Res['headers'] }): void {
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [String(set)] : []) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/Max-Age=0/.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string): Promise<Res> {
    const res = await this.h.app.http.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.keep(res);
    return { statusCode: res.statusCode, body: res.body, headers: res.headers };
  }

  /** GETs raw bytes (photos). */
  async getBytes(url: string): Promise<{ statusCode: number; body: Buffer; headers: Res['headers'] }> {
    const res = await this.h.app.http.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    return { statusCode: res.statusCode, body: res.rawPayload, headers: res.headers };
  }

  async post(url: string, form: Record<string, string>): Promise<Res> {
    const res = await this.h.app.http.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
    this.keep(res);
    return { statusCode: res.statusCode, body: res.body, headers: res.headers };
  }

  /** The CSRF token on a page (the hidden `_csrf` field). */
  static csrfIn(body: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(body);
    if (!m) throw new Error('no CSRF field on the page');
    return m[1]!;
  }

  /** Submits the sign-in form as a browser would; returns the POST's answer. */
  async signIn(username: string, password = PASSWORD): Promise<Res> {
    const form = await this.get('/console/login');
    return this.post('/console/login', { _csrf: ConsoleClient.csrfIn(form.body), username, password, next: '' });
  }

  /** GETs a page and POSTs a form with that page's CSRF token. */
  async submit(pageUrl: string, action: string, form: Record<string, string>): Promise<Res> {
    const page = await this.get(pageUrl);
    return this.post(action, { _csrf: ConsoleClient.csrfIn(page.body), ...form });
  }
}
