/**
 * The staff lane of the reminder runner: the attendance list before a forum and the 07:00 WIB
 * digest (a handful a day, no pacing), one message per staff chat. Claimed, recorded and
 * reconciled exactly like resident reminders (the same ledger), so there is one claim mechanism.
 */
import { randomUUID } from 'node:crypto';
import { digestText, staffReminderText, type ForumCounts } from './messages.js';
import type { RegistrationDoc } from './registration-model.js';
import { afterFailure, attemptNo, REPORT_TOPIC, skipReason, type RunSummary } from './reminder-delivery.js';
import { claimId, type ResultDoc } from './reminder-ledger.js';
import type { ReminderDoc } from './reminder-model.js';
import type { LaneContext } from './reminder-options.js';
import { localDate } from './wib-time.js';

const DAY = 24 * 3_600_000;

export class StaffLane {
  constructor(private readonly o: LaneContext) {}

  /**
   * Staff reminders and digests: few, no pacing needed. Each attempt is claimed like a resident
   * one, by inserting its claim into the ledger (the unique `_id` lets one instance win, also on
   * FerretDB); the holder records what it did as a result, and the reconciler folds it.
   */
  async run(now: Date, s: RunSummary): Promise<void> {
    for (;;) {
      const t = this.o.clock();
      const [due, open] = await Promise.all([
        this.o.reminders.due(['staff', 'digest'], now, t, 50),
        this.o.ledger.open(),
      ]);
      let claimedAny = false;
      for (const r of due) {
        const held = open.claims.get(claimId(r));
        // Claimed, but its holder died before saying what it did: take it over (same outbox keys).
        const expired = held && !open.results.has(held._id) && held.until.getTime() < t.getTime() ? held : undefined;
        if (held && !expired) continue;
        const chunk = randomUUID();
        const until = new Date(this.o.clock().getTime() + this.o.leaseMs);
        const [won] = await this.o.ledger.claim([{ _id: claimId(r), reminderId: r._id, generation: r.generation, attempt: attemptNo(r), owner: this.o.owner, until, chunk }], expired ? [expired] : []);
        if (!won) continue;
        claimedAny = true;
        await this.o.ledger.record([{ _id: won._id, reminderId: r._id, chunk, ...(await this.deliver(r, now, s)) }]);
      }
      if (!claimedAny) return;
    }
  }

  /** Queues the attendance list or the digest to every staff chat (or decides not to); returns the result to record. */
  private async deliver(r: ReminderDoc, now: Date, s: RunSummary): Promise<Omit<ResultDoc, '_id' | 'reminderId' | 'chunk'>> {
    const skip = (outcome: string) => {
      s.skipped += 1;
      return { status: 'skipped' as const, outcome };
    };
    const targets = this.o.notifier.staffTargets;
    if (targets.length === 0) return skip('no-staff-targets');
    let text: string;
    if (r.kind === 'digest') {
      if (r.contactKey !== `staff:${localDate(now, this.o.tz)}`) return skip('stale');
      const digest = await this.digest(now);
      if (!digest) return skip('nothing-to-report');
      text = digest;
    } else {
      const forum = r.forumId ? await this.o.forums.get(r.forumId) : null;
      const why = skipReason(r, forum ?? undefined, undefined, now, this.o.residentOffsetsHours);
      if (why || !forum) return skip(why ?? 'forum-cancelled');
      const regs = await this.o.registrations.find({ forumIds: [forum._id], statuses: ['registered', 'waitlisted'] });
      const attendees = regs.filter((x) => x.status === 'registered').sort((a, b) => a.name.localeCompare(b.name, 'id'));
      text = staffReminderText(forum, attendees, countsOf(regs), this.o.tz);
    }
    const key = `forum-${r.kind}:${String(r._id)}:g${r.generation}:a${attemptNo(r)}`;
    try {
      await this.o.notifier.toStaff([{ kind: 'text', text }], key, targets, REPORT_TOPIC);
    } catch (err) {
      // Queuing failed (database hiccup): the shared failure decision says retry later or give up.
      const message = err instanceof Error ? err.message : String(err);
      this.o.logger.error({ reminder: String(r._id), attempt: attemptNo(r), err: message }, 'could not queue forum reminder');
      const next = afterFailure({ code: 'queue-error', message }, attemptNo(r), this.o.maxAttempts, this.o.clock(), this.o.retryBaseMs);
      if (next.status === 'failed') {
        s.failed += 1;
        return { status: 'failed', outcome: next.outcome, lastError: next.lastError };
      }
      s.retried += 1;
      return { status: 'retry', outcome: 'queue-error', lastError: next.lastError, nextAttemptAt: next.nextAttemptAt };
    }
    s.handedOff += 1;
    return { status: 'handed', outcome: 'queued', keys: targets.map((t) => `${key}:${t.channel}:${t.chatId}:0`) };
  }

  /** The digest text, or undefined when no forum is planned in the next 7 days (nothing worth a message). */
  private async digest(now: Date): Promise<string | undefined> {
    const forums = await this.o.forums.find({ status: 'scheduled', startsAfter: now, startsBy: new Date(now.getTime() + 7 * DAY), sort: 1 });
    if (forums.length === 0) return undefined;
    const regs = forums.length
      ? await this.o.registrations.find({ forumIds: forums.map((f) => f._id), statuses: ['registered', 'waitlisted'] })
      : [];
    return digestText(
      now,
      forums.map((forum) => ({ forum, counts: countsOf(regs.filter((r) => String(r.forumId) === String(forum._id))) })),
      this.o.tz,
    );
  }
}

function countsOf(regs: Array<Pick<RegistrationDoc, 'status' | 'attendedAt'>>): ForumCounts {
  const c: ForumCounts = { registered: 0, waitlisted: 0, cancelled: 0, attended: 0 };
  for (const r of regs) {
    c[r.status] += 1;
    if (r.attendedAt && r.status === 'registered') c.attended += 1;
  }
  return c;
}
