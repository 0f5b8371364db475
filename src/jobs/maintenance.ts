/**
 * Housekeeping run by the scheduler. Plain functions of `now`, so tests call them directly.
 */
import type { InboxProcessor } from '../core/inbox-processor.js';
import type { Outbox } from '../core/outbox.js';
import type { CoreStore } from '../core/store/index.js';
import { INBOX_RETENTION_DAYS } from '../core/store/inbox.js';

/** Conversations idle this long are forgotten. */
export const SESSION_RETENTION_DAYS = 30;

/** Handles inbound messages stored but not handled for 30 s (crash, outage, a lease another process kept). */
export async function recoverStuckMessages(processor: InboxProcessor<unknown>): Promise<number> {
  return processor.recoverPending(30_000);
}

/** Retries outbound messages whose time has come. */
export async function sendDueMessages(outbox: Outbox): Promise<number> {
  return outbox.flushDue();
}

/**
 * Forgets handled platform ids and send claims older than the retention (the dedupe window: a
 * message can be handled, and its replies queued, again only within it; a send claim is what stops
 * such a reply going out twice), outcome reports nobody acknowledged within it, and outbound
 * records, delivery reports and inbound messages given up on older than 90 days, and conversations idle for 30 days. FerretDB has
 * no TTL indexes, so this job does it.
 */
export async function pruneOldRecords(store: CoreStore, now: Date): Promise<Record<string, number>> {
  const day = 86_400_000;
  const ids = await store.inboxSeen.deleteMany({ receivedAt: { $lt: new Date(now.getTime() - INBOX_RETENTION_DAYS * day) } });
  // Messages given up on stay for a developer as long as outbound records do.
  const failed = await store.inbox.deleteMany({ status: 'failed', receivedAt: { $lt: new Date(now.getTime() - 90 * day) } });
  const retention = new Date(now.getTime() - INBOX_RETENTION_DAYS * day);
  const claims = await store.outboxClaims.deleteMany({ until: { $lt: retention } });
  const reports = await store.outboxReports.deleteMany({ finishedAt: { $lt: retention } });
  const log = await store.outboxLog.deleteMany({ finishedAt: { $lt: new Date(now.getTime() - 90 * day) } });
  const deliveries = await store.deliveries.deleteMany({ at: { $lt: new Date(now.getTime() - 90 * day) } });
  const leases = await store.leases.deleteMany({ until: { $lt: new Date(now.getTime() - day) } });
  // A conversation untouched for a month starts afresh (language and contact facts live in contacts).
  // Keeps the per-message session read cheap on FerretDB, which walks the whole collection.
  const sessions = await store.sessions.deleteMany({ lastActivityAt: { $lt: new Date(now.getTime() - SESSION_RETENTION_DAYS * day) } });
  return { processedIds: ids.deletedCount, failedInbound: failed.deletedCount, claims: claims.deletedCount, outcomeReports: reports.deletedCount, outboundLog: log.deletedCount, deliveries: deliveries.deletedCount, leases: leases.deletedCount, idleSessions: sessions.deletedCount };
}
