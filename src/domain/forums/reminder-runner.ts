/**
 * Delivers due reminders exactly once, from any number of service instances.
 *
 * Why it is safe (the concurrency design):
 *
 * 1. Claim. Resident reminders: an attempt is claimed by inserting `<reminderId>:g<generation>:a<attempt>`
 *    into `forum_reminder_claims` (reminder-ledger.ts); the unique `_id` lets exactly one of any
 *    number of instances win, also on FerretDB whose updates are read-then-replace (no
 *    compare-and-set). The claim has a lease: if its holder dies before recording what it did,
 *    another instance deletes the expired claim (only if still as read) and claims again.
 *    Staff reminders (a handful) are claimed by taking the lease `staff-reminder:<id>:g<generation>:a<attempt>`
 *    in `leases` (again a unique insert; an expired lease of a dead holder can be taken over),
 *    and only the winner then marks the reminder `sending`.
 * 2. Hand-off. The message is queued in the durable outbox under a key derived from the reminder:
 *    `forum-reminder:<id>:g<generation>:a<attempt>`. The outbox refuses a second message with the
 *    same key (unique index), so even a double claim (a lease that expired while its holder was
 *    merely slow) cannot queue a second copy: both holders produce the same key. Re-planning
 *    (the forum moved) bumps `generation` and a retry bumps `tries`; both make a new key only
 *    after the previous message can no longer be sent (a `failed` outbox item is never retried).
 * 3. Outcome. The holder inserts a result (handed off, skipped, failed, retry) under the claim's
 *    `_id`. `reconcile()` (at the start of every run) reads the outbox's outcome of handed-off
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
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Notifier, NotifyOutcome } from '../../core/notifier.js';
import { contactId, type ContactDoc, type ContactModel } from '../../core/store/contacts.js';
import { retryTransient } from '../../db/retry.js';
import type { Channel } from '../../core/messages.js';
import { maskId } from '../../logging/mask.js';
import type { ForumDoc, ForumModel } from './forum-model.js';
import { digestText, residentReminder, reminderTemplateParams, staffReminderText, type ForumCounts } from './messages.js';
import type { MessageState, OutboxOutcomes } from '../../core/outbox-outcomes.js';
import type { RegistrationDoc, RegistrationModel } from './registration-model.js';
import { finalFailure, retryDelayMs } from './reminder-delivery.js';
import type { ReminderDoc, ReminderModel } from './reminder-model.js';
import type { Leases } from '../../core/leases.js';
import { claimId, type ClaimDoc, type Fold, type ReminderLedger, type ResultDoc } from './reminder-ledger.js';
import type { ReminderPlanner } from './reminder-plan.js';
import { localDate, localHour } from './wib-time.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LANES: Channel[] = ['whatsapp', 'telegram', 'cli'];
/** The outbox reports the outcome of every reminder message under this topic. */
const REPORT_TOPIC = 'forum-reminders';

export interface ReminderRunnerOptions {
  forums: ForumModel;
  registrations: RegistrationModel;
  reminders: ReminderModel;
  /** Read only: contacts (where to send, blocked, WhatsApp window). */
  contacts: ContactModel;
  /** Read only: outcomes of handed-off reminders. */
  outcomes: OutboxOutcomes;
  /** Claims, results and batched folds of resident reminders. */
  ledger: ReminderLedger;
  /** Exclusive claims of staff reminder attempts. */
  leases: Leases;
  planner: ReminderPlanner;
  notifier: Notifier;
  logger: Logger;
  clock: () => Date;
  tz: string;
  /** Approved WhatsApp template for reminders outside the 24-hour window. */
  template: { name: string; language: string };
  /** Attempts per reminder before it is recorded failed. */
  maxAttempts: number;
  /** Resident reminder offsets (hours before), to tell when a smaller one supersedes a larger. */
  residentOffsetsHours: number[];
  /** Claim lease (default 2 minutes). */
  leaseMs?: number;
  /** First retry delay after a failed attempt (default 5 minutes; doubles). */
  retryBaseMs?: number;
}

/** What one run did (for logs and tests). */
export interface RunSummary {
  handedOff: number;
  sent: number;
  failed: number;
  skipped: number;
  retried: number;
}

/** A due reminder to claim; `expired`: a claim on it whose holder died. */
interface Todo {
  r: ReminderDoc;
  expired?: ClaimDoc;
}

