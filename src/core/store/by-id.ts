/**
 * Writes to many documents named by `_id`, in one command.
 *
 * Why two forms: FerretDB (the embedded database) answers a filter of a single `_id` equality in
 * SQLite, but `$in`, or any second field, makes it read and decode the whole collection in Go.
 * Measured on this machine with 5,000 documents: ~20 ms per `_id` statement, ~0.4 s per `$in`
 * statement, whatever its length. So a few ids go as a bulk write of `_id` statements (one round
 * trip), and more as one `$in` statement, which then costs less than that many lookups (a bulk of
 * hundreds of statements ran past the driver's 20 s socket timeout in a flood).
 */
import type { Model } from 'mongoose';

/** Up to this many ids, one statement per id; beyond, one `$in` statement (see above). */
export const BY_ID_STATEMENTS_MAX = 8;

/** Applies `update` to each of `ids` (missing ones are skipped); one command. */
export async function updateEachById<T>(model: Model<T>, ids: readonly string[], update: Record<string, unknown>): Promise<void> {
  if (ids.length === 0) return;
  if (ids.length > BY_ID_STATEMENTS_MAX) {
    await model.updateMany({ _id: { $in: ids } }, update);
    return;
  }
  await model.bulkWrite(
    ids.map((id) => ({ updateOne: { filter: { _id: id }, update } })) as Parameters<Model<T>['bulkWrite']>[0],
    { ordered: false },
  );
}

/** Deletes each of `ids` (with `also` in each statement's filter, e.g. an owner); one command. */
export async function deleteEachById<T>(model: Model<T>, ids: readonly string[], also: Record<string, unknown> = {}): Promise<void> {
  if (ids.length === 0) return;
  if (ids.length > BY_ID_STATEMENTS_MAX) {
    await model.deleteMany({ _id: { $in: ids }, ...also });
    return;
  }
  await model.bulkWrite(
    ids.map((id) => ({ deleteOne: { filter: { _id: id, ...also } } })) as Parameters<Model<T>['bulkWrite']>[0],
    { ordered: false },
  );
}
