/**
 * The console's audit log: every action (sign-in, sign-out, lock-out, account changes, every
 * action on a ticket) with who, what, when, on what, and the state before and after.
 * Writing it is part of the action: if the row cannot be written the request fails (500).
 */
import type { AuditDoc, AuditModel } from './models.js';

/** Who acted, as recorded. */
export type AuditActor = AuditDoc['actor'];

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  ip?: string;
  via?: AuditDoc['via'];
}

export class AuditLog {
  constructor(
    private readonly model: AuditModel,
    private readonly clock: () => Date,
  ) {}

  async record(e: AuditEntry): Promise<void> {
    await this.model.create({
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

  /** The newest rows, optionally for one target or one action prefix. */
  async latest(opts: { target?: string; limit?: number; skip?: number } = {}): Promise<AuditDoc[]> {
    const filter: Record<string, unknown> = opts.target ? { target: opts.target } : {};
    return this.model
      .find(filter)
      .sort({ at: -1 })
      .skip(opts.skip ?? 0)
      .limit(opts.limit ?? 100)
      .lean<AuditDoc[]>();
  }
}
