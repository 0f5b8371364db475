/**
 * What happens to a ticket after it is filed, besides the staff status buttons: the thread
 * (reporter ↔ staff messages and internal notes), the hand-over to an agency (disposisi) and its
 * answer, the reporter's contest of a "selesai" (reopen) and withdrawal. As SP4N-LAPOR! does.
 * Every status change goes through `applyTransition` (exclusive across instances); every thread
 * entry is idempotent by the key of the message or action that added it.
 */
import type { Logger } from 'pino';
import type { NotifyOutcome } from '../../core/notifier.js';
import { maskId } from '../../logging/mask.js';
import type { ComplaintAccess, Viewer } from './access.js';
import { FINAL_STATUSES, STATUSES, TRANSITIONS, type Agency, type ComplaintStatus } from './catalog.js';
import type { ComplaintMediaStore } from './media-store.js';
import type { ComplaintStore, TicketLock } from './store.js';
import type { Assignee, ComplaintDoc, Forward, HistoryEntry, StoredPhoto, ThreadEntry } from './types.js';
import type { ComplaintNotifications } from './notifications.js';
import { actorOf, reporterOf, type DraftPhoto } from './service.js';
import { appendThreadEntry, applyTransition } from './transition.js';

const DAY = 86_400_000;

/** What the reporter sent for a ticket. */
export interface ReporterContent {
  text?: string;
  /** A photo already stored by the photo intake (its id as text). */
  photo?: DraftPhoto;
  location?: { latitude: number; longitude: number; address?: string };
}

export type ThreadResult = { kind: 'added'; complaint: ComplaintDoc; entry: ThreadEntry; /** Staff chats it was passed to (0: none configured). */ staff: number } | { kind: 'closed'; complaint: ComplaintDoc } | { kind: 'not-found' };

export type ForwardResult =
  | { kind: 'forwarded'; complaint: ComplaintDoc; reporter: NotifyOutcome }
  | { kind: 'unknown-agency' }
  | { kind: 'not-allowed'; current: ComplaintStatus }
  | { kind: 'not-found' };

export type AgencyAnswerResult =
  | { kind: 'recorded'; complaint: ComplaintDoc; reporter: NotifyOutcome }
  | { kind: 'not-forwarded'; current: ComplaintStatus }
  | { kind: 'not-found' };

export type ContestResult =
  | { kind: 'reopened'; complaint: ComplaintDoc; toHead: boolean }
  | { kind: 'too-late'; days: number }
  | { kind: 'not-finished'; current: ComplaintStatus }
  | { kind: 'not-found' };

export type AssignResult = { kind: 'assigned'; complaint: ComplaintDoc } | { kind: 'not-found' };

export type WithdrawResult = { kind: 'withdrawn'; complaint: ComplaintDoc } | { kind: 'too-late'; current: ComplaintStatus } | { kind: 'not-found' };

export interface TicketActionSettings {
  /** Days after "selesai" in which the reporter may reopen. */
  contestDays: number;
  agencies: readonly Agency[];
}

export class TicketActions {
  constructor(
    private readonly deps: {
      store: ComplaintStore;
      lock: TicketLock;
      access: ComplaintAccess;
      notifications: ComplaintNotifications;
      /** Photos on the thread are marked attached so the draft-photo pruning keeps them. */
      media: Pick<ComplaintMediaStore, 'attach'>;
      /** Working-day targets for a ticket (re)started at `at`. */
      targets: (at: Date) => { responseDueAt: Date; resolutionDueAt: Date };
      settings: TicketActionSettings;
      logger: Logger;
    },
  ) {}

  get agencies(): readonly Agency[] {
    return this.deps.settings.agencies;
  }

  get contestDays(): number {
    return this.deps.settings.contestDays;
  }

