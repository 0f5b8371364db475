/**
 * After a forum: each person staff marked as present is offered the survey once, when the forum is
 * over (a pushed prompt, so a typed "ya" starts it). Runs as a job; safe to run on several
 * instances and to repeat: the offer's outbox key is unique per registration (the outbox never
 * queues a key twice), and an `ikm_offers` record stops later runs from looking at it again.
 * People who already took the forum survey this period are not asked.
 */
import type { Logger } from 'pino';
import type { Channel, Lang, Reply } from '../../core/messages.js';
import type { Notifier } from '../../core/notifier.js';
import type { ServiceId } from './content.js';
import type { IkmStore } from './store.js';
import type { IkmService } from './service.js';

/** A person present at a forum that is over. */
export interface ForumAttendee {
  registrationId: string;
  channel: Channel;
  userKey: string;
  lang: Lang;
}

/** Where attendees come from (the forums feature answers it). */
export interface AttendancePort {
  /** People marked present at forums that ended between `from` and `to`. */
  attendeesOfForumsEnded(from: Date, to: Date): Promise<ForumAttendee[]>;
}

/** How far back a finished forum still gets offers (a late attendance mark counts too). */
export const OFFER_WINDOW_MS = 7 * 24 * 3_600_000;

export async function offerSurveyAfterForums(deps: {
  attendance: AttendancePort;
  store: IkmStore;
  ikm: IkmService;
  notifier: Notifier;
  offer: (service: ServiceId, lang: Lang) => Reply;
  logger: Logger;
  now: Date;
}): Promise<{ offered: number }> {
  const { now } = deps;
  const attendees = await deps.attendance.attendeesOfForumsEnded(new Date(now.getTime() - OFFER_WINDOW_MS), now);
  if (attendees.length === 0) return { offered: 0 };
  const done = await deps.store.offersMade(attendees.map((a) => `forum:${a.registrationId}`));
  let offered = 0;
  for (const a of attendees) {
    const id = `forum:${a.registrationId}`;
    if (done.has(id)) continue;
    if (!(await deps.ikm.hasTaken(a, 'forum', now))) {
      const outcome = await deps.notifier.toContact(a.channel, a.userKey, [deps.offer('forum', a.lang)], {
        key: `ikm:offer:${id}`,
        expect: { flow: 'ikm-survey', step: 'intro', data: { service: 'forum' }, ttlHours: 72 },
      });
      if (outcome === 'queued') offered += 1;
      else deps.logger.info({ registration: a.registrationId, outcome }, 'survey offer after a forum not sent');
    }
    await deps.store.recordOffer(id, now);
  }
  return { offered };
}
