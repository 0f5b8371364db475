/**
 * Where the outbox stands with messages a producer queued with a `report` topic (forum reminders
 * read their outcome here). Read-only but for `ack`.
 *
 * Finished messages are in `outbound_reports` until acknowledged; unfinished ones are still in the
 * queue (with the next retry time). Both hold only live work, so a lookup reads a few documents
 * whatever the size of the outbound log: on FerretDB's SQLite backend every read walks its
 * collection, even one by `_id`, and the log holds 90 days of messages.
 */
import type { Connection } from 'mongoose';
import { retryTransient } from '../db/retry.js';
import { outboxLogModel, outboxModel, outboxReportModel, type OutboxDoc, type OutboxLogDoc, type OutboxReportDoc } from './store/outbox.js';

/** One message's state: `queued` (due now or being sent), `parked` (waiting for a retry time), or finished. */
export type MessageState =
  | { state: 'queued' | 'parked'; lastError?: { code: string; message: string } }
  | { state: 'sent'; at: Date }
  | { state: 'failed' | 'cancelled'; lastError?: { code: string; message: string } };

export class OutboxOutcomes {
  private readonly queue;
  private readonly log;
  private readonly reports;

  constructor(conn: Connection) {
    this.queue = outboxModel(conn);
    this.log = outboxLogModel(conn);
    this.reports = outboxReportModel(conn);
  }

  /**
   * States of `keys` (queued with report topic `topic`) at `now`; keys the outbox never saw are
   * absent. One read of the topic's reports, one of the queue; a key in neither (queued before
   * reports existed, or acknowledged already) is looked up in the log, one read each.
   */
  async lookup(topic: string, keys: string[], now: Date): Promise<Map<string, MessageState>> {
    const out = new Map<string, MessageState>();
    if (keys.length === 0) return out;
    const wanted = new Set(keys);
    const reports = await retryTransient(() => this.reports.find({ topic }).lean<OutboxReportDoc[]>());
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

  /** Forgets the reports of `keys` once their outcome is recorded elsewhere (one statement per 1,000). */
  async ack(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const ids = keys.slice(i, i + 1000);
      await retryTransient(() => this.reports.deleteMany({ _id: { $in: ids } }));
    }
  }
}

function finished(r: Pick<OutboxLogDoc, 'status' | 'lastError' | 'finishedAt'>): MessageState {
  return r.status === 'sent' ? { state: 'sent', at: r.finishedAt } : { state: r.status, ...(r.lastError ? { lastError: r.lastError } : {}) };
}
