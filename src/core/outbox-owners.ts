/**
 * Which outbox processes are alive, so a send claim left by a crashed process is taken over in
 * seconds rather than when the claim expires.
 *
 * Each outbox keeps `outbox-owner:<uuid>` in `leases` (an upsert by `_id`) with a heartbeat every
 * `HEARTBEAT_MS` while it has sends in flight, and for `IDLE_TAIL_MS` after the last one; a clean
 * stop deletes it. A claim whose owner has no live heartbeat is in doubt: the message may or may
 * not have reached the platform (the process died between the send and its record), and it is
 * sent again (at least once). Real time, not the injected clock: liveness is about processes, and
 * the heartbeats of two processes must be comparable.
 *
 * Why a heartbeat and not a shorter claim: a claim must outlast the longest send (the send
 * timeout) or a slow but live send would be repeated by another instance; the heartbeat tells a
 * dead owner from a slow one.
 *
 * Why only while busy (issue #11: an idle service sends at most 20 commands a minute): liveness
 * matters only for claims of attempts still running. Once this process has nothing in flight,
 * every claim it left is either recorded in the log (finished) or belongs to an attempt that ended
 * abnormally (in doubt either way), so letting the heartbeat lapse changes no decision of another
 * process. The cost is one upsert when work starts again after a quiet spell.
 */
import type { Logger } from 'pino';
import type { LeaseStore } from './leases.js';

export const HEARTBEAT_MS = 2000;
/**
 * A heartbeat older than this means its process is gone. Five missed beats: a process whose
 * database writes are slow under load must not be taken for dead (its sends would be repeated).
 */
export const OWNER_TTL_MS = 10_000;
/** The heartbeat goes on this long after the last send in flight ended. */
export const IDLE_TAIL_MS = 10_000;

export class OutboxOwners {
  private timer: NodeJS.Timeout | undefined;
  private registered: Promise<void> | undefined;
  private stopped = false;
  private inFlight = 0;
  private lastActive = 0;

  constructor(
    private readonly leases: LeaseStore,
    readonly owner: string,
    private readonly logger: Logger,
  ) {}

  private id(owner: string): string {
    return `outbox-owner:${owner}`;
  }

  private beat(): Promise<unknown> {
    return this.leases.put(this.id(this.owner), this.owner, new Date(Date.now() + OWNER_TTL_MS));
  }

  /** Registers this process (once per busy spell) and keeps its heartbeat going while busy. */
  ensureRegistered(): Promise<void> {
    this.lastActive = Date.now();
    this.registered ??= (async () => {
      try {
        await this.beat();
      } catch (err) {
        this.registered = undefined;
        throw err;
      }
      if (this.stopped) return;
      this.timer = setInterval(() => {
        if (this.inFlight === 0 && Date.now() - this.lastActive > IDLE_TAIL_MS) {
          // Quiet: let the heartbeat lapse (see the module comment); the next send registers again.
          clearInterval(this.timer);
          this.timer = undefined;
          this.registered = undefined;
          return;
        }
        this.beat().catch((err: unknown) => this.logger.warn({ err }, 'outbox heartbeat failed'));
      }, HEARTBEAT_MS);
      this.timer.unref();
    })();
    return this.registered;
  }

  /** Runs `work` (an attempt holding a claim) as in flight: the heartbeat lasts at least as long. */
  async busy<T>(work: () => Promise<T>): Promise<T> {
    await this.ensureRegistered();
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      this.lastActive = Date.now();
    }
  }

  /** True when `owner` is this process or has a heartbeat younger than `OWNER_TTL_MS`. */
  async isAlive(owner: string): Promise<boolean> {
    if (owner === this.owner) return !this.stopped;
    const doc = await this.leases.get(this.id(owner));
    return doc !== null && new Date(doc.until).getTime() > Date.now();
  }

  /** Stops the heartbeat and removes it (others then take over at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.registered) {
      await this.registered.catch(() => undefined);
      await this.leases.remove(this.id(this.owner)).catch((err: unknown) => this.logger.warn({ err }, 'could not remove outbox heartbeat'));
    }
  }
}
