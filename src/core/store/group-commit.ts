/**
 * Group commit: many writers, few round trips.
 *
 * Why (issue #11): under load, concurrent webhooks and finishing sends each used to cost their own
 * round trip per step, and on FerretDB every statement also contends with every other write.
 * Here a write is queued; while one batch is in flight the next ones gather, and the gathered ones
 * go out as one statement when it returns (no timer on this path, so a lone write is not delayed).
 * `LazyBatch` is the deferred variant for bookkeeping nobody waits for (releasing leases, marking
 * inbox items done, deleting sent messages from the queue): it gathers for a short window first.
 */

/** Batches of `submit`ted items written by `write`, one batch in flight at a time. */
export class GroupCommit<T, R> {
  private pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private running = false;

  /** `write` returns one result per item, in order. */
  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || this.pending.length === 0) return;
    this.running = true;
    const batch = this.pending.splice(0, this.maxBatch);
    this.write(batch.map((b) => b.item))
      .then(
        (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.running = false;
        this.pump();
      });
  }
}

/**
 * Items gathered for `windowMs` (or until `maxBatch`), then written together by `write`. A failed
 * write is reported to `onError` and its items are kept for the next one.
 */
export class LazyBatch<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly windowMs = 1000,
    private readonly maxBatch = 1000,
  ) {}

  /** Items not written yet. */
  get size(): number {
    return this.items.length;
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.windowMs);
      this.timer.unref();
    }
  }

  /** Writes what is gathered now (and waits for a write in flight). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.flushing = this.write(items)
      .catch((err: unknown) => {
        this.items = items.concat(this.items);
        this.onError(err);
        // Try again later (the database may be down): not at once, not never.
        if (!this.timer) {
          this.timer = setTimeout(() => void this.flush(), this.windowMs * 5);
          this.timer.unref();
        }
      })
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }
}

/** The indexes of an unordered insert's documents refused as duplicates; undefined for any other error. */
export function duplicateIndexes(err: unknown): Set<number> | undefined {
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? (writeErrors as Array<{ index?: number; code?: number; err?: { code?: number; index?: number } }>) : undefined;
  // A bulk error without write errors (the connection failed) is no duplicate.
  if (!list?.length) return (err as { code?: unknown }).code === 11000 ? new Set([0]) : undefined;
  const out = new Set<number>();
  for (const e of list) {
    if ((e.code ?? e.err?.code) !== 11000) return undefined;
    out.add(e.index ?? e.err?.index ?? -1);
  }
  return out;
}

/**
 * A group commit of inserts on a unique `_id` (claims, log records, queued messages): each
 * `submit` resolves true when its document was written, false when its `_id` was there already.
 * A transient conflict retries the whole batch; a document its first try wrote then counts as
 * there already, which every caller treats as the safe case (a claim in doubt is sent again at
 * least once; a record or a queued copy there already is what was wanted).
 */
export function insertCommit<T extends { _id: string }>(
  insertMany: (docs: T[]) => Promise<unknown>,
  retry: <R>(fn: () => Promise<R>) => Promise<R>,
): GroupCommit<T, boolean> {
  return new GroupCommit<T, boolean>(async (docs) => {
    const dup = await retry(async () => {
      try {
        await insertMany(docs);
        return new Set<number>();
      } catch (err) {
        const d = duplicateIndexes(err);
        if (d) return d;
        throw err;
      }
    });
    return docs.map((_, i) => !dup.has(i));
  });
}
