/**
 * Slot extraction: everything one message says about kelurahan, category, street, date, time,
 * ticket, rating and person (see `flows/content/understanding/README.md`). Pure functions of the
 * text and the turn's `now`; flows call the single extractors in choice steps ("answer" mode).
 */
import type { Slots } from '../types.js';
import { categorySlot } from './category.js';
import { dateSlot, timeSlot } from './date-time.js';
import { kelurahanSlot } from './kelurahan.js';
import { personSlot } from './person.js';
import { ratingSlot } from './rating.js';
import { streetSlot } from './street.js';
import { ticketSlot } from './ticket.js';

export { categorySlot } from './category.js';
export { dateSlot, timeSlot } from './date-time.js';
export { kelurahanSlot } from './kelurahan.js';
export { personSlot } from './person.js';
export { ratingSlot } from './rating.js';
export { streetSlot } from './street.js';
export { ticketSlot } from './ticket.js';
export { isBareRequest, requestContent } from './bare.js';
export { identityAnswer, isCancelRequest, isCourtesy, isDontKnow, isNone, yesNo } from './answers.js';

/** The slots of a free-text message, resolved in `tz` against `now`. Absent = not said. */
export function extractSlots(text: string, now: Date, tz: string): Slots {
  const slots: Slots = {};
  const kelurahan = kelurahanSlot(text, 'free');
  if (kelurahan) slots.kelurahan = kelurahan;
  const category = categorySlot(text, 'free');
  if (category) slots.category = category;
  const street = streetSlot(text);
  if (street) slots.street = street;
  const date = dateSlot(text, now, tz);
  if (date) slots.date = date;
  const time = timeSlot(text);
  if (time) slots.time = time;
  const ticket = ticketSlot(text);
  if (ticket) slots.ticket = ticket;
  const rating = ratingSlot(text);
  if (rating !== undefined) slots.rating = rating;
  const person = personSlot(text);
  if (person) slots.person = person;
  return slots;
}
