/**
 * The reminder runner's one reconciler: reads what became of every attempt in flight and records
 * it on the reminder — resident attempts from the ledger's results and the outbox's reports
 * (folded in batches, reminder-ledger.ts), staff attempts from the outbox keys on the reminder
 * (grouped updates). Every failure goes through the one decision of reminder-delivery.ts.
 */
import type { Types } from 'mongoose';
import type { MessageState } from '../../core/outbox-outcomes.js';
import { retryTransient } from '../../db/retry.js';
import { afterFailure, attemptNo, emptySummary, MISSING, REPORT_TOPIC, type RunSummary } from './reminder-delivery.js';
import type { Fold } from './reminder-ledger.js';
import type { ReminderDoc } from './reminder-model.js';
import type { LaneContext } from './reminder-options.js';

export class ReminderReconciler {
  constructor(private readonly o: LaneContext) {}

  /**
   * Reads the outcome of claimed resident reminders (their recorded result, and the outbox's for
   * those handed off) and folds the finished ones into `forum_reminders` in batches; then does the
   * same for staff reminders handed off (few; grouped updates).
   */
  async reconcile(now: Date, s: RunSummary = emptySummary()): Promise<RunSummary> {
    await this.claims(now, s);
    return this.handedOff(now, s);
  }

  /** Folds every finished resident attempt (see reminder-ledger.ts): O(open claims) reads by `_id`, a few batch writes. */
  private async claims(now: Date, s: RunSummary): Promise<void> {
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
      const failure = (item && 'lastError' in item ? item.lastError : undefined) ?? MISSING;
      const next = afterFailure(failure, attempt, this.o.maxAttempts, now, this.o.retryBaseMs);
      if (next.status === 'failed') {
        folds.push({ claim, set: { status: 'failed', outcome: next.outcome, lastError: failure } });
        s.failed += 1;
        this.o.logger.warn({ reminder: String(res.reminderId), kind: 'resident', code: failure.code, attempt, outcome: next.outcome }, 'forum reminder failed');
        continue;
      }
      folds.push(retry(failure, next.nextAttemptAt));
      s.retried += 1;
    }
    await this.o.ledger.fold(folds, this.o.clock(), open);
    // Only now: a crash before the fold finds the reports again; one after it leaves reports
    // nobody reads, which the housekeeping job drops.
    await this.o.outcomes.ack(REPORT_TOPIC, folds.map((f) => `forum-reminder:${f.claim._id}:0`).filter((k) => byKey.has(k)), reports);
    this.o.logger.debug({ open: results.size, folded: folds.length, lookupMs: Math.round(t1 - t0), foldMs: Math.round(performance.now() - t1) }, 'forum reminders reconciled');
  }

  /** Staff reminders and digests handed off (their outbox keys are on the reminder): grouped updates. */
  private async handedOff(now: Date, s: RunSummary): Promise<RunSummary> {
    let after: Types.ObjectId | undefined;
    for (;;) {
      const batch = await this.o.reminders
        .find({ status: 'sending', handedOffAt: { $ne: null }, ...(after ? { _id: { $gt: after } } : {}) })
        .sort({ _id: 1 })
        .limit(500)
        .lean<ReminderDoc[]>();
      if (batch.length === 0) return s;
      after = batch[batch.length - 1]!._id;
      const keysOf = (r: ReminderDoc) => r.outboxKeys;
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
        const failure = (failed && 'lastError' in failed ? failed.lastError : undefined) ?? MISSING;
        const next = afterFailure(failure, attemptNo(r), this.o.maxAttempts, now, this.o.retryBaseMs);
        if (next.status === 'failed') {
          add(`failed|${next.outcome}|${failure.code}|${failure.message}`, r._id, { status: 'failed', outcome: next.outcome, lastError: failure });
          s.failed += 1;
          this.o.logger.warn({ reminder: String(r._id), kind: r.kind, code: failure.code, attempt: attemptNo(r), outcome: next.outcome }, 'forum reminder failed');
          continue;
        }
        add(`retry|${attemptNo(r)}|${failure.code}|${failure.message}`, r._id, { status: 'pending', tries: attemptNo(r), nextAttemptAt: next.nextAttemptAt, handedOffAt: null, outboxKeys: [], lastError: failure, leaseOwner: null });
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
