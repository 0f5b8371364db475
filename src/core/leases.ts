/**
 * Leases on top of the `leases` collection.
 *
 * Concurrency (why it is safe): `acquire` inserts `{_id: name}`; the unique `_id` lets exactly
 * one contender succeed, on MongoDB and on FerretDB (whose updates are read-then-write and so are
 * no compare-and-set). An expired lease is deleted only if it still has the owner and expiry we
 * read, then the insert decides again between contenders.
 */

/** A lease as stored. */
export interface LeaseRecord {
  owner: string;
  until: Date;
}

/**
 * Where leases are kept, one record per name (core/store/leases.ts keeps them in `leases` on
 * MongoDB / FerretDB). Every method retries transient write conflicts itself. Only `insert` is
 * exclusive: the others are plain reads and writes (on FerretDB an update is read-then-write, no
 * compare-and-set), so whatever must be decided between contenders is decided by `insert`.
 */
export interface LeaseStore {
  /**
   * Creates the lease `name`; false when a lease of that name exists (held or expired). Decided
   * by a unique insert: of concurrent callers exactly one gets true.
   */
  insert(name: string, owner: string, until: Date): Promise<boolean>;
  /** The lease `name` as stored (expired or not), or null. */
  get(name: string): Promise<LeaseRecord | null>;
  /** Deletes `name` only when it still has exactly this owner and expiry (taking over an expired lease). */
  deleteIfUnchanged(name: string, held: LeaseRecord): Promise<void>;
  /** Moves the expiry of `name` to `until` when `owner` holds it; false when it has no such lease. */
  extend(name: string, owner: string, until: Date): Promise<boolean>;
  /** Deletes `name` when `owner` holds it; nothing otherwise. */
  delete(name: string, owner: string): Promise<void>;
  /** Deletes those of `names` that `owner` holds, in one command. */
  deleteMany(names: readonly string[], owner: string): Promise<void>;
  /**
   * Creates or overwrites `name` (an upsert). Not exclusive: only for a record with one writer
   * (a process's own heartbeat).
   */
  put(name: string, owner: string, until: Date): Promise<void>;
  /** Deletes `name` whoever holds it (a process removing its own heartbeat). */
  remove(name: string): Promise<void>;
}

export class Leases {
  constructor(
    private readonly store: LeaseStore,
    private readonly clock: () => Date,
  ) {}

  /** Takes `name` for `ms` milliseconds; false when someone else holds it. */
  async acquire(name: string, owner: string, ms: number): Promise<boolean> {
    for (let round = 0; round < 2; round++) {
      const now = this.clock();
      if (await this.store.insert(name, owner, new Date(now.getTime() + ms))) return true;
      const held = await this.store.get(name);
      if (held && held.until.getTime() > now.getTime()) return false;
      if (held) await this.store.deleteIfUnchanged(name, held);
    }
    return false;
  }

  /** Extends a lease we hold; false when it is no longer ours. */
  async renew(name: string, owner: string, ms: number): Promise<boolean> {
    return this.store.extend(name, owner, new Date(this.clock().getTime() + ms));
  }

  async release(name: string, owner: string): Promise<void> {
    await this.store.delete(name, owner);
  }

  /** Releases several leases of one owner in one statement. */
  async releaseMany(names: string[], owner: string): Promise<void> {
    await this.store.deleteMany(names, owner);
  }
}

/**
 * Leases this process keeps a moment after use (`lingerMs`), and takes again without a round trip
 * while they last; released together, one statement per batch.
 *
 * Why: a conversation's messages are serialised by its lease. Taking and releasing it for every
 * message costs two commands per message; a person who writes again within the moment reuses it,
 * and the releases of everyone who went quiet go out as one `deleteMany` (issue #11's hot path).
 * Another process wanting the lease waits at most `lingerMs` longer (it retries by itself).
 * The owner is this process (one id per instance), so a lease it still holds is known to be its
 * own; a lease used past half its time is renewed before the next message.
 */
export class LingeringLeases {
  private readonly held = new Map<string, { at: number; inUse: boolean; idleSince: number }>();
  private readonly deleting = new Set<string>();
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly leases: Leases,
    readonly owner: string,
    private readonly clock: () => Date,
    private readonly ms: number,
    private readonly lingerMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Takes `name` (or keeps it, when held and idle here); false when another process holds it. */
  async take(name: string): Promise<boolean> {
    while (this.deleting.has(name) && this.flushing) await this.flushing;
    const h = this.held.get(name);
    if (h && !h.inUse) {
      h.inUse = true;
      if (await this.keep(name)) return true;
      // No longer ours (expired and taken): contend afresh below.
    } else if (h) return false;
    if (!(await this.leases.acquire(name, this.owner, this.ms))) return false;
    this.held.set(name, { at: this.clock().getTime(), inUse: true, idleSince: 0 });
    return true;
  }

  /** Renews `name` when half its time is gone; false (and forgotten) when it is no longer ours. */
  async keep(name: string): Promise<boolean> {
    const h = this.held.get(name);
    if (!h) return false;
    const now = this.clock().getTime();
    if (now - h.at < this.ms / 2) return true;
    if (await this.leases.renew(name, this.owner, this.ms)) {
      h.at = now;
      return true;
    }
    this.held.delete(name);
    return false;
  }

  /**
   * True when `name` is held here and less than half its time has passed since it was taken or
   * renewed: no other process can have taken it meanwhile, even with clocks a little apart.
   */
  surelyHeld(name: string): boolean {
    const h = this.held.get(name);
    return h !== undefined && this.clock().getTime() - h.at < this.ms / 2;
  }

  /** Done with `name` for now: released after `lingerMs` unless taken again. */
  release(name: string): void {
    const h = this.held.get(name);
    if (!h) return;
    h.inUse = false;
    h.idleSince = Date.now();
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(false), this.lingerMs);
      this.timer.unref();
    }
  }

  /** Releases the idle leases (all of them with `all`, else those idle for `lingerMs`). */
  async flush(all = true): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    const cutoff = Date.now() - (all ? -1 : this.lingerMs - 5);
    const names = [...this.held].filter(([, h]) => !h.inUse && h.idleSince <= cutoff).map(([n]) => n);
    if (names.length > 0) {
      for (const n of names) this.deleting.add(n);
      this.flushing = this.leases
        .releaseMany(names, this.owner)
        .then(
          () => names.forEach((n) => this.held.delete(n)),
          (err: unknown) => this.onError(err), // they expire by themselves
        )
        .finally(() => {
          for (const n of names) this.deleting.delete(n);
          this.flushing = undefined;
        });
      await this.flushing;
    }
    if ([...this.held.values()].some((h) => !h.inUse) && !this.timer) {
      this.timer = setTimeout(() => void this.flush(false), this.lingerMs);
      this.timer.unref();
    }
  }
}
