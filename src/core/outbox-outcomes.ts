/**
 * Where the outbox stands with messages, by idempotency key (reminders read their outcome here). Read-only.
 * Finished messages are in the outbox log (sent / failed / cancelled); unfinished ones are still
 * in the queue (with the next retry time). Lookups are by `_id` (= key), the only filter FerretDB's
 * SQLite backend answers without scanning.
 */
import type { Connection } from 'mongoose';
import { outboxLogModel, outboxModel, type OutboxDoc, type OutboxLogDoc } from './store/outbox.js';

/** One message's state: `queued` (due now or being sent), `parked` (waiting for a retry time), or finished. */
export type MessageState =
  | { state: 'queued' | 'parked'; lastError?: { code: string; message: string } }
  | { state: 'sent'; at: Date }
  | { state: 'failed' | 'cancelled'; lastError?: { code: string; message: string } };

export class OutboxOutcomes {
  private readonly queue;
  private readonly log;

  constructor(conn: Connection) {
    this.queue = outboxModel(conn);
    this.log = outboxLogModel(conn);
  }

  /** States of `keys` at `now` (keys the outbox never saw are absent). */
  async lookup(keys: string[], now: Date): Promise<Map<string, MessageState>> {
    const out = new Map<string, MessageState>();
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        const done = await this.log.findById(key, { status: 1, lastError: 1, finishedAt: 1 }).lean<Pick<OutboxLogDoc, 'status' | 'lastError' | 'finishedAt'>>();
        if (done) {
          out.set(key, done.status === 'sent' ? { state: 'sent', at: done.finishedAt } : { state: done.status, ...(done.lastError ? { lastError: done.lastError } : {}) });
          continue;
        }
        const q = await this.queue.findById(key, { nextAttemptAt: 1, lastError: 1 }).lean<Pick<OutboxDoc, 'nextAttemptAt' | 'lastError'>>();
        if (q) out.set(key, { state: q.nextAttemptAt.getTime() > now.getTime() ? 'parked' : 'queued', ...(q.lastError ? { lastError: q.lastError } : {}) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, keys.length) }, worker));
    return out;
  }
}