  /** The reporter's tickets still being handled (newest first): where a follow-up may belong. */
  async openTicketsOf(viewer: Viewer): Promise<ComplaintDoc[]> {
    return this.deps.store.find({ reporter: reporterOf(viewer), status: { notIn: FINAL_STATUSES } }, { sort: { by: 'createdAt', dir: -1 }, limit: 20 });
  }

  /** The reporter's tickets marked "selesai" within the contest window (newest first). */
  async contestableOf(viewer: Viewer, now: Date): Promise<ComplaintDoc[]> {
    const rows = await this.deps.store.find({ reporter: reporterOf(viewer), status: { in: ['selesai'] } }, { sort: { by: 'updatedAt', dir: -1 }, limit: 20 });
    return rows.filter((c) => this.withinContest(c, now));
  }

  /** Adds what the reporter sent to an open ticket's thread and passes it to its staff. */
  async reporterMessage(ticketNo: string, viewer: Viewer, content: ReporterContent, key: string, now: Date): Promise<ThreadResult> {
    const c = await this.find(ticketNo);
    if (!c || !this.deps.access.isReporter(c, viewer)) return { kind: 'not-found' };
    if (FINAL_STATUSES.includes(c.status)) return { kind: 'closed', complaint: c };
    const { photo: draft, ...rest } = content;
    const photo: StoredPhoto | undefined = draft ? { fileId: draft.fileId, mimeType: draft.mimeType, size: draft.size } : undefined;
    const entry: ThreadEntry = { at: now, from: 'reporter', kind: 'message', ...rest, ...(photo ? { photo } : {}), key };
    if (photo) await this.deps.media.attach([photo.fileId]);
    const saved = await appendThreadEntry(this.deps, c._id, entry, now);
    if (!saved) return { kind: 'not-found' };
    const staff = await this.deps.notifications.reporterMessage(saved.complaint, saved.entry);
    this.deps.logger.info({ ticket: c.ticketNo, user: maskId(viewer.userKey), photo: Boolean(content.photo), staff }, 'reporter message added to ticket');
    return { kind: 'added', ...saved, staff };
  }

  /** An internal note: on the thread for staff, never sent to the reporter. */
  async staffNote(ticketNo: string, actor: Viewer, note: string, key: string, now: Date): Promise<ThreadResult> {
    const c = await this.find(ticketNo);
    if (!c || !this.deps.access.canHandle(c, actor)) return { kind: 'not-found' };
    const saved = await appendThreadEntry(this.deps, c._id, { at: now, from: 'staff', kind: 'note', text: note, by: actorOf(actor), key }, now);
    return saved ? { kind: 'added', ...saved, staff: 0 } : { kind: 'not-found' };
  }

  /**
   * Assigns the ticket to a colleague (a staff console account), or clears the assignment with
   * `to: null`. Recorded as an internal note on the thread (never sent to the reporter).
   * Under the ticket's lease and idempotent by `key`, like every other change of a ticket.
   */
  async assign(ticketNo: string, actor: Viewer, to: { account: string; name: string } | null, key: string, now: Date): Promise<AssignResult> {
    const c = await this.find(ticketNo);
    if (!c || !this.deps.access.canHandle(c, actor)) return { kind: 'not-found' };
    const by = actorOf(actor);
    return this.deps.lock.with(c._id, async () => {
      const fresh = await this.deps.store.byId(c._id);
      if (!fresh) return { kind: 'not-found' } as const;
      if ((fresh.thread ?? []).some((t) => t.key === key)) return { kind: 'assigned', complaint: fresh } as const;
      const assignee: Assignee | null = to ? { account: to.account, name: to.name, at: now, by } : null;
      const entry: ThreadEntry = { at: now, from: 'staff', kind: 'note', text: to ? `Ditugaskan kepada ${to.name}` : 'Penugasan dilepas', by, key };
      const updated = await this.deps.store.update(c._id, { set: { assignee, updatedAt: now }, pushThread: entry });
      if (!updated) return { kind: 'not-found' } as const;
      this.deps.logger.info({ ticket: c.ticketNo, assignee: to?.account ?? null, staff: maskId(actor.userKey) }, 'complaint assigned');
      return { kind: 'assigned', complaint: updated } as const;
    });
  }

