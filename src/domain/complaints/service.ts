/**
 * Complaint records: submission (with duplicate and daily-limit checks), status changes,
 * replies, ratings and look-ups with access control. Flows call this; it never sees a platform.
 */
import type { Logger } from 'pino';
import type { Lang } from '../../core/messages.js';
import type { NotifyOutcome } from '../../core/notifier.js';
import { maskId } from '../../logging/mask.js';
import type { ComplaintAccess, Viewer } from './access.js';
import { FINAL_STATUSES, PAUSED_STATUSES, STAFF_BUTTON_STATUSES, STATUSES, TRANSITIONS, type CategoryId, type ComplaintStatus, type Identity, type KelurahanId } from './catalog.js';
import type { ComplaintMediaStore } from './media-store.js';
import type { ComplaintStore, NewComplaint, ReporterRef, TicketLock, TicketQuery } from './store.js';
import type { ComplaintDoc, HistoryEntry, Place, StoredPhoto } from './types.js';
import type { ComplaintNotifications } from './notifications.js';
import { appendThreadEntry, applyTransition } from './transition.js';
import { sameTextHash } from './text.js';
import type { WorkingDayCalendar } from './working-days.js';
import { DateTime } from 'luxon';

/** A photo in a draft (drafts live in the session as JSON): a stored photo's id, type and size. */
export type DraftPhoto = StoredPhoto;

/** A complete draft, ready to submit. */
export interface ComplaintSubmission {
  category: CategoryId;
  kelurahan: KelurahanId;
  place: Place;
  description: string;
  photos: DraftPhoto[];
  identity: Identity;
  /** Phone the reporter shared (Telegram), if any. */
  phone?: string;
}

/** Settings of the service. */
export interface ComplaintServiceSettings {
  /** Complaints per person per day (display-zone day). */
  dailyLimit: number;
  responseWorkingDays: number;
  resolutionWorkingDays: number;
  /** Same text from the same person within this many minutes is the same complaint (default 10). */
  duplicateWindowMinutes?: number;
  tz: string;
}

export type SubmitResult =
  | { kind: 'created'; complaint: ComplaintDoc }
  /** The same text from the same person came in minutes ago: no second ticket. */
  | { kind: 'duplicate'; complaint: ComplaintDoc }
  | { kind: 'limit'; limit: number };

export type ChangeResult =
  | { kind: 'changed'; complaint: ComplaintDoc; entry: HistoryEntry; reporter: NotifyOutcome }
  | { kind: 'not-found' }
  | { kind: 'not-allowed'; current: ComplaintStatus };

export type RateResult = { kind: 'rated'; complaint: ComplaintDoc } | { kind: 'not-found' } | { kind: 'not-finished' } | { kind: 'already-rated' };

export class ComplaintService {
  constructor(
    private readonly deps: {
      store: ComplaintStore;
      media: Pick<ComplaintMediaStore, 'attach'>;
      notifications: ComplaintNotifications;
      access: ComplaintAccess;
      /** Serialises decisions about one ticket across instances (status, rating). */
      lock: TicketLock;
      calendar: WorkingDayCalendar;
      settings: ComplaintServiceSettings;
      logger: Logger;
    },
  ) {}

  get access(): ComplaintAccess {
    return this.deps.access;
  }

  /** How many complaints this person filed today (display-zone day). */
  async countToday(viewer: Viewer, now: Date): Promise<number> {
    return this.deps.store.count({ reporter: reporterOf(viewer), createdFrom: this.deps.calendar.startOfDay(now) });
  }

  /** True when this person may file another complaint today. */
  async canFileToday(viewer: Viewer, now: Date): Promise<boolean> {
    return (await this.countToday(viewer, now)) < this.deps.settings.dailyLimit;
  }

  get dailyLimit(): number {
    return this.deps.settings.dailyLimit;
  }

  get responseWorkingDays(): number {
    return this.deps.settings.responseWorkingDays;
  }

  /** Working-day target dates for a complaint filed at `at`. */
  targets(at: Date): { responseDueAt: Date; resolutionDueAt: Date } {
    const { calendar, settings } = this.deps;
    return {
      responseDueAt: calendar.dueAfter(at, settings.responseWorkingDays),
      resolutionDueAt: calendar.dueAfter(at, settings.resolutionWorkingDays),
    };
  }

