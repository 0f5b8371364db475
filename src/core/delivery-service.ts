/**
 * Records platform delivery reports against the messages we sent. Reports can arrive out of order
 * (read before delivered) or twice; the rank guard keeps the furthest state.
 */
import { isDuplicateKey } from './errors.js';
import { DELIVERY_RANK, type OutboxModel } from './store/outbox.js';
import type { DeliveryModel } from './store/delivery.js';

export interface DeliveryReport {
  messageId: string;
  status: keyof typeof DELIVERY_RANK;
  at: Date;
  error?: { code: string; message: string };
}

export class DeliveryService {
  constructor(
    private readonly deliveries: DeliveryModel,
    private readonly outbox: OutboxModel,
  ) {}

  async record(channel: string, reports: DeliveryReport[]): Promise<void> {
    for (const r of reports) {
      const rank = DELIVERY_RANK[r.status];
      const set = { status: r.status, rank, at: r.at, ...(r.error ? { error: r.error } : {}) };
      try {
        await this.deliveries.updateOne({ channel, messageId: r.messageId, rank: { $lt: rank } }, { $set: set }, { upsert: true });
      } catch (err) {
        // A report at or past this rank is already stored: an out-of-order or repeated report.
        if (!isDuplicateKey(err)) throw err;
      }
      await this.outbox.updateOne(
        { channel, platformMessageIds: r.messageId, deliveryRank: { $lt: rank } },
        { $set: { deliveryStatus: r.status, deliveryRank: rank, ...(r.error ? { deliveryError: r.error } : {}) } },
      );
    }
  }

  async statusOf(channel: string, messageId: string): Promise<DeliveryReport['status'] | null> {
    const d = await this.deliveries.findOne({ channel, messageId }).lean();
    return d?.status ?? null;
  }
}
