/**
 * Transient database conflicts and how to ride them out.
 *
 * Why: FerretDB's SQLite backend (the embedded default and the test database) answers
 * "database is locked (SQLITE_BUSY)" when two writers meet inside a read-then-write; MongoDB
 * answers WriteConflict (112) in rarer cases. Both succeed when simply tried again a moment later.
 */

export function isTransientDbError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; errorLabelSet?: Set<string> };
  if (e.code === 112) return true; // WriteConflict
  return typeof e.message === 'string' && /SQLITE_BUSY|database is locked/i.test(e.message);
}

/** Runs `fn`, retrying transient conflicts with jittered backoff (about 5 s in all by default). */
export async function retryTransient<T>(fn: () => Promise<T>, attempts = 10, baseMs = 15): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isTransientDbError(err)) throw err;
      const delay = Math.min(baseMs * 2 ** (i - 1), 1000) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
