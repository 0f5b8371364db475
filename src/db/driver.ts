/**
 * Writes that bypass mongoose models: documents stored exactly as given (ids of another type,
 * timestamps kept, no casting), and unordered bulk inserts where a document already there is
 * expected (a claim someone else won, a copy a crashed run left behind) rather than an error.
 */
import type { Connection } from 'mongoose';
import { retryTransient } from './retry.js';

/** The driver's collection behind a model: no casting, documents written as given. */
export function driverCollection<T extends object>(model: { db: Connection; collection: { collectionName: string } }) {
  const db = model.db.db;
  if (!db) throw new Error('database connection is not open');
  return db.collection<T>(model.collection.collectionName);
}

/**
 * Runs `insert` (an unordered `insertMany`), retrying transient errors. Returns the indexes of the
 * documents not written because their unique key exists; any other error throws.
 */
export async function insertIgnoringDuplicates(insert: () => Promise<unknown>): Promise<Set<number>> {
  try {
    await retryTransient(insert);
    return new Set();
  } catch (err) {
    const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
    const list = Array.isArray(writeErrors) ? (writeErrors as Array<{ index?: number; code?: number; err?: { code?: number; index?: number } }>) : undefined;
    // A bulk error without write errors is a failed connection, not duplicates: it throws.
    if (!list?.length) {
      if ((err as { code?: unknown }).code === 11000) return new Set([0]);
      throw err;
    }
    const failed = new Set<number>();
    for (const e of list) {
      const code = e.code ?? e.err?.code;
      if (code !== 11000) throw err;
      failed.add(e.index ?? e.err?.index ?? -1);
    }
    return failed;
  }
}
