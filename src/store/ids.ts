/**
 * Document ids of the stored concerns that use MongoDB's ObjectIds (forums, registrations,
 * reminders). Why the domain sees this type at all: ids were ObjectIds before the storage ports
 * and are part of stored data, outbox keys (`forum-reminder:<id>:…`) and button data
 * (`forumku:c:<id>`), so they stay ObjectIds; the domain only compares them as strings, passes them
 * back to its ports, and makes them from user text with {@link parseDocId}.
 */
import { Types } from 'mongoose';

/** A document id (24 hex digits as text: `String(id)`). */
export type DocId = Types.ObjectId;

/** A new id (the in-memory stores of the tests make them too). */
export const newDocId = (): DocId => new Types.ObjectId();

/** The id written as 24 hex digits, or undefined: user-supplied text never reaches a query otherwise. */
export function parseDocId(s: string): DocId | undefined {
  return /^[0-9a-f]{24}$/.test(s) ? new Types.ObjectId(s) : undefined;
}
