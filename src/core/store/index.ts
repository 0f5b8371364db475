import type { Connection } from 'mongoose';
import { contactModel, type ContactModel } from './contacts.js';
import { deliveryModel, type DeliveryModel } from './delivery.js';
import { inboxModel, seenModel, type InboxModel, type SeenModel } from './inbox.js';
import { leaseModel, type LeaseModel } from './leases.js';
import { outboxClaimModel, outboxLogModel, outboxModel, outboxReportModel, type OutboxClaimModel, type OutboxLogModel, type OutboxModel, type OutboxReportModel } from './outbox.js';
import { sessionModel, type SessionModel } from './sessions.js';

/** The engine's collections on one connection. */
export interface CoreStore {
  contacts: ContactModel;
  sessions: SessionModel;
  /** Inbound messages not handled yet (or given up on). */
  inbox: InboxModel;
  /** Platform ids seen, for dropping redeliveries. */
  inboxSeen: SeenModel;
  leases: LeaseModel;
  outbox: OutboxModel;
  outboxClaims: OutboxClaimModel;
  outboxLog: OutboxLogModel;
  outboxReports: OutboxReportModel;
  deliveries: DeliveryModel;
}

export function createCoreStore(conn: Connection): CoreStore {
  return {
    contacts: contactModel(conn),
    sessions: sessionModel(conn),
    inbox: inboxModel(conn),
    inboxSeen: seenModel(conn),
    leases: leaseModel(conn),
    outbox: outboxModel(conn),
    outboxClaims: outboxClaimModel(conn),
    outboxLog: outboxLogModel(conn),
    outboxReports: outboxReportModel(conn),
    deliveries: deliveryModel(conn),
  };
}

/** Creates collections and indexes (idempotent); called once at start. */
export async function ensureIndexes(models: Array<{ createCollection(): Promise<unknown>; createIndexes(): Promise<unknown> }>): Promise<void> {
  for (const m of models) {
    try {
      await m.createCollection();
    } catch (err) {
      // NamespaceExists (48) is fine: the collection is already there.
      if (!(err instanceof Error && 'code' in err && (err as { code?: number }).code === 48)) throw err;
    }
    await m.createIndexes();
  }
}
