/**
 * Which outbox processes are alive, so a send claim left by a crashed process is taken over in
 * seconds rather than when the claim expires.
 *
 * Each outbox registers `outbox-owner:<uuid>` in `leases` (an insert) and renews it every
 * `HEARTBEAT_MS`; a clean stop deletes it. A claim whose owner has no live heartbeat is in doubt:
 * the message may or may not have reached the platform (the process died between the send and its
 * record), and it is sent again (at least once). Real time, not the injected clock: liveness is
 * about processes, and the heartbeats of two processes must be comparable.
 *
 * Why a heartbeat and not a shorter claim: a claim must outlast the longest send (the send
 * timeout) or a slow but live send would be repeated by another instance; the heartbeat tells a
 * dead owner from a slow one.
 */
import type { Logger } from 'pino';
import { retryTransient } from '../db/retry.js';
import { isDuplicateKey } from './errors.js';
import type { LeaseModel } from './store/leases.js';

export const HEARTBEAT_MS = 2000;
/**
 * A heartbeat older than this means its process is gone. Five missed beats: a process whose
 * database writes are slow under load must not be taken for dead (its sends would be repeated).
 */
export const OWNER_TTL_MS = 10_000;

export class OutboxOwners {
  private timer: NodeJS.Timeout | undefined;
  private registered: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly leases: LeaseModel,
    readonly owner: string,
    private readonly logger: Logger,
  ) {}

  private id(owner: string): string {
    return `outbox-owner:${owner}`;
  }

  /** Registers this process (once) and keeps its heartbeat going until `stop`. */
  ensureRegistered(): Promise<void> {
    this.registered ??= (async () => {
      try {
        await retryTransient(() => this.leases.create({ _id: this.id(this.owner), owner: this.owner, until: new Date(Date.now() + OWNER_TTL_MS) }));
      } catch (err) {
        if (!isDuplicateKey(err)) {
          this.registered = undefined;
          throw err;
        }
      }
      if (this.stopped) return;
      this.timer = setInterval(() => {
        retryTransient(() => this.leases.updateOne({ _id: this.id(this.owner) }, { $set: { until: new Date(Date.now() + OWNER_TTL_MS) } }, { upsert: true })).catch((err: unknown) =>
          this.logger.warn({ err }, 'outbox heartbeat failed'),
        );
      }, HEARTBEAT_MS);
      this.timer.unref();
    })();
    return this.registered;
  }

  /** True when `owner` is this process or has a heartbeat younger than `OWNER_TTL_MS`. */
  async isAlive(owner: string): Promise<boolean> {
    if (owner === this.owner) return !this.stopped;
    const doc = await retryTransient(() => this.leases.findById(this.id(owner)).lean());
    return doc !== null && new Date(doc.until).getTime() > Date.now();
  }

  /** Stops the heartbeat and removes it (others then take over at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.registered) {
      await this.registered.catch(() => undefined);
      await retryTransient(() => this.leases.deleteOne({ _id: this.id(this.owner) })).catch((err: unknown) => this.logger.warn({ err }, 'could not remove outbox heartbeat'));
    }
  }
}
