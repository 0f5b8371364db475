/**
 * Delivers due reminders exactly once, from any number of service instances. Built of the
 * resident lane (reminder-resident-lane.ts), the staff lane (reminder-staff-lane.ts) and one
 * reconciler (reminder-reconciler.ts), sharing the attempt rules of reminder-delivery.ts.
 *
 * Why it is safe (the concurrency design):
 *
 * 1. Claim (one mechanism, resident and staff reminders alike): an attempt is claimed by inserting
 *    `<reminderId>:g<generation>:a<attempt>` into `forum_reminder_claims` (reminder-ledger.ts); the
 *    unique `_id` lets exactly one of any number of instances win, also on FerretDB whose updates
 *    are read-then-replace (no compare-and-set). The claim has a lease: if its holder dies before
 *    recording what it did, another instance deletes the expired claim (only if still as read)
 *    and claims again.
 * 2. Hand-off. The message is queued in the durable outbox under a key derived from the reminder:
 *    `forum-reminder:<id>:g<generation>:a<attempt>` (staff: `forum-staff:…` / `forum-digest:…`,
 *    one per staff chat). The outbox refuses a second message with the
 *    same key (unique index), so even a double claim (a lease that expired while its holder was
 *    merely slow) cannot queue a second copy: both holders produce the same key. Re-planning
 *    (the forum moved) bumps `generation` and a retry bumps `tries`; both make a new key only
 *    after the previous message can no longer be sent (a `failed` outbox item is never retried).
 * 3. Outcome. The holder inserts a result (handed off with its outbox keys, skipped, failed, retry)
 *    under the claim's `_id`. `reconcile()` (at the start of every run) reads the outbox's outcome of handed-off
 *    attempts by key and folds every finished attempt into `forum_reminders` in batches: sent,
 *    failed with the reason, or pending again with a backoff when another attempt may help.
 *
 * Cost (10,000 registrants due at once), shaped by what FerretDB's SQLite backend does: every
 * read walks its whole collection (one by `_id` about ten times faster than others, still in
 * proportion to the collection's size), every updated document costs such a walk, and only an
 * insert uses an index. So per reminder the hot path only inserts; per pass the runner reads the
 * due reminders, the open claims, and the registrations and contacts it needs with one query
 * each; `forum_reminders` changes a batch at a time (read, delete, insert; see
 * `ReminderLedger.fold`); outcomes come from the outbox's small report collection, not its log.
 * Each channel's lane hands messages over only while the outbox has room (`Notifier.whenRoom`):
 * queuing 10,000 at once would make every pass of the outbox over its queue 10,000 documents long.
 */
import { randomUUID } from 'node:crypto';
import { emptySummary, type RunSummary } from './reminder-delivery.js';
import type { LaneContext, ReminderRunnerOptions } from './reminder-options.js';
import { ReminderReconciler } from './reminder-reconciler.js';
import { ResidentLane } from './reminder-resident-lane.js';
import { StaffLane } from './reminder-staff-lane.js';
import { localDate, localHour } from './wib-time.js';

export type { ReminderRunnerOptions, RunSummary };

export class ReminderRunner {
  private readonly ctx: LaneContext;
  private readonly residents: ResidentLane;
  private readonly staff: StaffLane;
  private readonly reconciler: ReminderReconciler;

  constructor(private readonly o: ReminderRunnerOptions) {
    // pid + random: unique across instances and restarts, readable in the claims.
    const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
    this.ctx = { ...o, owner, leaseMs: o.leaseMs ?? 120_000, retryBaseMs: o.retryBaseMs ?? 5 * 60_000 };
    this.residents = new ResidentLane(this.ctx);
    this.staff = new StaffLane(this.ctx);
    this.reconciler = new ReminderReconciler(this.ctx);
  }

  /** Claims and delivers every reminder due at `now`; records outcomes of earlier hand-offs. */
  async runDueReminders(now: Date): Promise<RunSummary> {
    const s = emptySummary();
    await this.reconciler.reconcile(now, s);
    // Outcomes of what this run hands off are recorded by the next run's reconcile (the outbox is
    // still sending them now); reading them back here would only delay the run.
    await Promise.all([this.staff.run(now, s), this.residents.run(now, s)]);
    if (s.handedOff + s.sent + s.failed + s.skipped + s.retried > 0) this.o.logger.info({ ...s }, 'forum reminders run');
    return s;
  }

  /**
   * After a restart: overdue reminders of forums that already started (or were cancelled) are
   * marked skipped, a missed 07:00 digest is planned, and the rest is delivered now.
   */
  async recover(now: Date): Promise<RunSummary> {
    const replayed = await this.o.ledger.replayJournal();
    if (replayed > 0) this.o.logger.warn({ replayed }, 'forum reminders restored from an interrupted fold');
    await this.reconciler.reconcile(now);
    // Attempts still open (handed to the outbox, or claimed) are not stale: their outcome decides.
    const open = await this.o.ledger.open();
    const busy = [...new Set([...open.claims.values()].map((c) => String(c.reminderId)))];
    const ids = await this.o.reminders.overdueForums(now);
    if (ids.length > 0) {
      const gone = (await this.o.forums.find({ ids })).filter((f) => f.status === 'cancelled' || f.startAt.getTime() <= now.getTime());
      if (gone.length > 0) {
        const skipped = await this.o.reminders.skipUnhanded({ forumIds: gone.map((f) => f._id), except: busy }, 'stale');
        this.o.logger.info({ skipped }, 'stale forum reminders skipped after restart');
      }
    }
    const today = localDate(now, this.o.tz);
    await this.o.reminders.skipStaleDigests(today);
    if (localHour(now, this.o.tz) >= 7) await this.o.planner.planDigest(today, now);
    return this.runDueReminders(now);
  }

  /**
   * The 07:00 WIB job: plans today's digest (once, whichever instance is first) and delivers it.
   * Run at another hour (e.g. by hand) it plans nothing; `recover` covers a missed 07:00.
   */
  async runDailyDigest(now: Date): Promise<RunSummary> {
    if (localHour(now, this.o.tz) === 7) await this.o.planner.planDigest(localDate(now, this.o.tz), now);
    return this.runDueReminders(now);
  }

  /** Records what became of the attempts in flight (see reminder-reconciler.ts). */
  reconcile(now: Date, s: RunSummary = emptySummary()): Promise<RunSummary> {
    return this.reconciler.reconcile(now, s);
  }
}