  /**
   * Saves a complaint and alerts staff. `key` is the idempotency key of the message that sent it:
   * a retried message returns the ticket already saved.
   */
  async submit(s: ComplaintSubmission, reporter: Viewer & { lang: Lang }, key: string, now: Date): Promise<SubmitResult> {
    const { store, settings, logger } = this.deps;
    const again = await store.bySubmitKey(key);
    if (again) {
      await this.alertStaff(again, now);
      return { kind: 'created', complaint: again };
    }
    const textHash = sameTextHash(s.description);
    const windowMs = (settings.duplicateWindowMinutes ?? 10) * 60_000;
    const [dup] = await store.find({ reporter: reporterOf(reporter), textHash, createdFrom: new Date(now.getTime() - windowMs) }, { limit: 1 });
    if (dup) return { kind: 'duplicate', complaint: dup };
    if (!(await this.canFileToday(reporter, now))) return { kind: 'limit', limit: settings.dailyLimit };

    const year = DateTime.fromJSDate(now).setZone(settings.tz).year;
    const ticketNo = await store.nextTicketNo(year, now);
    const named = s.identity !== 'anonim';
    const phone = s.phone ?? reporter.phone;
    const doc: NewComplaint = {
      ticketNo,
      category: s.category,
      kelurahan: s.kelurahan,
      place: s.place,
      description: s.description,
      textHash,
      photos: s.photos.map((p) => ({ fileId: p.fileId, mimeType: p.mimeType, size: p.size })),
      identity: s.identity,
      // An anonymous reporter's name and number are not kept at all (the chat key is needed to reply).
      reporter: {
        channel: reporter.channel,
        userKey: reporter.userKey,
        chatId: reporter.chatId,
        lang: reporter.lang,
        ...(named && reporter.name ? { name: reporter.name } : {}),
        ...(named && phone ? { phone } : {}),
      },
      status: 'baru',
      history: [{ status: 'baru', at: now, key }],
      thread: [],
      reopenCount: 0,
      pausedAt: null,
      ...this.targets(now),
      escalatedResponseAt: null,
      escalatedResolutionAt: null,
      staffAlertedAt: null,
      submitKey: key,
      createdAt: now,
      updatedAt: now,
    };
    // Stored once per `key`: a retried message racing this one gets the ticket the store kept.
    const saved = await store.insert(doc);
    await this.deps.media.attach(saved.photos.map((p) => p.fileId));
    logger.info({ ticket: saved.ticketNo, user: maskId(reporter.userKey), channel: reporter.channel, category: saved.category, identity: saved.identity, photos: saved.photos.length }, 'complaint submitted');
    await this.alertStaff(saved, now);
    return { kind: 'created', complaint: saved };
  }

  /** Posts the complaint to staff; a failure is logged and retried by a job (staffAlertedAt stays null). */
  private async alertStaff(c: ComplaintDoc, now: Date): Promise<void> {
    try {
      await this.deps.notifications.newComplaint(c);
      await this.deps.store.markStaffAlerted(c._id, now);
    } catch (err) {
      this.deps.logger.error({ err, ticket: c.ticketNo }, 'could not alert staff of a new complaint; the job will retry');
    }
  }

  /** Re-sends staff alerts that failed (idempotent by key). */
  async retryStaffAlerts(now: Date): Promise<number> {
    const rows = await this.deps.store.find({ staffNotAlerted: true, createdAtOrBefore: new Date(now.getTime() - 60_000) }, { limit: 100 });
    for (const c of rows) await this.alertStaff(c, now);
    return rows.length;
  }

  /** The ticket if this viewer may see it; `null` both when it does not exist and when it is not theirs. */
  async findVisible(ticketNo: string, viewer: Viewer): Promise<ComplaintDoc | null> {
    const c = await this.deps.store.byTicketNo(ticketNo);
    return c && this.deps.access.canSee(c, viewer) ? c : null;
  }

  /** The person's own most recent tickets. */
  async recentOf(viewer: Viewer, limit = 8): Promise<ComplaintDoc[]> {
    return this.deps.store.find({ reporter: reporterOf(viewer) }, { sort: { by: 'createdAt', dir: -1 }, limit });
  }

  /**
   * Moves a ticket to `to` (one of the staff buttons: diterima, diproses, selesai, ditolak) and
   * tells the reporter. Idempotent by `key`: a retried action finds its own history entry and only
   * re-sends the (idempotent) notification. Exclusive across instances (see transition.ts).
   */
  async changeStatus(ticketNo: string, to: ComplaintStatus, actor: Viewer, note: string | undefined, key: string, now: Date): Promise<ChangeResult> {
    const { store, access } = this.deps;
    const current = await store.byTicketNo(ticketNo);
    if (!current || !access.canHandle(current, actor)) return { kind: 'not-found' };
    if (!STAFF_BUTTON_STATUSES.includes(to)) return { kind: 'not-allowed', current: current.status };
    const entry: HistoryEntry = { status: to, at: now, ...(note ? { note } : {}), by: actorOf(actor), key };
    const r = await applyTransition(this.deps, current._id, { to, from: STATUSES.filter((s) => TRANSITIONS[s].includes(to)), entry, now });
    if (!r) return { kind: 'not-found' };
    if (r.kind === 'not-allowed') return { kind: 'not-allowed', current: r.current.status };
    this.deps.logger.info({ ticket: ticketNo, status: to, staff: maskId(actor.userKey) }, 'complaint status changed');
    const reporter = await this.deps.notifications.statusChanged(r.complaint, r.entry);
    return { kind: 'changed', complaint: r.complaint, entry: r.entry, reporter };
  }

