/**
 * The staff lane of the reminder runner: the attendance list before a forum and the 07:00 WIB
 * digest (a handful a day, no pacing). Each attempt is claimed by a lease taken with a unique
 * insert (`staff-reminder:<id>:g<generation>:a<attempt>` in `leases`), so one instance wins it on
 * FerretDB too; only the winner marks the reminder `sending` and queues one message per staff chat.
 */
import { retryTransient } from '../../db/retry.js';
import type { ForumDoc } from './forum-model.js';
import { digestText, staffReminderText, type ForumCounts } from './messages.js';
import type { RegistrationDoc } from './registration-model.js';
import { afterFailure, attemptNo, REPORT_TOPIC, skipReason, type RunSummary } from './reminder-delivery.js';
import type { ReminderDoc } from './reminder-model.js';
import type { LaneContext } from './reminder-options.js';
import { dueFilter } from './reminder-resident-lane.js';
import { localDate } from './wib-time.js';

const DAY = 24 * 3_600_000;

export class StaffLane {
  constructor(private readonly o: LaneContext) {}

  /** Staff reminders and digests: few, no pacing needed. */
  async run(now: Date, s: RunSummary): Promise<void> {
    for (;;) {
      const batch = await this.o.reminders
        .find({ kind: { $in: ['staff', 'digest'] }, ...dueFilter(now, this.o.clock()) })
        .sort({ nextAttemptAt: 1 })
        .limit(50)
        .lean<ReminderDoc[]>();
      if (batch.length === 0) return;
      let claimedAny = false;
      for (const candidate of batch) {
        const claimed = await this.claim(candidate);
        if (!claimed) continue;
        claimedAny = true;
        await this.deliverStaff(claimed, now, s);
      }
      if (!claimedAny) return;
    }
  }

  private async claim(c: ReminderDoc): Promise<ReminderDoc | null> {
    const t = this.o.clock();
    const fresh = c.status === 'pending';
    // The exclusive decision: FerretDB's conditional findOneAndUpdate below is read-then-write,
    // so two instances could both "win" it; the unique insert of the attempt's lease cannot.
    const attempt = fresh ? c.attempts + 1 : c.attempts;
    const lease = `staff-reminder:${String(c._id)}:g${c.generation}:a${attempt}`;
    if (!(await this.o.leases.acquire(lease, this.o.owner, this.o.leaseMs))) return null;
    return retryTransient(() => this.o.reminders
      .findOneAndUpdate(
        fresh
          ? { _id: c._id, status: 'pending', generation: c.generation, attempts: c.attempts }
          : { _id: c._id, status: 'sending', generation: c.generation, attempts: c.attempts, handedOffAt: null, leaseUntil: c.leaseUntil },
        {
          $set: { status: 'sending', leaseOwner: this.o.owner, leaseUntil: new Date(t.getTime() + this.o.leaseMs) },
          // A re-claim after an expired lease repeats the same attempt (same outbox key).
          ...(fresh ? { $inc: { attempts: 1 } } : {}),
        },
        { new: true },
      )
      .lean<ReminderDoc>());
  }

  private async deliverStaff(r: ReminderDoc, now: Date, s: RunSummary): Promise<void> {
    const targets = this.o.notifier.staffTargets;
    if (targets.length === 0) {
      await this.finish(r, 'skipped', 'no-staff-targets', undefined, s);
      return;
    }
    let text: string;
    if (r.kind === 'digest') {
      if (r.contactKey !== `staff:${localDate(now, this.o.tz)}`) {
        await this.finish(r, 'skipped', 'stale', undefined, s);
        return;
      }
      const digest = await this.digest(now);
      if (!digest) {
        await this.finish(r, 'skipped', 'nothing-to-report', undefined, s);
        return;
      }
      text = digest;
    } else {
      const forum = r.forumId ? await this.o.forums.findById(r.forumId).lean<ForumDoc>() : null;
      const why = skipReason(r, forum ?? undefined, undefined, now, this.o.residentOffsetsHours);
      if (why || !forum) {
        await this.finish(r, 'skipped', why ?? 'forum-cancelled', undefined, s);
        return;
      }
      const regs = await this.o.registrations.find({ forumId: forum._id, status: { $in: ['registered', 'waitlisted'] } }).lean<RegistrationDoc[]>();
      const attendees = regs.filter((x) => x.status === 'registered').sort((a, b) => a.name.localeCompare(b.name, 'id'));
      text = staffReminderText(forum, attendees, countsOf(regs), this.o.tz);
    }
    const key = `forum-${r.kind}:${String(r._id)}:g${r.generation}:a${attemptNo(r)}`;
    try {
      await this.o.notifier.toStaff([{ kind: 'text', text }], key, targets, REPORT_TOPIC);
    } catch (err) {
      await this.release(r, err, s);
      return;
    }
    await this.handedOff(r, targets.map((t) => `${key}:${t.channel}:${t.chatId}:0`), 'text', s);
  }

