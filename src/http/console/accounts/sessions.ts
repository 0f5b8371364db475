/**
 * Signed-in sessions, kept in the database (`ConsoleSessionStore`). The browser holds a random 256-bit token in an http-only,
 * SameSite=Lax cookie (Secure when served over https); the database holds only its SHA-256, so a
 * leaked copy of the collection signs nobody in. A session ends after `idleMinutes` without a
 * request, after 12 hours in any case, on sign-out, and when its account is disabled.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ConsoleSessionStore, SessionDoc } from '../../../domain/staff-console/store.js';

/** Hard limit of a session, however active. */
const MAX_AGE_MS = 12 * 3_600_000;
/** `lastSeenAt` is written at most this often (fewer writes; idle expiry is in minutes). */
const TOUCH_EVERY_MS = 30_000;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export const newToken = (): string => randomBytes(32).toString('base64url');

export class SessionStore {
  constructor(
    private readonly deps: {
      sessions: ConsoleSessionStore;
      clock: () => Date;
      idleMinutes: number;
    },
  ) {}

  /** Starts a session; returns the cookie token (shown once, never stored). */
  async create(account: string, ip: string): Promise<{ token: string; session: SessionDoc }> {
    const token = newToken();
    const now = this.deps.clock();
    const session: SessionDoc = { _id: digest(token), account, csrf: newToken(), createdAt: now, lastSeenAt: now, ip };
    await this.deps.sessions.insert(session);
    return { token, session };
  }

  /** The live session for a cookie token, renewed; `null` (and deleted) when expired. */
  async resume(token: string): Promise<SessionDoc | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const id = digest(token);
    const s = await this.deps.sessions.get(id);
    if (!s) return null;
    const now = this.deps.clock().getTime();
    const idleMs = this.deps.idleMinutes * 60_000;
    if (now - new Date(s.lastSeenAt).getTime() > idleMs || now - new Date(s.createdAt).getTime() > MAX_AGE_MS) {
      await this.deps.sessions.delete(id);
      return null;
    }
    if (now - new Date(s.lastSeenAt).getTime() > TOUCH_EVERY_MS) {
      const lastSeenAt = new Date(now);
      await this.deps.sessions.touch(id, lastSeenAt);
      return { ...s, lastSeenAt };
    }
    return s;
  }

  async destroy(token: string): Promise<void> {
    await this.deps.sessions.delete(digest(token));
  }

  /** Ends every session of an account (disabled, role or password changed). */
  async destroyAllOf(account: string): Promise<number> {
    return this.deps.sessions.deleteAllOf(account);
  }

  /** Deletes sessions idle past the limit (called now and then). */
  async prune(): Promise<void> {
    await this.deps.sessions.deleteIdleSince(new Date(this.deps.clock().getTime() - this.deps.idleMinutes * 60_000));
  }
}
