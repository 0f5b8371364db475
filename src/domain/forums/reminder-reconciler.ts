/**
 * The reminder runner's one reconciler: reads what became of every attempt in flight, resident or
 * staff, from the ledger's results and the outbox's reports, and folds it into the reminders in
 * batches (reminder-ledger.ts). Every failure goes through the one decision of reminder-delivery.ts.
 */
import type { MessageState } from '../../core/outbox-outcomes.js';
import { afterFailure, emptySummary, MISSING, REPORT_TOPIC, type RunSummary } from './reminder-delivery.js';
import type { Fold, ResultDoc } from './reminder-ledger.js';
import type { LaneContext } from './reminder-options.js';

export class ReminderReconciler {
  constructor(private readonly o: LaneContext) {}

  /**
   * Reads the outcome of every claimed attempt, resident or staff (its recorded result, and the
   * outbox's for those handed off) and folds the finished ones into `forum_reminders` in batches
   * (see reminder-ledger.ts): O(open claims) reads, a few batch writes.
   */
  async reconcile(now: Date, s: RunSummary = emptySummary()): Promise<RunSummary> {
    const open = await this.o.ledger.open();
    const { results } = open;
    if (results.size === 0) return s;
    const handed = [...results.values()].filter((r) => r.status === 'handed');
    const t0 = performance.now();
    const reports = await this.o.outcomes.readReports(REPORT_TOPIC);
    const byKey = await this.o.outcomes.lookup(REPORT_TOPIC, handed.flatMap(keysOf), now, reports);
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
      const items = keysOf(res).map((k) => byKey.get(k));
      if (items.some((i) => i && (i.state === 'queued' || i.state === 'parked'))) continue; // still being sent
      const sent = items.filter((i): i is Extract<MessageState, { state: 'sent' }> => i?.state === 'sent');
      if (sent.length > 0) {
        // A staff reminder goes to every staff chat: it counts as sent when one of them got it.
        const outcome = res.outcome === 'template' ? 'template' : sent.length < items.length ? `delivered-${sent.length}-of-${items.length}` : 'delivered';
        folds.push({ claim, set: { status: 'sent', outcome, sentAt: sent[0]!.at } });
        s.sent += 1;
        continue;
      }
      const failed = items.find((i) => i && 'lastError' in i && i.lastError);
      const failure = (failed && 'lastError' in failed ? failed.lastError : undefined) ?? MISSING;
      const next = afterFailure(failure, attempt, this.o.maxAttempts, now, this.o.retryBaseMs);
      if (next.status === 'failed') {
        folds.push({ claim, set: { status: 'failed', outcome: next.outcome, lastError: failure } });
        s.failed += 1;
        this.o.logger.warn({ reminder: String(res.reminderId), code: failure.code, attempt, outcome: next.outcome }, 'forum reminder failed');
        continue;
      }
      folds.push(retry(failure, next.nextAttemptAt));
      s.retried += 1;
    }
    await this.o.ledger.fold(folds, this.o.clock(), open);
    // Only now: a crash before the fold finds the reports again; one after it leaves reports
    // nobody reads, which the housekeeping job drops.
    const folded = new Set(folds.map((f) => f.claim._id));
    await this.o.outcomes.ack(REPORT_TOPIC, handed.filter((r) => folded.has(r._id)).flatMap(keysOf).filter((k) => byKey.has(k)), reports);
    this.o.logger.debug({ open: results.size, folded: folds.length, lookupMs: Math.round(t1 - t0), foldMs: Math.round(performance.now() - t1) }, 'forum reminders reconciled');
    return s;
  }
}

/** The outbox keys of a handed-off attempt: a resident's one message, or one per staff chat. */
function keysOf(r: ResultDoc): string[] {
  return r.keys && r.keys.length > 0 ? r.keys : [`forum-reminder:${r._id}:0`];
}
