/**
 * Records platform delivery reports against the messages we sent. Reports can arrive out of order
 * (read before delivered) or twice: each status is stored once, and the furthest one counts.
 */

/** Delivery states reported by the platform, in the order they can only move forward. */
export const DELIVERY_RANK = { sent: 1, delivered: 2, read: 3, failed: 4 } as const;
export type DeliveryStatus = keyof typeof DELIVERY_RANK;

export interface DeliveryReport {
  messageId: string;
  status: DeliveryStatus;
  at: Date;
  error?: { code: string; message: string };
}

/**
 * Where delivery reports are kept (core/store/delivery.ts: `delivery_statuses`, one record per
 * message and status). Insert-only: reports out of order or twice need no read-modify-write.
 */
export interface DeliveryStore {
  /**
   * Stores one status of one platform message; false when that status of that message is stored
   * already (decided by a unique insert: a report delivered twice is kept once). Retries transient
   * write conflicts.
   */
  add(channel: string, report: DeliveryReport): Promise<boolean>;
  /** The stored report of `status` for a message, or null (one read by key). */
  get(channel: string, messageId: string, status: DeliveryStatus): Promise<DeliveryReport | null>;
}

const STATUSES = Object.keys(DELIVERY_RANK) as Array<keyof typeof DELIVERY_RANK>;

export class DeliveryService {
  constructor(private readonly deliveries: DeliveryStore) {}

  async record(channel: string, reports: DeliveryReport[]): Promise<void> {
    // One at a time, in order; a report stored already (delivered twice) is skipped.
    for (const r of reports) await this.deliveries.add(channel, r);
  }

  /** The furthest status reported for a message, with its error when it failed. */
  async reportOf(channel: string, messageId: string): Promise<DeliveryReport | null> {
    let best: DeliveryReport | null = null;
    for (const status of STATUSES) {
      const d = await this.deliveries.get(channel, messageId, status);
      if (d && (!best || DELIVERY_RANK[status] > DELIVERY_RANK[best.status])) best = d;
    }
    return best;
  }

  async statusOf(channel: string, messageId: string): Promise<DeliveryReport['status'] | null> {
    return (await this.reportOf(channel, messageId))?.status ?? null;
  }
}
