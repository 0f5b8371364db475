/**
 * One document inserted on its unique `_id`: true when it was written, false when that `_id` was
 * there already. The insert is what decides "once" (a new username, a form acting once, a survey
 * taken once): it is atomic on MongoDB and FerretDB alike, where a conditional update is not.
 */
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../errors.js';

export async function insertOnce<T>(model: Model<T>, doc: T): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