interface Target {
  forum: ForumDoc | undefined;
  registration: RegistrationDoc | undefined;
  contact: Pick<ContactDoc, 'chatId' | 'blocked' | 'lastInboundAt'> | null;
}

/** Due reminders read per pass, and claimed per chunk (one insert of claims, one of results). */
const PASS = 20_000;
const CHUNK = 100;


export class ReminderRunner {
  private readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly leaseMs: number;
  private readonly retryBaseMs: number;

  constructor(private readonly o: ReminderRunnerOptions) {
    this.leaseMs = o.leaseMs ?? 120_000;
    this.retryBaseMs = o.retryBaseMs ?? 5 * 60_000;
  }

  /** Claims and delivers every reminder due at `now`; records outcomes of earlier hand-offs. */
  async runDueReminders(now: Date): Promise<RunSummary> {
    const s: RunSummary = { handedOff: 0, sent: 0, failed: 0, skipped: 0, retried: 0 };
    await this.reconcile(now, s);
    // Outcomes of what this run hands off are recorded by the next run's reconcile (the outbox is
    // still sending them now); reading them back here would only delay the run.
    await Promise.all([this.staffLane(now, s), this.residentReminders(now, s)]);
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
    await this.reconcile(now);
    // Attempts still open (handed to the outbox, or claimed) are not stale: their outcome decides.
    const open = await this.o.ledger.open();
    const busy = [...new Set([...open.claims.values()].map((c) => String(c.reminderId)))];
    const overdue = await this.o.reminders
      .find({ status: { $in: ['pending', 'sending'] }, kind: { $in: ['resident', 'staff'] }, nextAttemptAt: { $lte: now } }, { forumId: 1 })
      .lean<Array<{ forumId: Types.ObjectId }>>();
    const ids = [...new Set(overdue.map((r) => String(r.forumId)))];
    if (ids.length > 0) {
      const gone = await this.o.forums
        .find({ _id: { $in: ids }, $or: [{ status: 'cancelled' }, { startAt: { $lte: now } }] }, { _id: 1 })
        .lean<Array<{ _id: Types.ObjectId }>>();
      if (gone.length > 0) {
        const res = await this.o.reminders.updateMany(
          { forumId: { $in: gone.map((f) => f._id) }, _id: { $nin: busy }, $or: [{ status: 'pending' }, { status: 'sending', handedOffAt: null }] },
          { $set: { status: 'skipped', outcome: 'stale', leaseOwner: null, leaseUntil: null } },
        );
        this.o.logger.info({ skipped: res.modifiedCount }, 'stale forum reminders skipped after restart');
      }
    }
    const today = localDate(now, this.o.tz);
    await this.o.reminders.updateMany(
      { kind: 'digest', status: 'pending', contactKey: { $ne: `staff:${today}` } },
      { $set: { status: 'skipped', outcome: 'stale' } },
    );
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

  // ---- lanes -------------------------------------------------------------------------------

  private dueFilter(now: Date, t: Date): Record<string, unknown> {
    return {
      $or: [
        { status: 'pending', nextAttemptAt: { $lte: now } },
        { status: 'sending', handedOffAt: null, leaseUntil: { $lt: t } },
      ],
    };
  }

  /**
   * Resident reminders: one read of what is due (all channels), one of the open claims, and for
   * a big pass one of the registrations and contacts; then one lane per channel hands its share to
   * the outbox at the pace the channel sends (`Notifier.whenRoom`). Repeats until nothing due is
   * left unclaimed (more may fall due, or a dead holder's claim expire, during a long pass).
   */
  private async residentReminders(now: Date, s: RunSummary): Promise<void> {
    const forums = new Map<string, ForumDoc | undefined>();
    for (;;) {
      const t = this.o.clock();
      const [due, open] = await Promise.all([
        retryTransient(() => this.o.reminders
          .find({ kind: 'resident', ...this.dueFilter(now, t) })
          .sort({ nextAttemptAt: 1 })
          .limit(PASS)
          .lean<ReminderDoc[]>()),
        this.o.ledger.open(),
      ]);
      const todo: Todo[] = [];
      for (const r of due) {
        const c = open.claims.get(claimId(r));
        if (!c) todo.push({ r });
        // Claimed, but its holder died before saying what it did: take it over (same outbox key).
        else if (!open.results.has(c._id) && c.until.getTime() < t.getTime()) todo.push({ r, expired: c });
      }
      if (todo.length === 0) return;
      // Two instances read the same due list: each starts at a different place to collide less.
      rotate(todo, Math.floor(Math.random() * todo.length));
      // A big pass (a fan-out) loads every registration and contact it needs with one read each,
      // instead of one per chunk; a small one loads per chunk (fewer documents read).
      const preloaded = todo.length > CHUNK ? await this.loadTargets(todo.map((x) => x.r), forums, true) : undefined;
      const claimed = await Promise.all(LANES.map((c) => this.residentLane(c, todo.filter((x) => x.r.channel === c), preloaded, forums, now, s)));
      if (!claimed.some(Boolean)) return; // everything left was taken by another instance meanwhile
    }
  }

  /** Claims and hands off one channel's share of a pass, a chunk at a time. Returns whether it claimed any. */
  private async residentLane(channel: Channel, todo: Todo[], preloaded: Map<string, Target> | undefined, forums: Map<string, ForumDoc | undefined>, now: Date, s: RunSummary): Promise<boolean> {
    let claimedAny = false;
    for (let i = 0; i < todo.length; i += CHUNK) {
      const t0 = performance.now();
      const part = todo.slice(i, i + CHUNK);
      const until = new Date(this.o.clock().getTime() + this.leaseMs);
      const chunk = randomUUID();
      const won = await this.o.ledger.claim(
        part.map(({ r }) => ({ _id: claimId(r), reminderId: r._id, generation: r.generation, attempt: attemptNo(r), owner: this.owner, until, chunk })),
        part.flatMap((p) => (p.expired ? [p.expired] : [])),
      );
      if (won.length === 0) continue;
      claimedAny = true;
      const wonIds = new Set(won.map((c) => c._id));
      const docs = part.map((p) => p.r).filter((r) => wonIds.has(claimId(r)));
      const t1 = performance.now();
      const targets = preloaded ? await this.withFreshForums(docs, preloaded) : await this.loadTargets(docs, forums);
      const t2 = performance.now();
      const results: ResultDoc[] = [];
      await runLimited(docs, 16, async (r) => {
        const target = targets.get(String(r._id)) ?? { forum: undefined, registration: undefined, contact: null };
        results.push({ ...this.resultOf(r, await this.deliverResident(r, target, now), s), chunk });
      });
      const t3 = performance.now();
      await this.o.ledger.record(results);
      this.o.logger.debug({ channel, n: docs.length, claimMs: Math.round(t1 - t0), loadMs: Math.round(t2 - t1), deliverMs: Math.round(t3 - t2), recordMs: Math.round(performance.now() - t3) }, 'reminder chunk');
    }
    return claimedAny;
  }

  /** The result to record for a claimed resident reminder. */
  private resultOf(r: ReminderDoc, d: Decision, s: RunSummary): ResultDoc {
    const base = { _id: claimId(r), reminderId: r._id };
    if (d.what === 'handed') {
      s.handedOff += 1;
      return { ...base, status: 'handed', outcome: d.outcome };
    }
    if (d.what !== 'error') {
      s[d.what] += 1;
      return d.what === 'skipped'
        ? { ...base, status: 'skipped', outcome: d.outcome }
        : { ...base, status: 'failed', outcome: d.outcome, lastError: { code: d.outcome, message: `not sent: ${d.outcome}` } };
    }
    // Queuing failed (database hiccup): try again later, or record the failure after the last attempt.
    const message = d.err instanceof Error ? d.err.message : String(d.err);
    this.o.logger.error({ reminder: String(r._id), attempt: attemptNo(r), err: message }, 'could not queue forum reminder');
    const lastError = { code: 'queue-error', message };
    if (attemptNo(r) >= this.o.maxAttempts) {
      s.failed += 1;
      return { ...base, status: 'failed', outcome: 'max-attempts', lastError };
    }
    s.retried += 1;
    return { ...base, status: 'retry', outcome: 'queue-error', lastError, nextAttemptAt: new Date(this.o.clock().getTime() + retryDelayMs(attemptNo(r), this.retryBaseMs)) };
  }

  /** Staff reminders and digests: few, no pacing needed. */
  private async staffLane(now: Date, s: RunSummary): Promise<void> {
    for (;;) {
      const batch = await this.o.reminders
        .find({ kind: { $in: ['staff', 'digest'] }, ...this.dueFilter(now, this.o.clock()) })
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

  // ---- claim and deliver -------------------------------------------------------------------

  private async claim(c: ReminderDoc): Promise<ReminderDoc | null> {
    const t = this.o.clock();
    const fresh = c.status === 'pending';
    // The exclusive decision: FerretDB's conditional findOneAndUpdate below is read-then-write,
    // so two instances could both "win" it; the unique insert of the attempt's lease cannot.
    const attempt = fresh ? c.attempts + 1 : c.attempts;
    const lease = `staff-reminder:${String(c._id)}:g${c.generation}:a${attempt}`;
    if (!(await this.o.leases.acquire(lease, this.owner, this.leaseMs))) return null;
    return retryTransient(() => this.o.reminders
      .findOneAndUpdate(
        fresh
          ? { _id: c._id, status: 'pending', generation: c.generation, attempts: c.attempts }
          : { _id: c._id, status: 'sending', generation: c.generation, attempts: c.attempts, handedOffAt: null, leaseUntil: c.leaseUntil },
        {
          $set: { status: 'sending', leaseOwner: this.owner, leaseUntil: new Date(t.getTime() + this.leaseMs) },
          // A re-claim after an expired lease repeats the same attempt (same outbox key).
          ...(fresh ? { $inc: { attempts: 1 } } : {}),
        },
        { new: true },
      )
      .lean<ReminderDoc>());
  }

  /** Forums (cached per run), registrations and contacts of a chunk: one query each, not one per person. */
  private async loadTargets(chunk: ReminderDoc[], forums: Map<string, ForumDoc | undefined>, whole = false): Promise<Map<string, Target>> {
    const forumIds = [...new Set(chunk.map((r) => String(r.forumId)))];
    const missing = forumIds.filter((id) => !forums.has(id));
    for (const id of missing) forums.set(id, (await this.o.forums.findById(id).lean<ForumDoc>()) ?? undefined);
    const regIds = chunk.map((r) => r.registrationId).filter((x): x is Types.ObjectId => x !== null);
    const channels = [...new Set(chunk.map((r) => r.channel).filter((c): c is Channel => c !== null))];
    const userKeys = [...new Set(chunk.map((r) => r.userKey).filter((k): k is string => k !== null))];
    // `whole`: filters FerretDB evaluates cheaply (a few forums, the channels) rather than `$in`
    // over thousands of values; what is not needed is dropped here.
    const [regs, contacts] = await Promise.all([
      this.o.registrations.find(whole ? { forumId: { $in: forumIds } } : { _id: { $in: regIds } }).lean<RegistrationDoc[]>(),
      this.o.contacts
        .find(whole ? { channel: { $in: channels } } : { channel: { $in: channels }, userKey: { $in: userKeys } }, { chatId: 1, blocked: 1, lastInboundAt: 1 })
        .lean<Array<Pick<ContactDoc, '_id' | 'chatId' | 'blocked' | 'lastInboundAt'>>>(),
    ]);
    const regById = new Map(regs.map((r) => [String(r._id), r]));
    const contactById = new Map(contacts.map((c) => [c._id, c]));
    return new Map(
      chunk.map((r) => [
        String(r._id),
        { forum: forums.get(String(r.forumId)), registration: regById.get(String(r.registrationId)), contact: (r.channel && r.userKey && contactById.get(contactId(r.channel, r.userKey))) || null },
      ]),
    );
  }

  /**
   * A long pass (10,000 reminders take minutes at the channel's rate) re-reads its forums (by
   * `_id`) every chunk, so a forum cancelled or moved meanwhile stops its reminders at once.
   * Registrations are as of the start of the pass: someone who cancels during the pass may still
   * get this reminder (their later ones are skipped).
   */
  private async withFreshForums(docs: ReminderDoc[], preloaded: Map<string, Target>): Promise<Map<string, Target>> {
    const fresh = new Map<string, ForumDoc | undefined>();
    for (const id of new Set(docs.map((r) => String(r.forumId)))) fresh.set(id, (await this.o.forums.findById(id).lean<ForumDoc>()) ?? undefined);
    return new Map(docs.map((r) => {
      const t = preloaded.get(String(r._id)) ?? { forum: undefined, registration: undefined, contact: null };
      return [String(r._id), { ...t, forum: fresh.get(String(r.forumId)) }];
    }));
  }

  /** Why a claimed resident reminder should not go out, if it should not. */
  private skipReason(r: ReminderDoc, { forum, registration }: Target, now: Date): string | undefined {
    if (!forum || forum.status !== 'scheduled') return 'forum-cancelled';
    if (forum.startAt.getTime() <= now.getTime()) return 'stale';
    if (forum.startAt.getTime() - r.offsetHours * HOUR !== r.dueAt.getTime()) return 'replanned';
    if (r.kind === 'resident') {
      if (!registration || registration.status !== 'registered') return 'registration-cancelled';
      // Down across two due times (e.g. 24 h and 2 h): only the nearer reminder goes out.
      const nearer = this.o.residentOffsetsHours.some((o) => o < r.offsetHours && forum.startAt.getTime() - o * HOUR <= now.getTime());
      if (nearer) return 'superseded';
    }
    return undefined;
  }

  /** Queues one resident reminder (or decides not to); the caller records the result. */
  private async deliverResident(r: ReminderDoc, target: Target, now: Date): Promise<Decision> {
    const why = this.skipReason(r, target, now);
    if (why) return { what: 'skipped', outcome: why };
    const forum = target.forum!;
    const reg = target.registration!;
    await this.o.notifier.whenRoom(reg.channel);
    let outcome: NotifyOutcome;
    try {
      outcome = await this.o.notifier.toContact(reg.channel, reg.userKey, [residentReminder(forum, reg, r.offsetHours, reg.lang, this.o.tz)], {
        key: residentKey(r),
        report: REPORT_TOPIC,
        template: { ...this.o.template, bodyParams: reminderTemplateParams(forum, reg, reg.lang, this.o.tz) },
        contact: target.contact,
        // "batal" / "ga bisa datang" typed after the reminder asks to cancel this seat (until the forum starts).
        expect: { flow: 'forumku', step: 'reminded', data: { registrationId: String(reg._id), forum: forum.title }, ttlHours: r.offsetHours },
      });
    } catch (err) {
      return { what: 'error', err };
    }
    if (outcome === 'queued') return { what: 'handed', outcome: 'queued' };
    if (outcome === 'queued-template') return { what: 'handed', outcome: 'template' };
    this.o.logger.info({ reminder: String(r._id), user: maskId(reg.userKey), channel: reg.channel, outcome }, 'forum reminder not sent');
    return { what: 'failed', outcome };
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
      const why = this.skipReason(r, { forum: forum ?? undefined, registration: undefined, contact: null }, now);
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

  // ---- state changes (all conditional on still holding the claim) -------------------------------

  private held(r: ReminderDoc) {
    return { _id: r._id, generation: r.generation, leaseOwner: this.owner, status: 'sending' };
  }

  private async handedOff(r: ReminderDoc, keys: string[], via: 'text' | 'template', s: RunSummary): Promise<void> {
    const t = this.o.clock();
    const res = await retryTransient(() => this.o.reminders.updateOne(
      // Not conditional on status: if staff skipped it meanwhile, the message is queued anyway and
      // the record must say so. A new generation (forum moved) is a different reminder: leave it.
      { _id: r._id, generation: r.generation, leaseOwner: this.owner },
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
    const lastError = { code: 'queue-error', message };
    if (attemptNo(r) >= this.o.maxAttempts) return this.finish(r, 'failed', 'max-attempts', lastError, s);
    const t = this.o.clock();
    await retryTransient(() => this.o.reminders.updateOne(this.held(r), {
      $set: { status: 'pending', tries: attemptNo(r), nextAttemptAt: new Date(t.getTime() + retryDelayMs(attemptNo(r), this.retryBaseMs)), lastError, leaseOwner: null, leaseUntil: null },
    }));
    s.retried += 1;
  }

  /**
   * Reads the outcome of claimed resident reminders (their recorded result, and the outbox's for
   * those handed off) and folds the finished ones into `forum_reminders` in batches; then does the
   * same for staff reminders handed off (few; grouped updates).
   */
  async reconcile(now: Date, s: RunSummary = { handedOff: 0, sent: 0, failed: 0, skipped: 0, retried: 0 }): Promise<RunSummary> {
    await this.reconcileClaims(now, s);
    return this.reconcileHandedOff(now, s);
  }

  /** Folds every finished resident attempt (see reminder-ledger.ts): O(open claims) reads by `_id`, a few batch writes. */
  private async reconcileClaims(now: Date, s: RunSummary): Promise<void> {
    const open = await this.o.ledger.open();
    const { results } = open;
    if (results.size === 0) return;
    const handed = [...results.values()].filter((r) => r.status === 'handed');
    const t0 = performance.now();
    const reports = await this.o.outcomes.readReports(REPORT_TOPIC);
    const byKey = await this.o.outcomes.lookup(REPORT_TOPIC, handed.map((r) => `forum-reminder:${r._id}:0`), now, reports);
    const t1 = performance.now();
    const folds: Fold[] = [];
    for (const res of results.values()) {
      const m = /^([0-9a-f]{24}):g(\d+):a(\d+)$/.exec(res._id);
      if (!m) continue;
      const attempt = Number(m[3]);
      const claim = { _id: res._id, reminderId: res.reminderId, generation: Number(m[2]), attempt };
      const retry = (lastError: { code: string; message: string }, nextAttemptAt: Date): Fold => ({ claim, set: { status: 'pending', tries: attempt, nextAttemptAt, lastError } });
      if (res.status === 'skipped' || res.status === 'failed') {
        folds.push({ claim, set: { status: res.status, outcome: res.outcome, ...(res.lastError ? { lastError: res.lastError } : {}) } });
        continue;
      }
      if (res.status === 'retry') {
        folds.push(retry(res.lastError ?? { code: res.outcome, message: res.outcome }, res.nextAttemptAt ?? now));
        continue;
      }
      const item = byKey.get(`forum-reminder:${res._id}:0`);
      if (item && (item.state === 'queued' || item.state === 'parked')) continue; // still being sent
      if (item?.state === 'sent') {
        folds.push({ claim, set: { status: 'sent', outcome: res.outcome === 'template' ? 'template' : 'delivered', sentAt: item.at } });
        s.sent += 1;
        continue;
      }
      const failure = (item && 'lastError' in item ? item.lastError : undefined) ?? { code: 'missing', message: 'the queued message was not found in the outbox' };
      const final = finalFailure(failure.code);
      if (final || attempt >= this.o.maxAttempts) {
        const outcome = final ?? 'max-attempts';
        folds.push({ claim, set: { status: 'failed', outcome, lastError: failure } });
        s.failed += 1;
        this.o.logger.warn({ reminder: String(res.reminderId), kind: 'resident', code: failure.code, attempt, outcome }, 'forum reminder failed');
        continue;
      }
      folds.push(retry(failure, new Date(now.getTime() + retryDelayMs(attempt, this.retryBaseMs))));
      s.retried += 1;
    }
    await this.o.ledger.fold(folds, this.o.clock(), open);
    // Only now: a crash before the fold finds the reports again; one after it leaves reports
    // nobody reads, which the housekeeping job drops.
    await this.o.outcomes.ack(REPORT_TOPIC, folds.map((f) => `forum-reminder:${f.claim._id}:0`).filter((k) => byKey.has(k)), reports);
    this.o.logger.debug({ open: results.size, folded: folds.length, lookupMs: Math.round(t1 - t0), foldMs: Math.round(performance.now() - t1) }, 'forum reminders reconciled');
  }

  /** Staff reminders (and any resident one handed off before the ledger existed): grouped updates. */
  private async reconcileHandedOff(now: Date, s: RunSummary): Promise<RunSummary> {
    let after: Types.ObjectId | undefined;
    for (;;) {
      const batch = await this.o.reminders
        .find({ status: 'sending', handedOffAt: { $ne: null }, ...(after ? { _id: { $gt: after } } : {}) })
        .sort({ _id: 1 })
        .limit(500)
        .lean<ReminderDoc[]>();
      if (batch.length === 0) return s;
      after = batch[batch.length - 1]!._id;
      const keysOf = (r: ReminderDoc) => (r.outboxKeys.length > 0 ? r.outboxKeys : [`${residentKey(r)}:0`]);
      const reports = await this.o.outcomes.readReports(REPORT_TOPIC);
      const byKey = await this.o.outcomes.lookup(REPORT_TOPIC, batch.flatMap(keysOf), now, reports);
      const groups = new Map<string, { ids: Types.ObjectId[]; update: Record<string, unknown> }>();
      const add = (groupKey: string, id: Types.ObjectId, update: Record<string, unknown>) => {
        const g = groups.get(groupKey) ?? { ids: [], update };
        g.ids.push(id);
        groups.set(groupKey, g);
      };
      for (const r of batch) {
        const items = keysOf(r).map((k) => byKey.get(k));
        if (items.some((i) => i && (i.state === 'queued' || i.state === 'parked'))) continue; // still being sent
        const sent = items.filter((i): i is Extract<MessageState, { state: 'sent' }> => i?.state === 'sent');
        if (sent.length > 0) {
          const outcome = r.outcome === 'template' ? 'template' : sent.length < items.length ? `delivered-${sent.length}-of-${items.length}` : 'delivered';
          // Grouped by the second it was sent: a handful of writes for thousands of reminders.
          const sentAt = new Date(Math.floor(sent[0]!.at.getTime() / 1000) * 1000);
          add(`sent|${outcome}|${sentAt.getTime()}`, r._id, { status: 'sent', outcome, sentAt });
          s.sent += 1;
          continue;
        }
        const failed = items.find((i) => i && 'lastError' in i && i.lastError);
        const failure = (failed && 'lastError' in failed ? failed.lastError : undefined) ?? { code: 'missing', message: 'the queued message was not found in the outbox' };
        const final = finalFailure(failure.code);
        if (final || attemptNo(r) >= this.o.maxAttempts) {
          const outcome = final ?? 'max-attempts';
          add(`failed|${outcome}|${failure.code}|${failure.message}`, r._id, { status: 'failed', outcome, lastError: failure });
          s.failed += 1;
          this.o.logger.warn({ reminder: String(r._id), kind: r.kind, code: failure.code, attempt: attemptNo(r), outcome }, 'forum reminder failed');
          continue;
        }
        const nextAttemptAt = new Date(now.getTime() + retryDelayMs(attemptNo(r), this.retryBaseMs));
        add(`retry|${attemptNo(r)}|${failure.code}|${failure.message}`, r._id, { status: 'pending', tries: attemptNo(r), nextAttemptAt, handedOffAt: null, outboxKeys: [], lastError: failure, leaseOwner: null, claimToken: null });
        s.retried += 1;
      }
      for (const g of groups.values()) {
        // Still handed off as read: a re-plan meanwhile (status pending, no handedOffAt) is left alone.
        await retryTransient(() => this.o.reminders.updateMany({ _id: { $in: g.ids }, status: 'sending', handedOffAt: { $ne: null } }, { $set: g.update }));
      }
      const resolved = new Set([...groups.values()].flatMap((g) => g.ids.map(String)));
      await this.o.outcomes.ack(REPORT_TOPIC, batch.filter((r) => resolved.has(String(r._id))).flatMap(keysOf).filter((k) => byKey.has(k)), reports);
    }
  }
}

/** What happened to one claimed resident reminder. */
type Decision =
  | { what: 'handed'; outcome: 'queued' | 'template' }
  | { what: 'failed' | 'skipped'; outcome: string }
  | { what: 'error'; err: unknown };

/** The outbox key of a resident reminder's current attempt (the notifier adds `:0`, one per reply). */
function residentKey(r: Pick<ReminderDoc, '_id' | 'generation' | 'tries'>): string {
  return `forum-reminder:${String(r._id)}:g${r.generation}:a${attemptNo(r)}`;
}

/**
 * Number of the current attempt (1-based): finished attempts + 1. It is derived from `tries`,
 * which only moves when an attempt has finished and failed, never from the claim's `attempts`
 * counter: two instances that both believe they claimed the same reminder (a server whose
 * updates are not atomic, a lease that expired under a slow holder) then compute the same key,
 * and the outbox queues it once.
 */
function attemptNo(r: Pick<ReminderDoc, 'tries'>): number {
  return (r.tries ?? 0) + 1;
}

function countsOf(regs: Array<Pick<RegistrationDoc, 'status' | 'attendedAt'>>): ForumCounts {
  const c: ForumCounts = { registered: 0, waitlisted: 0, cancelled: 0, attended: 0 };
  for (const r of regs) {
    c[r.status] += 1;
    if (r.attendedAt && r.status === 'registered') c.attended += 1;
  }
  return c;
}

/** Rotates `a` in place so it starts at index `k`. */
function rotate<T>(a: T[], k: number): void {
  a.push(...a.splice(0, k));
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