  /** The digest text, or undefined when no forum is planned in the next 7 days (nothing worth a message). */
  private async digest(now: Date): Promise<string | undefined> {
    const forums = await this.o.forums
      .find({ status: 'scheduled', startAt: { $gt: now, $lte: new Date(now.getTime() + 7 * DAY) } })
      .sort({ startAt: 1 })
      .lean<ForumDoc[]>();
    if (forums.length === 0) return undefined;
    const regs = forums.length
      ? await this.o.registrations.find({ forumId: { $in: forums.map((f) => f._id) }, status: { $in: ['registered', 'waitlisted'] } }, { forumId: 1, status: 1 }).lean<RegistrationDoc[]>()
      : [];
    return digestText(
      now,
      forums.map((forum) => ({ forum, counts: countsOf(regs.filter((r) => String(r.forumId) === String(forum._id))) })),
      this.o.tz,
    );
  }

  private held(r: ReminderDoc) {
    return { _id: r._id, generation: r.generation, leaseOwner: this.o.owner, status: 'sending' };
  }

  private async handedOff(r: ReminderDoc, keys: string[], via: 'text' | 'template', s: RunSummary): Promise<void> {
    const t = this.o.clock();
    const res = await retryTransient(() => this.o.reminders.updateOne(
      // Not conditional on status: if staff skipped it meanwhile, the message is queued anyway and
      // the record must say so. A new generation (forum moved) is a different reminder: leave it.
      { _id: r._id, generation: r.generation, leaseOwner: this.o.owner },
      { $set: { status: 'sending', handedOffAt: t, outboxKeys: keys, outcome: via === 'template' ? 'template' : 'queued', leaseUntil: null } },
    ));
    if (res.matchedCount === 0) this.o.logger.warn({ reminder: String(r._id) }, 'reminder changed while being queued; its message was queued under the old plan');
    s.handedOff += 1;
  }

  private async finish(r: ReminderDoc, status: 'sent' | 'failed' | 'skipped', outcome: string, lastError: { code: string; message: string } | undefined, s: RunSummary): Promise<void> {
    await retryTransient(() => this.o.reminders.updateOne(this.held(r), {
      $set: { status, outcome, leaseOwner: null, leaseUntil: null, ...(lastError ? { lastError } : {}) },
    }));
    s[status === 'sent' ? 'sent' : status === 'failed' ? 'failed' : 'skipped'] += 1;
  }

  /** Queuing failed (database hiccup): try again later, or record the failure after the last attempt. */
  private async release(r: ReminderDoc, err: unknown, s: RunSummary): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    this.o.logger.error({ reminder: String(r._id), attempt: attemptNo(r), err: message }, 'could not queue forum reminder');
    const next = afterFailure({ code: 'queue-error', message }, attemptNo(r), this.o.maxAttempts, this.o.clock(), this.o.retryBaseMs);
    if (next.status === 'failed') return this.finish(r, 'failed', next.outcome, next.lastError, s);
    await retryTransient(() => this.o.reminders.updateOne(this.held(r), {
      $set: { status: 'pending', tries: attemptNo(r), nextAttemptAt: next.nextAttemptAt, lastError: next.lastError, leaseOwner: null, leaseUntil: null },
    }));
    s.retried += 1;
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