  /** Hands a ticket over to the agency that owns the problem; the target clock pauses; the reporter is told. */
  async forward(ticketNo: string, actor: Viewer, req: { agencyId: string; note?: string; agencyRef?: string }, key: string, now: Date): Promise<ForwardResult> {
    const c = await this.find(ticketNo);
    if (!c || !this.deps.access.canHandle(c, actor)) return { kind: 'not-found' };
    const agency = this.agencies.find((a) => a.id === req.agencyId);
    if (!agency) return { kind: 'unknown-agency' };
    const forward: Forward = {
      agencyId: agency.id,
      agencyName: agency.name,
      ...(req.note ? { note: req.note } : {}),
      ...(req.agencyRef ? { agencyRef: req.agencyRef } : {}),
      at: now,
      by: actorOf(actor),
    };
    const note = [`Diteruskan ke ${agency.name}`, req.agencyRef ? ` (no. ${req.agencyRef})` : '', req.note ? `. ${req.note}` : ''].join('');
    const entry: HistoryEntry = { status: 'diteruskan', at: now, note, by: actorOf(actor), key };
    const r = await applyTransition(this.deps, c._id, { to: 'diteruskan', from: fromFor('diteruskan'), entry, now, set: () => ({ forward }) });
    if (!r) return { kind: 'not-found' };
    if (r.kind === 'not-allowed') return { kind: 'not-allowed', current: r.current.status };
    this.deps.logger.info({ ticket: c.ticketNo, agency: agency.id, staff: maskId(actor.userKey) }, 'complaint forwarded to an agency');
    const reporter = await this.deps.notifications.statusChanged(r.complaint, r.entry);
    return { kind: 'forwarded', complaint: r.complaint, reporter };
  }

  /** Records the agency's answer and closes the ticket (`selesai`) or takes it back (`diproses`). */
  async agencyAnswer(ticketNo: string, actor: Viewer, answer: string, then: 'selesai' | 'diproses', key: string, now: Date): Promise<AgencyAnswerResult> {
    const c = await this.find(ticketNo);
    if (!c || !this.deps.access.canHandle(c, actor)) return { kind: 'not-found' };
    if (c.status !== 'diteruskan' || !c.forward) return { kind: 'not-forwarded', current: c.status };
    const forwarded = c.forward;
    const agencyName = forwarded.agencyName;
    const entry: HistoryEntry = { status: then, at: now, note: `Jawaban ${agencyName}: ${answer}`, by: actorOf(actor), key };
    const r = await applyTransition(this.deps, c._id, {
      to: then,
      from: ['diteruskan'],
      entry,
      now,
      set: (fresh) => ({ forward: { ...(fresh.forward ?? forwarded), answer: { text: answer, at: now, by: actorOf(actor) } } }),
    });
    if (!r) return { kind: 'not-found' };
    if (r.kind === 'not-allowed') return { kind: 'not-forwarded', current: r.current.status };
    const reporter = await this.deps.notifications.statusChanged(r.complaint, r.entry);
    return { kind: 'recorded', complaint: r.complaint, reporter };
  }

  /** Whether the reporter may reopen this ticket now, without changing anything. */
  async contestable(ticketNo: string, viewer: Viewer, now: Date): Promise<Exclude<ContestResult, { kind: 'reopened' }> | { kind: 'ok'; complaint: ComplaintDoc }> {
    const c = await this.find(ticketNo);
    if (!c || !this.deps.access.isReporter(c, viewer)) return { kind: 'not-found' };
    if (c.status !== 'selesai') return { kind: 'not-finished', current: c.status };
    if (!this.withinContest(c, now)) return { kind: 'too-late', days: this.contestDays };
    return { kind: 'ok', complaint: c };
  }

