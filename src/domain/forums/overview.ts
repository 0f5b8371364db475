/**
 * Read model of forums for the staff console: the list (upcoming / past) with seats taken,
 * waitlist and attendance, and per-week figures for the dashboard. Registrations are read in one
 * query per list and joined in code (FerretDB has no $lookup).
 */
import type { ForumDoc } from './forum-model.js';
import type { ForumStore, RegistrationStore } from './store.js';

/** One forum with its counts. */
export interface ForumRow {
  forum: ForumDoc;
  registered: number;
  waitlisted: number;
  /** Registered people marked present. */
  attended: number;
}

/** The stores the read model reads. */
export interface OverviewModels {
  forums: ForumStore;
  registrations: RegistrationStore;
}

const endOf = (f: Pick<ForumDoc, 'startAt' | 'durationMinutes'>): number => f.startAt.getTime() + f.durationMinutes * 60_000;

/** Counts per forum id for the given forums. */
async function rowsFor(models: OverviewModels, forums: ForumDoc[]): Promise<ForumRow[]> {
  if (forums.length === 0) return [];
  const regs = await models.registrations.find({ forumIds: forums.map((f) => f._id) });
  const by = new Map<string, ForumRow>(forums.map((f) => [String(f._id), { forum: f, registered: 0, waitlisted: 0, attended: 0 }]));
  for (const r of regs) {
    const row = by.get(String(r.forumId));
    if (!row) continue;
    if (r.status === 'registered') {
      row.registered += 1;
      if (r.attendedAt) row.attended += 1;
    } else if (r.status === 'waitlisted') row.waitlisted += 1;
  }
  return forums.map((f) => by.get(String(f._id))!);
}

/**
 * Forums not yet over (soonest first; cancelled ones included, marked by their status) or over
 * (latest first), at most `limit`.
 */
export async function forumList(models: OverviewModels, which: 'upcoming' | 'past', now: Date, limit = 100): Promise<ForumRow[]> {
  // A forum is "over" at its end, which depends on its duration: read a generous window by start
  // and decide by end in code (durations are at most a day).
  const dayMs = 24 * 3_600_000;
  const docs =
    which === 'upcoming'
      ? await models.forums.find({ startsAfter: new Date(now.getTime() - dayMs), sort: 1 })
      : await models.forums.find({ startsBy: now, sort: -1, limit: limit + 50 });
  const picked = docs.filter((f) => (which === 'upcoming' ? endOf(f) > now.getTime() : endOf(f) <= now.getTime())).slice(0, limit);
  return rowsFor(models, picked);
}

/** Forum figures of one week (Monday 00:00 WIB start). */
export interface ForumWeek {
  week: string;
  forums: number;
  registered: number;
  attended: number;
}

/**
 * Held (not cancelled) forums that started in [from, to), bucketed by `weekOf(startAt)`, with
 * registered people and attendance.
 */
export async function forumWeeks(models: OverviewModels, from: Date, to: Date, weekOf: (d: Date) => string): Promise<ForumWeek[]> {
  const forums = await models.forums.find({ status: 'scheduled', startsFrom: from, startsBefore: to });
  const rows = await rowsFor(models, forums);
  const weeks = new Map<string, ForumWeek>();
  for (const r of rows) {
    const week = weekOf(r.forum.startAt);
    const w = weeks.get(week) ?? { week, forums: 0, registered: 0, attended: 0 };
    w.forums += 1;
    w.registered += r.registered;
    w.attended += r.attended;
    weeks.set(week, w);
  }
  return [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
}
