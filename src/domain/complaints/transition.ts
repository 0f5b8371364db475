/**
 * One status change of a ticket, decided exclusively.
 *
 * Concurrency (why it is safe): the ticket is read and written under its lease
 * (`complaint:<id>`, a unique insert; see core/keyed-lock.ts), so two staff on two instances, or a
 * staff action and the reporter's withdrawal, cannot both move the ticket from the same state, on
 * MongoDB or on FerretDB (whose conditional updates are read-then-write). Every writer of `status`
 * goes through here. Idempotent by the action's key: a retried action finds its own history entry.
 */
import { PAUSED_STATUSES, type ComplaintStatus } from './catalog.js';
import type { ComplaintFields, ComplaintStore, TicketLock } from './store.js';
import type { ComplaintDoc, HistoryEntry, ThreadEntry } from './types.js';

export type TransitionResult =
  | { kind: 'applied'; complaint: ComplaintDoc; entry: HistoryEntry; repeated: boolean }
  | { kind: 'not-allowed'; current: ComplaintDoc };

export interface TransitionRequest {
  to: ComplaintStatus;
  /** Statuses the ticket may be in for the change to apply. */
  from: readonly ComplaintStatus[];
  entry: HistoryEntry;
  now: Date;
  /** Further fields to set, computed from the fresh document under the lease. */
  set?: (fresh: ComplaintDoc) => ComplaintFields;
  unset?: ReadonlyArray<'rating' | 'forward'>;
}

/**
 * Applies `req` to ticket `id`. The target clock pauses on entering a paused status
 * (`diteruskan`) and the resolution target moves by the paused time on leaving it.
 */
export async function applyTransition(deps: { store: ComplaintStore; lock: TicketLock }, id: ComplaintDoc['_id'], req: TransitionRequest): Promise<TransitionResult | null> {
  const { store, lock } = deps;
  return lock.with(id, async () => {
    const fresh = await store.byId(id);
    if (!fresh) return null;
    const mine = fresh.history.find((h) => h.key === req.entry.key);
    if (mine) return { kind: 'applied', complaint: fresh, entry: mine, repeated: true } as const;
    if (!req.from.includes(fresh.status)) return { kind: 'not-allowed', current: fresh } as const;

    const set: ComplaintFields = { status: req.to, updatedAt: req.now, ...(req.set?.(fresh) ?? {}) };
    const wasPaused = PAUSED_STATUSES.includes(fresh.status);
    const willPause = PAUSED_STATUSES.includes(req.to);
    if (!wasPaused && willPause) set.pausedAt = req.now;
    if (wasPaused && !willPause) {
      const pausedMs = fresh.pausedAt ? Math.max(0, req.now.getTime() - new Date(fresh.pausedAt).getTime()) : 0;
      if (set.resolutionDueAt === undefined) set.resolutionDueAt = new Date(new Date(fresh.resolutionDueAt).getTime() + pausedMs);
      set.pausedAt = null;
    }
    const updated = await store.update(id, { set, pushHistory: req.entry, ...(req.unset?.length ? { unset: req.unset } : {}) });
    return updated ? ({ kind: 'applied', complaint: updated, entry: req.entry, repeated: false } as const) : null;
  });
}

/**
 * Appends an entry to ticket `id`'s thread once: under the ticket's lease, a repeated key (a
 * redelivered message, a retried action) returns the entry already there. With `touchedAt`, the
 * ticket's `updatedAt` moves too.
 */
export async function appendThreadEntry(
  deps: { store: ComplaintStore; lock: TicketLock },
  id: ComplaintDoc['_id'],
  entry: ThreadEntry,
  touchedAt?: Date,
): Promise<{ complaint: ComplaintDoc; entry: ThreadEntry } | null> {
  return deps.lock.with(id, async () => {
    const fresh = await deps.store.byId(id);
    if (!fresh) return null;
    const mine = (fresh.thread ?? []).find((t) => t.key === entry.key);
    if (mine) return { complaint: fresh, entry: mine };
    const updated = await deps.store.update(id, { pushThread: entry, ...(touchedAt ? { set: { updatedAt: touchedAt } } : {}) });
    return updated ? { complaint: updated, entry } : null;
  });
}
