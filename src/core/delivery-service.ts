/**
 * Records platform delivery reports against the messages we sent. Reports can arrive out of order
 * (read before delivered) or twice: each status is stored once, and the furthest one counts.
 */
import { retryTransient } from '../db/retry.js';
import { isDuplicateKey } from './errors.js';
import { DELIVERY_RANK } from './store/outbox.js';
import type { DeliveryModel } from './store/delivery.js';

export interface DeliveryReport {
  messageId: string;
  status: keyof typeof DELIVERY_RANK;
  at: Date;
  error?: { code: string; message: string };
}

const STATUSES = Object.keys(DELIVERY_RANK) as Array<keyof typeof DELIVERY_RANK>;

export class DeliveryService {
  constructor(private readonly deliveries: DeliveryModel) {}

  async record(channel: string, reports: DeliveryReport[]): Promise<void> {
    for (const r of reports) {
      try {
        await retryTransient(() =>
          this.deliveries.create({ _id: `${channel}:${r.messageId}:${r.status}`, channel, messageId: r.messageId, status: r.status, at: r.at, ...(r.error ? { error: r.error } : {}) }),
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // the same report delivered twice
      }
    }
  }

  /** The furthest status reported for a message, with its error when it failed. */
  async reportOf(channel: string, messageId: string): Promise<DeliveryReport | null> {
    let best: DeliveryReport | null = null;
    for (const status of STATUSES) {
      const d = await this.deliveries.findById(`${channel}:${messageId}:${status}`).lean();
      if (d && (!best || DELIVERY_RANK[status] > DELIVERY_RANK[best.status])) {
        best = { messageId, status, at: d.at, ...(d.error ? { error: d.error } : {}) };
      }
    }
    return best;
  }

  async statusOf(channel: string, messageId: string): Promise<DeliveryReport['status'] | null> {
    return (await this.reportOf(channel, messageId))?.status ?? null;
  }
}
