/**
 * Staff's side of forums: create, edit (a move re-plans reminders and tells registrants),
 * cancel (registrants told, reminders stopped), registrants, attendance, CSV export, counts.
 */
import type { Logger } from 'pino';
import { toCsv } from './csv.js';
import type { ForumDoc } from './forum-model.js';
import type { ForumCounts } from './messages.js';
import type { ResidentNotices } from './notices.js';
import type { RegistrationDoc } from './registration-model.js';
import { parseId, type ForumLock, type RegistrationService } from './registration-service.js';
import type { ReminderStatus } from './reminder-model.js';
import type { ReminderPlanner } from './reminder-plan.js';
import type { DocId, ForumStore, RegistrationStore, ReminderStore } from './store.js';
import { formatShort } from './wib-time.js';

/** The fields staff set on a forum (documented on {@link ForumDoc}). */
export type ForumInput = Pick<
  ForumDoc,
  'title' | 'topic' | 'kelurahan' | 'venue' | 'startAt' | 'durationMinutes' | 'capacity' | 'registrationDeadline'
>;

export type UpdateResult =
  | { kind: 'updated'; forum: ForumDoc; moved: boolean; promoted: number; told: number }
  | { kind: 'capacity-below-registered'; registered: number }
  | { kind: 'deadline-after-start' }
  | { kind: 'not-found' }
  | { kind: 'cancelled' };

export type AttendanceResult =
  | { kind: 'marked'; registration: RegistrationDoc; already: boolean }
  | { kind: 'many'; matches: RegistrationDoc[] }
  | { kind: 'none' };

/** Reminder outcome counts for staff. */
export interface ReminderCounts {
  byStatus: Record<ReminderStatus, number>;
  /** e.g. `{ delivered: 10, template: 3, blocked: 1 }`. */
  byOutcome: Record<string, number>;
}

const simplify = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '');

export class ForumService {
  constructor(
    private readonly deps: {
      forums: ForumStore;
      registrations: RegistrationStore;
      /** Reminders, archived ones included (counts). */
      reminders: ReminderStore;
      lock: ForumLock;
      planner: ReminderPlanner;
      notices: ResidentNotices;
      registrationService: RegistrationService;
      logger: Logger;
      tz: string;
    },
  ) {}

  async create(input: ForumInput, createdBy: string, now: Date): Promise<ForumDoc> {
    const forum = await this.deps.forums.create({ ...input, status: 'scheduled', sequence: 0, waitSeq: 0, createdBy });
    await this.deps.planner.planStaff(forum, now);
    this.deps.logger.info({ forum: String(forum._id), startAt: forum.startAt.toISOString() }, 'forum created');
    return forum;
  }

  async get(id: string): Promise<ForumDoc | null> {
    const oid = parseId(id);
    return oid ? this.deps.forums.get(oid) : null;
  }

  /** Scheduled forums that have not started, soonest first; `openOnly` = registration still open. */
  async upcoming(now: Date, opts: { openOnly?: boolean; limit?: number } = {}): Promise<ForumDoc[]> {
    return this.deps.forums.find({ status: 'scheduled', startsAfter: now, ...(opts.openOnly ? { deadlineAfter: now } : {}), sort: 1, limit: opts.limit ?? 50 });
  }

  /** Applies staff's changes. A new date/time moves reminders and tells registrants; more seats promote the waitlist. */
  async update(id: string, patch: Partial<ForumInput>, now: Date): Promise<UpdateResult> {
    const forumId = parseId(id);
    if (!forumId) return { kind: 'not-found' };
    const before = await this.deps.forums.get(forumId);
    if (!before) return { kind: 'not-found' };
    if (before.status === 'cancelled') return { kind: 'cancelled' };
    const startAt = patch.startAt ?? before.startAt;
    const deadline = patch.registrationDeadline ?? (patch.startAt && before.registrationDeadline > startAt ? startAt : before.registrationDeadline);
    if (deadline.getTime() > startAt.getTime()) return { kind: 'deadline-after-start' };
    const moved = patch.startAt !== undefined && patch.startAt.getTime() !== before.startAt.getTime();
    const timeChanged = moved || (patch.durationMinutes !== undefined && patch.durationMinutes !== before.durationMinutes);

    const updated = await this.deps.lock.with(forumId, async () => {
      if (patch.capacity !== undefined) {
        const registered = await this.deps.registrations.countRegistered(forumId);
        if (patch.capacity < registered) return { kind: 'capacity-below-registered', registered } as const;
      }
      const forum = await this.deps.forums.updateScheduled(forumId, { ...patch, registrationDeadline: deadline }, timeChanged);
      return forum ? ({ kind: 'ok', forum } as const) : ({ kind: 'cancelled' } as const);
    });
    if (updated.kind !== 'ok') return updated;
    const forum = updated.forum;

    let told = 0;
    if (moved) {
      await this.deps.planner.planStaff(forum, now);
      const regs = await this.active(forumId);
      for (const reg of regs) if (reg.status === 'registered') await this.deps.planner.planResident(reg, forum, now);
      await this.deps.notices.moved(forum, before.startAt, regs, now);
      told = regs.length;
      this.deps.logger.info({ forum: String(forumId), from: before.startAt.toISOString(), to: forum.startAt.toISOString(), told }, 'forum moved');
    }
    const promoted = patch.capacity !== undefined && patch.capacity > before.capacity ? (await this.deps.registrationService.promoteWaitlist(forumId, now)).length : 0;
    return { kind: 'updated', forum, moved, promoted, told };
  }

