/**
 * Housekeeping run by the scheduler. Plain functions of `now`, so tests call them directly.
 */
import type { InboxProcessor } from '../core/inbox-processor.js';
import type { Outbox } from '../core/outbox.js';
import type { CoreStore } from '../core/store/index.js';
import { INBOX_RETENTION_DAYS } from '../core/store/inbox.js';

/** Handles inbound messages stored but not processed for 30 s (crash, outage, lost kick). */
export async function recoverStuckMessages(processor: InboxProcessor<unknown>): Promise<number> {
  return processor.recoverPending(30_000);
}

/** Retries outbound messages whose time has come. */
export async function sendDueMessages(outbox: Outbox): Promise<number> {
  return outbox.flushDue();
}

/**
 * Deletes handled inbox items older than the retention (the dedupe window) and sent outbox items
 * older than 90 days. FerretDB has no TTL indexes, so this job does it.
 */
export async function pruneOldRecords(store: CoreStore, now: Date): Promise<{ inbox: number; outbox: number }> {
  const inboxCutoff = new Date(now.getTime() - INBOX_RETENTION_DAYS * 86_400_000);
  const outboxCutoff = new Date(now.getTime() - 90 * 86_400_000);
  const a = await store.inbox.deleteMany({ status: 'done', receivedAt: { $lt: inboxCutoff } });
  const b = await store.outbox.deleteMany({ status: { $in: ['sent', 'cancelled'] }, createdAt: { $lt: outboxCutoff } });
  return { inbox: a.deletedCount, outbox: b.deletedCount };
}