  /** Sends the reporter a message from staff. */
  async messageReporter(ticketNo: string, actor: Viewer, message: string, key: string, now: Date): Promise<{ kind: 'sent'; outcome: NotifyOutcome; complaint: ComplaintDoc } | { kind: 'not-found' }> {
    const c = await this.deps.store.byTicketNo(ticketNo);
    if (!c || !this.deps.access.canHandle(c, actor)) return { kind: 'not-found' };
    const outcome = await this.deps.notifications.staffMessage(c, message, key);
    await appendThreadEntry(this.deps, c._id, { at: now, from: 'staff', kind: 'message', text: message, by: actorOf(actor), key });
    this.deps.logger.info({ ticket: ticketNo, staff: maskId(actor.userKey), outcome }, 'staff message to reporter');
    return { kind: 'sent', outcome, complaint: c };
  }

  /** The reporter rates a finished ticket (once). */
  async rate(ticketNo: string, viewer: Viewer, score: number, now: Date): Promise<RateResult> {
    const { store, access } = this.deps;
    const c = await store.byTicketNo(ticketNo);
    if (!c || !access.isReporter(c, viewer)) return { kind: 'not-found' };
    if (c.status !== 'selesai') return { kind: 'not-finished' };
    if (c.rating) return { kind: 'already-rated' };
    // Under the ticket's lock (a conditional update alone is not exclusive on FerretDB): rated once.
    const updated = await this.deps.lock.with(c._id, () => store.setRatingIfNone(c._id, { score: Math.trunc(score), at: now }, now));
    return updated ? { kind: 'rated', complaint: updated } : { kind: 'already-rated' };
  }

  /** Adds the reporter's comment to their rating. */
  async comment(ticketNo: string, viewer: Viewer, comment: string): Promise<boolean> {
    return this.deps.store.addRatingComment(ticketNo, reporterOf(viewer), comment);
  }

  /** Complaints filed in [from, to) this viewer may export; `rahasia` only for senior staff. */
  async forExport(viewer: Viewer, from: Date, to: Date): Promise<ComplaintDoc[]> {
    const q: TicketQuery = { createdFrom: from, createdBefore: to, ...(this.deps.access.isSenior(viewer) ? {} : { identityNot: 'rahasia' as const }) };
    return this.deps.store.find(q, { sort: { by: 'createdAt', dir: 1 }, limit: 20_000 });
  }

  /** Alerts the head of office about tickets past a target, once per breach. Returns how many. */
  async escalateOverdue(now: Date): Promise<number> {
    const { store, notifications } = this.deps;
    let n = 0;
    const targets = [
      { target: 'response' as const, field: 'escalatedResponseAt' as const, query: { status: { in: ['baru'] }, due: { target: 'responseDueAt', atOrBefore: now }, notEscalated: 'escalatedResponseAt' } satisfies TicketQuery },
      {
        target: 'resolution' as const,
        field: 'escalatedResolutionAt' as const,
        query: { status: { notIn: [...FINAL_STATUSES, ...PAUSED_STATUSES] }, due: { target: 'resolutionDueAt', atOrBefore: now }, notEscalated: 'escalatedResolutionAt' } satisfies TicketQuery,
      },
    ];
    for (const t of targets) {
      const rows = await store.find(t.query, { sort: { by: 'createdAt', dir: 1 }, limit: 200 });
      for (const c of rows) {
        // Send first (idempotent by key), then mark: a crash in between re-sends nothing twice.
        await notifications.escalation(c, t.target);
        await store.markEscalated(c._id, t.field, now);
        n++;
      }
    }
    if (n) this.deps.logger.info({ escalated: n }, 'overdue complaints escalated');
    return n;
  }
}

/** The reporter identity of a viewer, as the store's queries take it. */
export const reporterOf = (v: Viewer): ReporterRef => ({ channel: v.channel, userKey: v.userKey });

/** How an actor is recorded in history and thread entries. */
export function actorOf(v: Viewer): { channel: Viewer['channel']; userKey: string; name?: string; account?: string } {
  return { channel: v.channel, userKey: v.userKey, ...(v.name ? { name: v.name } : {}), ...(v.console ? { account: v.console.account } : {}) };
}