  /** Cancels a forum: every registrant and waitlisted person is told; no reminder goes out. */
  async cancel(id: string, now: Date): Promise<{ kind: 'cancelled'; forum: ForumDoc; told: number } | { kind: 'not-found' } | { kind: 'already' }> {
    const forumId = parseId(id);
    if (!forumId) return { kind: 'not-found' };
    const forum = await this.deps.lock.with(forumId, () => this.deps.forums.cancelScheduled(forumId, now));
    if (!forum) return (await this.deps.forums.exists(forumId)) ? { kind: 'already' } : { kind: 'not-found' };
    await this.deps.planner.skipForForum(forumId, 'forum-cancelled');
    const regs = await this.active(forumId);
    await this.deps.notices.cancelled(forum, regs);
    this.deps.logger.info({ forum: String(forumId), told: regs.length }, 'forum cancelled');
    return { kind: 'cancelled', forum, told: regs.length };
  }

  async counts(forumId: DocId): Promise<ForumCounts> {
    const regs = await this.deps.registrations.find({ forumIds: [forumId] });
    const c: ForumCounts = { registered: 0, waitlisted: 0, cancelled: 0, attended: 0 };
    for (const r of regs) {
      c[r.status] += 1;
      if (r.attendedAt && r.status === 'registered') c.attended += 1;
    }
    return c;
  }

  /** Registered (in sign-up order) then waitlisted (in waitlist order). */
  async registrants(forumId: DocId): Promise<RegistrationDoc[]> {
    const regs = await this.active(forumId);
    const reg = regs.filter((r) => r.status === 'registered').sort((a, b) => (a.registeredAt?.getTime() ?? 0) - (b.registeredAt?.getTime() ?? 0));
    const wait = regs.filter((r) => r.status === 'waitlisted').sort((a, b) => (a.waitSeq ?? 0) - (b.waitSeq ?? 0));
    return [...reg, ...wait];
  }

  /** Marks a registrant present by registration code (exact) or by name (unique match). */
  async markAttendance(forumId: DocId, query: string, now: Date): Promise<AttendanceResult> {
    const regs = (await this.active(forumId)).filter((r) => r.status === 'registered');
    const q = simplify(query);
    if (q.length === 0) return { kind: 'none' };
    const byCode = regs.find((r) => simplify(r.code) === q || simplify(r.code) === `fw${q}`);
    let matches = byCode ? [byCode] : regs.filter((r) => simplify(r.name) === q);
    if (matches.length === 0) matches = regs.filter((r) => simplify(r.name).includes(q));
    if (matches.length === 0) return { kind: 'none' };
    if (matches.length > 1) return { kind: 'many', matches };
    const target = matches[0]!;
    return this.markById(String(target._id), now);
  }

  /** Marks one registration (picked from a list) present. */
  async markById(registrationId: string, now: Date): Promise<AttendanceResult> {
    const id = parseId(registrationId);
    if (!id) return { kind: 'none' };
    const reg = await this.deps.registrations.get(id);
    if (!reg || reg.status !== 'registered') return { kind: 'none' };
    if (reg.attendedAt) return { kind: 'marked', registration: reg, already: true };
    const updated = await this.deps.registrations.markAttended(id, now);
    return { kind: 'marked', registration: updated!, already: false };
  }

  /** All registrations as CSV (UTF-8 with BOM). */
  async exportCsv(forumId: DocId): Promise<Buffer> {
    const regs = await this.deps.registrations.find({ forumIds: [forumId] });
    const order = { registered: 0, waitlisted: 1, cancelled: 2 } as const;
    regs.sort((a, b) => order[a.status] - order[b.status] || (a.waitSeq ?? 0) - (b.waitSeq ?? 0) || a.createdAt.getTime() - b.createdAt.getTime());
    const tz = this.deps.tz;
    const status = { registered: 'terdaftar', waitlisted: 'daftar tunggu', cancelled: 'batal' } as const;
    return toCsv(
      ['kode', 'nama', 'kelurahan', 'telepon', 'kanal', 'status', 'terdaftar (WIB)', 'hadir (WIB)'],
      regs.map((r) => [
        r.code,
        r.name,
        r.kelurahan,
        r.phone ?? (r.channel === 'whatsapp' ? r.userKey : ''),
        r.channel,
        status[r.status],
        r.registeredAt ? formatShort(r.registeredAt, tz) : r.waitlistedAt ? formatShort(r.waitlistedAt, tz) : '',
        r.attendedAt ? formatShort(r.attendedAt, tz) : '',
      ]),
    );
  }

  /** Reminder outcomes, for one forum or (no id) all, archived ones included. */
  async reminderCounts(forumId?: DocId): Promise<ReminderCounts> {
    const docs = await this.deps.reminders.outcomes(forumId);
    const byStatus: Record<ReminderStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
    const byOutcome: Record<string, number> = {};
    for (const d of docs) {
      byStatus[d.status] += 1;
      if (d.outcome) byOutcome[d.outcome] = (byOutcome[d.outcome] ?? 0) + 1;
    }
    return { byStatus, byOutcome };
  }

  private active(forumId: DocId): Promise<RegistrationDoc[]> {
    return this.deps.registrations.find({ forumIds: [forumId], statuses: ['registered', 'waitlisted'] });
  }
}
