/**
 * The outbox's outcomes on MongoDB / FerretDB (the port and why it reads what it reads:
 * core/outbox-outcomes.ts): the report collection first, the queue next, the log last.
 */
import type { Connection } from 'mongoose';
import { retryTransient } from '../../db/retry.js';
import type { MessageState, OutboxOutcomeReader } from '../outbox-outcomes.js';
import { deleteEachById } from './by-id.js';
import { outboxLogModel, outboxModel, outboxReportModel, type OutboxDoc, type OutboxLogDoc, type OutboxReportDoc } from './outbox.js';

export class OutboxOutcomes implements OutboxOutcomeReader {
  private readonly queue;
  private readonly log;
  private readonly reports;

  constructor(conn: Connection) {
    this.queue = outboxModel(conn);
    this.log = outboxLogModel(conn);
    this.reports = outboxReportModel(conn);
  }

  /** Every unacknowledged report of `topic` (one read; pass it to `lookup` and `ack` to read once). */
  readReports(topic: string): Promise<OutboxReportDoc[]> {
    return retryTransient(() => this.reports.find({ topic }).lean<OutboxReportDoc[]>());
  }

  /**
   * States of `keys` (queued with report topic `topic`) at `now`; keys the outbox never saw are
   * absent. One read of the topic's reports (unless given), one of the queue; a key in neither
   * (queued before reports existed, or acknowledged already) is looked up in the log, one read each.
   */
  async lookup(topic: string, keys: string[], now: Date, reports?: OutboxReportDoc[]): Promise<Map<string, MessageState>> {
    const out = new Map<string, MessageState>();
    if (keys.length === 0) return out;
    const wanted = new Set(keys);
    reports ??= await this.readReports(topic);
    for (const r of reports) if (wanted.has(r._id)) out.set(r._id, finished(r));
    const rest = keys.filter((k) => !out.has(k));
    if (rest.length === 0) return out;
    const queued = await retryTransient(() => this.queue.find({}, { nextAttemptAt: 1, lastError: 1 }).lean<Array<Pick<OutboxDoc, '_id' | 'nextAttemptAt' | 'lastError'>>>());
    for (const q of queued) {
      if (!wanted.has(q._id) || out.has(q._id)) continue;
      out.set(q._id, { state: q.nextAttemptAt.getTime() > now.getTime() ? 'parked' : 'queued', ...(q.lastError ? { lastError: q.lastError } : {}) });
    }
    for (const key of keys) {
      if (out.has(key)) continue;
      const done = await retryTransient(() => this.log.findById(key, { status: 1, lastError: 1, finishedAt: 1 }).lean<Pick<OutboxLogDoc, '_id' | 'status' | 'lastError' | 'finishedAt'>>());
      if (done) out.set(key, finished(done));
    }
    return out;
  }

  /**
   * Forgets the reports of `keys` (of `topic`) once their outcome is recorded elsewhere. Why not
   * simply by `_id`: FerretDB tests every report against every listed key, so 10,000 keys cost
   * 10,000 × 10,000 comparisons. The oldest reports, up to the first one not acknowledged, go by
   * their finishing time (one comparison each); only the rest by `_id`. `read`: the reports as
   * `readReports` returned them, when the caller has them. A report written since that read with
   * an earlier time (clocks differ) may go unread: its outcome is then read from the log, as for
   * any key without a report.
   */
  async ack(topic: string, keys: string[], read?: Array<Pick<OutboxReportDoc, '_id' | 'finishedAt'>>): Promise<void> {
    if (keys.length === 0) return;
    const acked = new Set(keys);
    const reports = [...(read ?? (await this.readReports(topic)))].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
    let prefix = 0;
    while (prefix < reports.length && acked.has(reports[prefix]!._id)) prefix++;
    // Reports finishing in the same millisecond as the first one kept must stay: step back past them.
    while (prefix > 0 && prefix < reports.length && reports[prefix - 1]!.finishedAt.getTime() === reports[prefix]!.finishedAt.getTime()) prefix--;
    if (prefix > 0) {
      const bound = reports[prefix - 1]!.finishedAt;
      await retryTransient(() => this.reports.deleteMany({ topic, finishedAt: { $lte: bound } }));
    }
    const byTime = new Set(reports.slice(0, prefix).map((r) => r._id));
    const rest = keys.filter((k) => !byTime.has(k));
    for (let i = 0; i < rest.length; i += 1000) {
      const ids = rest.slice(i, i + 1000);
      await retryTransient(() => deleteEachById(this.reports, ids));
    }
  }
}

function finished(r: Pick<OutboxLogDoc, 'status' | 'lastError' | 'finishedAt'>): MessageState {
  return r.status === 'sent' ? { state: 'sent', at: r.finishedAt } : { state: r.status, ...(r.lastError ? { lastError: r.lastError } : {}) };
}
