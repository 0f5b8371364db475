/**
 * Ticket numbers: unique, never reused, from an atomic counter.
 *
 * Concurrency (why it is safe on MongoDB and on FerretDB): the counter document is bumped with
 * `$inc` in one findOneAndUpdate, which MongoDB does atomically. FerretDB 1.24 (SQLite) does not
 * guarantee that under concurrent calls (two callers can read the same value), so the counter is
 * only a fast guess: a number is *owned* by whoever inserts it first into `complaint_ticket_numbers`,
 * whose unique `_id` the database enforces on both. A caller that loses the insert bumps the counter
 * again. A number taken by a submission that later fails is skipped, never handed out twice.
 */
import { isDuplicateKey } from '../core/errors.js';
import { formatTicket } from '../domain/complaints/text.js';
import type { CounterModel, TicketClaimModel } from './complaint-models.js';

/** No number could be claimed (only under extreme contention or a broken database). */
export class TicketNumberError extends Error {
  override name = 'TicketNumberError';
}

const MAX_ATTEMPTS = 200;

async function bump(counters: CounterModel, year: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await counters.findOneAndUpdate({ _id: `complaint-${year}` }, { $inc: { seq: 1 } }, { upsert: true, new: true }).lean();
      if (!doc) throw new TicketNumberError('counter upsert returned nothing');
      return doc.seq;
    } catch (err) {
      // Two first-of-the-year upserts raced on the same _id: the document exists now; go again.
      if (isDuplicateKey(err) && attempt < 5) continue;
      throw err;
    }
  }
}

/** The next free ticket number of `year`, claimed for the caller. */
export async function nextTicketNo(models: { counters: CounterModel; claims: TicketClaimModel }, year: number, now: Date): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const ticketNo = formatTicket(year, await bump(models.counters, year));
    try {
      await models.claims.create({ _id: ticketNo, at: now });
      return ticketNo;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new TicketNumberError(`no free ticket number for ${year} after ${MAX_ATTEMPTS} attempts`);
}
