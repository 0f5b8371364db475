/**
 * Inbound messages stored before the webhook answers, and the port the inbox processor keeps them
 * through; core/store/inbox.ts (collections) and core/store/inbox-accept.ts (accepting) implement
 * it on MongoDB / FerretDB.
 */
import type { Channel, InboundMessage } from './messages.js';

/**
 * Durable inbox of live work: every inbound update is inserted here before the webhook answers 200,
 * and deleted once handled (in batches); only messages not handled yet (`pending`) and those given
 * up on (`failed`, kept for a developer) stay. Which platform ids were seen is kept apart, in
 * `inbound_seen` (`SeenDoc`), for `INBOX_RETENTION_DAYS`, as platforms redeliver for days.
 * How they are stored, and why so, is core/store/inbox.ts's business.
 */
export interface InboxDoc {
  /** `<channel>:<externalId>` */
  _id: string;
  channel: Channel;
  externalId: string;
  userKey: string;
  message: InboundMessage;
  /** `pending`: to be handled; `failed`: given up on, kept for a developer. */
  status: 'pending' | 'failed';
  /** The `accept` batch that stored it (tells a retried insert from a redelivery). */
  acceptId: string;
  attempts: number;
  lastError?: string;
  occurredAt: Date;
  receivedAt: Date;
}

/** WhatsApp retries for up to 7 days; keep ids twice as long. */
export const INBOX_RETENTION_DAYS = 14;

export const inboxId = (channel: Channel, externalId: string): string => `${channel}:${externalId}`;

/**
 * Where inbound messages are kept until handled, and which platform ids were seen. Every write is
 * retried on transient conflicts unless said otherwise.
 */
export interface InboxStore {
  /**
   * Stores `docs` (status `pending`; their `acceptId` is set here) and returns, per document,
   * whether it is new: stored in the inbox and recorded as seen. A document whose id is in the inbox
   * or was seen within `INBOX_RETENTION_DAYS` is a redelivery (false). Decided by unique inserts,
   * inbox first (durable before it counts as seen), so of concurrent deliveries of one id exactly
   * one is new; a crash between the two leaves a pending message without its seen record, which
   * `recordSeen` adds.
   */
  insertNew(docs: InboxDoc[]): Promise<boolean[]>;
  /** Makes sure these pending messages have their seen record (those that have it are left alone). */
  recordSeen(docs: InboxDoc[]): Promise<void>;
  /** Removes handled messages from the inbox, in one command (their seen record stays). */
  dropHandled(ids: string[]): Promise<void>;
  /** Records a failed try of message `id`: its attempts and error, and `failed` status when `give` up. Not retried. */
  recordFailure(id: string, attempts: number, lastError: string, give: boolean): Promise<void>;
  /** Up to `limit` pending messages received at or before `cutoff` (the recovery sweep). Not retried. */
  pending(cutoff: Date, limit: number): Promise<InboxDoc[]>;
}
