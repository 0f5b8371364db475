/**
 * The console's audit log: every action (sign-in, sign-out, lock-out, account changes, every
 * action on a ticket) with who, what, when, on what, and the state before and after.
 * Writing it is part of the action: if the row cannot be written the request fails (500).
 */
import type { AuditActor, AuditRecord, AuditStore } from '../../../domain/staff-console/store.js';

export type { AuditActor, AuditRecord };

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  ip?: string;
  via?: AuditRecord['via'];
}

export class AuditLog {
  constructor(
    private readonly store: AuditStore,
    private readonly clock: () => Date,
  ) {}

  async record(e: AuditEntry): Promise<void> {
    await this.store.append({
      at: this.clock(),
      actor: e.actor,
      via: e.via ?? 'web',
      action: e.action,
      ...(e.target !== undefined ? { target: e.target } : {}),
      ...(e.before !== undefined ? { before: e.before } : {}),
      ...(e.after !== undefined ? { after: e.after } : {}),
      ...(e.ip !== undefined ? { ip: e.ip } : {}),
    });
  }

  /** The newest rows, optionally for one target. */
  latest(opts: { target?: string; limit?: number; skip?: number } = {}): Promise<AuditRecord[]> {
    return this.store.latest({ ...(opts.target ? { target: opts.target } : {}), limit: opts.limit ?? 100, skip: opts.skip ?? 0 });
  }
}
