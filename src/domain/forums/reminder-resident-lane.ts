/**
 * The resident lane of the reminder runner: claims due resident reminders by unique insert in the
 * ledger (reminder-ledger.ts; see reminder-runner.ts for why that is exclusive on FerretDB), one
 * lane per switched-on channel paced by the outbox (`Notifier.whenRoom`), and records each
 * claimed attempt's result for the reconciler. Loads targets with one query per pass or chunk.
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../../core/messages.js';
import type { NotifyOutcome } from '../../core/notifier.js';
import { contactId } from '../../core/store/contacts.js';
import { maskId } from '../../logging/mask.js';
import type { ForumDoc } from './forum-model.js';
import { reminderTemplateParams, residentReminder } from './messages.js';
import type { RegistrationDoc } from './registration-model.js';
import { afterFailure, attemptNo, REPORT_TOPIC, residentKey, skipReason, type RunSummary } from './reminder-delivery.js';
import { claimId, type ClaimDoc, type ResultDoc } from './reminder-ledger.js';
import type { ReminderDoc } from './reminder-model.js';
import type { LaneContext } from './reminder-options.js';
import type { DocId, ReminderContact } from './store.js';

/** A due reminder to claim; `expired`: a claim on it whose holder died. */
interface Todo {
  r: ReminderDoc;
  expired?: ClaimDoc;
}

export interface Target {
  forum: ForumDoc | undefined;
  registration: RegistrationDoc | undefined;
  contact: Pick<ReminderContact, 'chatId' | 'blocked' | 'lastInboundAt'> | null;
}

/** Due reminders read per pass, and claimed per chunk (one insert of claims, one of results). */
const PASS = 20_000;
const CHUNK = 100;

/** What happened to one claimed resident reminder. */
type Decision =
  | { what: 'handed'; outcome: 'queued' | 'template' }
  | { what: 'failed' | 'skipped'; outcome: string }
  | { what: 'error'; err: unknown };

export class ResidentLane {
  constructor(private readonly o: LaneContext) {}

  /**
   * Resident reminders: one read of what is due (all channels), one of the open claims, and for
   * a big pass one of the registrations and contacts; then one lane per channel hands its share to
   * the outbox at the pace the channel sends (`Notifier.whenRoom`). Repeats until nothing due is
   * left unclaimed (more may fall due, or a dead holder's claim expire, during a long pass).
   */
  async run(now: Date, s: RunSummary): Promise<void> {
    const forums = new Map<string, ForumDoc | undefined>();
    for (;;) {
      const t = this.o.clock();
      const [due, open] = await Promise.all([
        this.o.reminders.due(['resident'], now, t, PASS),
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
      const lanes = this.o.lanes;
      const rest = todo.filter((x) => !x.r.channel || !lanes.includes(x.r.channel));
      const claimed = await Promise.all([
        ...lanes.map((c) => this.residentLane(c, todo.filter((x) => x.r.channel === c), preloaded, forums, now, s)),
        ...(rest.length > 0 ? [this.residentLane('other', rest, preloaded, forums, now, s)] : []),
      ]);
      if (!claimed.some(Boolean)) return; // everything left was taken by another instance meanwhile
    }
  }

  /** Claims and hands off one channel's share of a pass, a chunk at a time. Returns whether it claimed any. */
  private async residentLane(channel: Channel | 'other', todo: Todo[], preloaded: Map<string, Target> | undefined, forums: Map<string, ForumDoc | undefined>, now: Date, s: RunSummary): Promise<boolean> {
    let claimedAny = false;
    for (let i = 0; i < todo.length; i += CHUNK) {
      const t0 = performance.now();
      const part = todo.slice(i, i + CHUNK);
      const until = new Date(this.o.clock().getTime() + this.o.leaseMs);
      const chunk = randomUUID();
      const won = await this.o.ledger.claim(
        part.map(({ r }) => ({ _id: claimId(r), reminderId: r._id, generation: r.generation, attempt: attemptNo(r), owner: this.o.owner, until, chunk })),
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
    // Queuing failed (database hiccup): the shared failure decision says retry later or give up.
    const message = d.err instanceof Error ? d.err.message : String(d.err);
    this.o.logger.error({ reminder: String(r._id), attempt: attemptNo(r), err: message }, 'could not queue forum reminder');
    const next = afterFailure({ code: 'queue-error', message }, attemptNo(r), this.o.maxAttempts, this.o.clock(), this.o.retryBaseMs);
    if (next.status === 'failed') {
      s.failed += 1;
      return { ...base, status: 'failed', outcome: next.outcome, lastError: next.lastError };
    }
    s.retried += 1;
    return { ...base, status: 'retry', outcome: 'queue-error', lastError: next.lastError, nextAttemptAt: next.nextAttemptAt };
  }

  /** Forums (cached per run), registrations and contacts of a chunk: one query each, not one per person. */
  private async loadTargets(chunk: ReminderDoc[], forums: Map<string, ForumDoc | undefined>, whole = false): Promise<Map<string, Target>> {
    const forumIds = forumIdsOf(chunk);
    const missing = [...forumIds].filter(([key]) => !forums.has(key));
    for (const [key, id] of missing) forums.set(key, (await this.o.forums.get(id)) ?? undefined);
    const regIds = chunk.map((r) => r.registrationId).filter((x): x is DocId => x !== null);
    const channels = [...new Set(chunk.map((r) => r.channel).filter((c): c is Channel => c !== null))];
    const userKeys = [...new Set(chunk.map((r) => r.userKey).filter((k): k is string => k !== null))];
    // `whole`: filters FerretDB evaluates cheaply (a few forums, the channels) rather than `$in`
    // over thousands of values; what is not needed is dropped here.
    const [regs, contacts] = await Promise.all([
      this.o.registrations.find(whole ? { forumIds: [...forumIds.values()] } : { ids: regIds }),
      this.o.contacts.find(channels, whole ? undefined : userKeys),
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
    for (const [key, id] of forumIdsOf(docs)) fresh.set(key, (await this.o.forums.get(id)) ?? undefined);
    return new Map(docs.map((r) => {
      const t = preloaded.get(String(r._id)) ?? { forum: undefined, registration: undefined, contact: null };
      return [String(r._id), { ...t, forum: fresh.get(String(r.forumId)) }];
    }));
  }

  /** Queues one resident reminder (or decides not to); the caller records the result. */
  private async deliverResident(r: ReminderDoc, target: Target, now: Date): Promise<Decision> {
    const why = skipReason(r, target.forum, target.registration, now, this.o.residentOffsetsHours);
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
}

/** The forums of resident reminders (each has one), by id as text. */
function forumIdsOf(reminders: ReminderDoc[]): Map<string, DocId> {
  const ids = new Map<string, DocId>();
  for (const r of reminders) if (r.forumId) ids.set(String(r.forumId), r.forumId);
  return ids;
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
