/**
 * Where the outbox stands with messages a producer queued with a `report` topic (forum reminders
 * read their outcome here). Read-only but for `ack`.
 *
 * Finished messages are in `outbound_reports` until acknowledged; unfinished ones are still in the
 * queue (with the next retry time). Both hold only live work, so a lookup reads a few documents
 * whatever the size of the outbound log: on FerretDB's SQLite backend every read walks its
 * collection, even one by `_id`, and the log holds 90 days of messages.
 *
 * This file is the port; core/store/outbox-outcomes.ts reads them on MongoDB / FerretDB.
 */
import type { OutboxReportDoc } from './outbox-store.js';

/** One message's state: `queued` (due now or being sent), `parked` (waiting for a retry time), or finished. */
export type MessageState =
  | { state: 'queued' | 'parked'; lastError?: { code: string; message: string } }
  | { state: 'sent'; at: Date }
  | { state: 'failed' | 'cancelled'; lastError?: { code: string; message: string } };

/** A finished message's report, as `readReports` returns it (pass it back to `lookup` and `ack`). */
export type OutcomeReport = OutboxReportDoc;

/** What a producer reads of the outbox: the outcomes of the messages it queued with a report topic. */
export interface OutboxOutcomeReader {
  /** Every unacknowledged report of `topic` (one read; pass it to `lookup` and `ack` to read once). */
  readReports(topic: string): Promise<OutcomeReport[]>;
  /** States of `keys` (queued with report topic `topic`) at `now`; keys the outbox never saw are absent. */
  lookup(topic: string, keys: string[], now: Date, reports?: OutcomeReport[]): Promise<Map<string, MessageState>>;
  /** Forgets the reports of `keys` (of `topic`) once their outcome is recorded elsewhere. */
  ack(topic: string, keys: string[], read?: Array<Pick<OutcomeReport, '_id' | 'finishedAt'>>): Promise<void>;
}
