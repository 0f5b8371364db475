/**
 * The calendar file (.ics, RFC 5545) sent with a confirmation: one VEVENT with a stable UID (so
 * a moved forum updates the same entry, SEQUENCE = the forum's `sequence`), DTSTAMP, and times in
 * Asia/Jakarta with its VTIMEZONE (WIB has no daylight saving: one STANDARD rule, +0700).
 */
import { createEvent, type EventAttributes } from 'ics';
import { DateTime } from 'luxon';
import type { ForumDoc } from './forum-model.js';

export class CalendarError extends Error {
  override name = 'CalendarError';
}

const VTIMEZONE_JAKARTA = [
  'BEGIN:VTIMEZONE',
  'TZID:Asia/Jakarta',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0700',
  'TZOFFSETTO:+0700',
  'TZNAME:WIB',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

const localStamp = (at: Date, tz: string) => DateTime.fromJSDate(at, { zone: tz }).toFormat("yyyyMMdd'T'HHmmss");

/** The .ics text for a forum. `tz` must be Asia/Jakarta (the VTIMEZONE written is WIB's). */
export function forumCalendar(forum: Pick<ForumDoc, '_id' | 'title' | 'topic' | 'venue' | 'startAt' | 'durationMinutes' | 'sequence' | 'status'>, now: Date, opts: { tz: string; registrationCode?: string }): string {
  const tz = 'Asia/Jakarta';
  if (opts.tz !== tz) throw new CalendarError(`calendar times are written for Asia/Jakarta, not ${opts.tz}`);
  const end = new Date(forum.startAt.getTime() + forum.durationMinutes * 60_000);
  const description = [forum.topic, opts.registrationCode ? `Kode pendaftaran: ${opts.registrationCode}` : ''].filter(Boolean).join('\n\n');
  // `timestamp` (DTSTAMP) is supported by ics at run time but missing from its type definitions.
  const attributes: EventAttributes & { timestamp: number } = {
    uid: `forum-${String(forum._id)}@sapa-gajahmungkur`,
    productId: '-//Kecamatan Gajahmungkur//Sapa Gajahmungkur//ID',
    method: 'PUBLISH',
    // Local wall-clock strings: ics writes them as given; the TZID is added below.
    start: localStamp(forum.startAt, tz),
    end: localStamp(end, tz),
    timestamp: now.getTime(),
    title: forum.title,
    description,
    location: forum.venue,
    sequence: forum.sequence,
    status: forum.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new CalendarError(`could not build the calendar file: ${error?.message ?? 'empty'}`);
  return value
    .replace(/\r\nDTSTART:/, `\r\nDTSTART;TZID=${tz}:`)
    .replace(/\r\nDTEND:/, `\r\nDTEND;TZID=${tz}:`)
    .replace('\r\nBEGIN:VEVENT\r\n', `\r\n${VTIMEZONE_JAKARTA}\r\nBEGIN:VEVENT\r\n`);
}