  /**
   * The reporter says a "selesai" is not done: within the contest window the ticket reopens with
   * the reason, its targets restart, staff and the head of office are alerted; reopened twice, it
   * goes to the head of office.
   */
  async contest(ticketNo: string, viewer: Viewer, reason: string, key: string, now: Date): Promise<ContestResult> {
    const check = await this.contestable(ticketNo, viewer, now);
    if (check.kind !== 'ok') return check;
    const c = check.complaint;
    const entry: HistoryEntry = { status: 'dibuka-kembali', at: now, note: reason, by: { channel: viewer.channel, userKey: viewer.userKey }, key };
    const r = await applyTransition(this.deps, c._id, {
      to: 'dibuka-kembali',
      from: ['selesai'],
      entry,
      now,
      set: (fresh) => ({
        ...this.deps.targets(now),
        escalatedResponseAt: null,
        escalatedResolutionAt: null,
        reopenCount: (fresh.reopenCount ?? 0) + 1,
        // The rating was of the handling that did not finish the job: keep it on the thread, ask again later.
        ...(fresh.rating ? { thread: [...(fresh.thread ?? []), ratingAsThread(fresh.rating, key)] } : {}),
      }),
      unset: ['rating'],
    });
    if (!r) return { kind: 'not-found' };
    if (r.kind === 'not-allowed') return { kind: 'not-finished', current: r.current.status };
    if (!r.repeated) await this.deps.notifications.reopened(r.complaint, reason, key);
    this.deps.logger.info({ ticket: c.ticketNo, reopenCount: r.complaint.reopenCount, user: maskId(viewer.userKey) }, 'complaint reopened by its reporter');
    return { kind: 'reopened', complaint: r.complaint, toHead: r.complaint.reopenCount >= 2 };
  }

  /** The reporter withdraws their own ticket, until staff accept it; it keeps its number as "dicabut". */
  async withdraw(ticketNo: string, viewer: Viewer, key: string, now: Date): Promise<WithdrawResult> {
    const c = await this.find(ticketNo);
    if (!c || !this.deps.access.isReporter(c, viewer)) return { kind: 'not-found' };
    const entry: HistoryEntry = { status: 'dicabut', at: now, by: { channel: viewer.channel, userKey: viewer.userKey }, key };
    const r = await applyTransition(this.deps, c._id, { to: 'dicabut', from: ['baru'], entry, now });
    if (!r) return { kind: 'not-found' };
    if (r.kind === 'not-allowed') return { kind: 'too-late', current: r.current.status };
    if (!r.repeated) await this.deps.notifications.withdrawn(r.complaint, key);
    this.deps.logger.info({ ticket: c.ticketNo, user: maskId(viewer.userKey) }, 'complaint withdrawn by its reporter');
    return { kind: 'withdrawn', complaint: r.complaint };
  }

  /** True while a "selesai" ticket may still be reopened. */
  withinContest(c: Pick<ComplaintDoc, 'status' | 'history'>, now: Date): boolean {
    if (c.status !== 'selesai') return false;
    const done = [...c.history].reverse().find((h) => h.status === 'selesai');
    return done !== undefined && now.getTime() - new Date(done.at).getTime() <= this.contestDays * DAY;
  }

  private find(ticketNo: string): Promise<ComplaintDoc | null> {
    return this.deps.store.byTicketNo(ticketNo);
  }
}

/** Statuses from which staff may move a ticket to `to`. */
function fromFor(to: ComplaintStatus): ComplaintStatus[] {
  return STATUSES.filter((s) => TRANSITIONS[s].includes(to));
}

function ratingAsThread(rating: NonNullable<ComplaintDoc['rating']>, key: string): ThreadEntry {
  const text = `Penilaian sebelum dibuka kembali: ${rating.score}/5${rating.comment ? ` — "${rating.comment}"` : ''}`;
  return { at: rating.at, from: 'reporter', kind: 'message', text, key: `${key}:rating` };
}
