/**
 * Accepting inbound messages: which of a batch are new, stored durably before the webhook answers.
 *
 * Two unordered inserts per batch of concurrent webhooks (group commit, see store/group-commit.ts):
 * first into the inbox of live work, then, for what was new there, into the record of platform ids
 * seen (inbox.ts says why they are two collections). A message is new only if both take it.
 *
 * Why this order: the inbox insert is what makes a message durable. Had the seen record come first,
 * a crash between the two would leave an id marked seen with no message stored, and the platform's
 * redelivery would then be dropped: the message lost. This way a crash between them leaves a
 * pending message without its seen record; the redelivery meets the pending one and is dropped, and
 * the recovery sweep writes the missing record (`recordSeen`) when it hands the message on.
 * A message whose id was seen long ago (a late redelivery of something handled and deleted) is
 * taken by the inbox, refused by the seen record, and removed from the inbox again.
 */
import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { driverCollection } from '../../db/driver.js';
import { isTransientDbError, retryTransient } from '../../db/retry.js';
import { deleteEachById } from './by-id.js';
import { duplicateIndexes } from './group-commit.js';
import type { InboxStore } from '../inbox-store.js';
import type { InboxDoc, InboxModel, SeenDoc, SeenModel } from './inbox.js';

/** Where `insertFresh` writes: an unordered insert, and which of some ids one `acceptId` wrote. */
interface FreshTarget<T> {
  insertMany(docs: T[]): Promise<unknown>;
  writtenBy(ids: string[], acceptId: string): Promise<string[]>;
}

const target = <T extends { _id: string; acceptId: string }>(raw: Collection<T>): FreshTarget<T> => ({
  insertMany: (docs) => raw.insertMany(docs as never, { ordered: false }),
  writtenBy: async (ids, acceptId) => (await raw.find({ _id: { $in: ids }, acceptId } as never, { projection: { _id: 1 } }).toArray()).map((o) => String(o._id)),
});

/**
 * Inserts `docs` unordered; returns the indexes refused as already there. A retry after a
 * transient error may meet documents its first try wrote: those carry this `acceptId` and count
 * as written.
 */
async function insertFresh<T extends { _id: string }>(to: FreshTarget<T>, docs: T[], acceptId: string): Promise<Set<number>> {
  const attempt = async (): Promise<Set<number>> => {
    try {
      await to.insertMany(docs);
      return new Set();
    } catch (err) {
      const dup = duplicateIndexes(err);
      if (dup) return dup;
      throw err;
    }
  };
  try {
    return await attempt();
  } catch (err) {
    if (!isTransientDbError(err)) throw err;
    const dup = await retryTransient(attempt);
    if (dup.size > 0) {
      const mine = new Set(await to.writtenBy([...dup].map((i) => docs[i]!._id), acceptId));
      for (const i of [...dup]) if (mine.has(docs[i]!._id)) dup.delete(i);
    }
    return dup;
  }
}

/** `InboxStore` on `inbound_updates` and `inbound_seen`. */
export class MongoInboxStore implements InboxStore {
  private readonly pendingTarget: FreshTarget<InboxDoc>;
  private readonly seenTarget: FreshTarget<SeenDoc>;

  constructor(
    private readonly inbox: InboxModel,
    seen: SeenModel,
  ) {
    this.pendingTarget = target(driverCollection<InboxDoc>(inbox));
    this.seenTarget = target(driverCollection<SeenDoc>(seen));
  }

  /** True per document that is new (stored in the inbox and recorded as seen). */
  async insertNew(docs: InboxDoc[]): Promise<boolean[]> {
    const acceptId = randomUUID();
    for (const d of docs) d.acceptId = acceptId;
    const pendingDup = await insertFresh(this.pendingTarget, docs, acceptId);
    const taken = docs.map((d, i) => ({ d, i })).filter(({ i }) => !pendingDup.has(i));
    if (taken.length === 0) return docs.map(() => false);
    const seenDup = await insertFresh(this.seenTarget, taken.map(({ d }) => ({ _id: d._id, receivedAt: d.receivedAt, acceptId })), acceptId);
    const late = [...seenDup].map((j) => taken[j]!.d._id);
    if (late.length > 0) await retryTransient(() => deleteEachById(this.inbox, late));
    const fresh = new Set(taken.filter((_, j) => !seenDup.has(j)).map(({ i }) => i));
    return docs.map((_, i) => fresh.has(i));
  }

  /** Makes sure these pending messages have their seen record (the sweep, after a crash between the two inserts). */
  async recordSeen(docs: InboxDoc[]): Promise<void> {
    if (docs.length === 0) return;
    await insertFresh(this.seenTarget, docs.map((d) => ({ _id: d._id, receivedAt: d.receivedAt, acceptId: d.acceptId })), '');
  }

  /** Forgets handled messages (their seen record stays). */
  async dropHandled(ids: string[]): Promise<void> {
    await retryTransient(() => deleteEachById(this.inbox, ids));
  }

  async recordFailure(id: string, attempts: number, lastError: string, give: boolean): Promise<void> {
    await this.inbox.updateOne({ _id: id }, { $set: { attempts, lastError, ...(give ? { status: 'failed' } : {}) } });
  }

  pending(cutoff: Date, limit: number): Promise<InboxDoc[]> {
    return this.inbox.find({ status: 'pending', receivedAt: { $lte: cutoff } }).limit(limit).lean<InboxDoc[]>();
  }
}
