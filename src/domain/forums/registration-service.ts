/**
 * Residents' side of forums: sign-up with capacity and waitlist, cancellation with promotion of
 * the first on the waitlist, "my forums", and the profile remembered from earlier sign-ups.
 * Seat decisions run under the forum's lease (core/keyed-lock.ts).
 */
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { Channel } from '../../core/messages.js';
import { parseDocId } from '../../store/ids.js';
import { maskId } from '../../logging/mask.js';
import { RegistrationCodeError } from './errors.js';
import type { KeyedLock } from '../../core/keyed-lock.js';
import type { ForumDoc } from './forum-model.js';
import type { ResidentNotices } from './notices.js';
import type { RegistrationDoc } from './registration-model.js';
import type { ReminderPlanner } from './reminder-plan.js';
import type { DocId, ForumStore, RegistrationStore } from './store.js';

/** Who signs up, and the details they gave (fields documented on {@link RegistrationDoc}). */
export type SignUpRequest = Pick<RegistrationDoc, 'channel' | 'userKey' | 'name' | 'kelurahan' | 'phone' | 'lang'> & {
  forumId: string;
  /** Take a waitlist place when the forum is full (false: just report `full`). */
  waitlist: boolean;
};

export type SignUpResult =
  | { kind: 'registered'; forum: ForumDoc; registration: RegistrationDoc }
  | { kind: 'waitlisted'; forum: ForumDoc; registration: RegistrationDoc; position: number }
  | { kind: 'already'; forum: ForumDoc; registration: RegistrationDoc; position?: number }
  | { kind: 'full'; forum: ForumDoc }
  | { kind: 'closed'; forum: ForumDoc; reason: 'deadline' | 'started' | 'cancelled' }
  | { kind: 'not-found' };

export type CancelResult =
  | { kind: 'cancelled'; forum: ForumDoc; registration: RegistrationDoc; promoted: RegistrationDoc[] }
  | { kind: 'not-active' };

/** What a person told us at an earlier sign-up (asked only when missing). */
export interface ResidentProfile {
  name?: string;
  kelurahan?: string;
  phone?: string;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () => `FW-${Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')}`;

/**
 * The forum's keyed lock (core/keyed-lock.ts: a lease taken by unique insert, exclusive across
 * instances): every seat and waitlist decision runs while holding it.
 */
export type ForumLock = Pick<KeyedLock, 'with'>;

export const contactKeyOf = (channel: Channel, userKey: string): string => `${channel}:${userKey}`;

/** A 24-hex ObjectId from user-supplied text (choice ids), or undefined: never passed to a query otherwise. */
export function parseId(s: string): DocId | undefined {
  return parseDocId(s);
}

export class RegistrationService {
  constructor(
    private readonly deps: {
      forums: ForumStore;
      registrations: RegistrationStore;
      lock: ForumLock;
      planner: ReminderPlanner;
      /** Tells people promoted from the waitlist. */
      notices: Pick<ResidentNotices, 'promoted'>;
      logger: Logger;
    },
  ) {}

  /** Registers, or waitlists, or reports why not. Repeating it for the same person is harmless. */
  async signUp(req: SignUpRequest, now: Date): Promise<SignUpResult> {
    const forumId = parseId(req.forumId);
    if (!forumId) return { kind: 'not-found' };
    const { forums, registrations } = this.deps;
    if (!(await forums.exists(forumId))) return { kind: 'not-found' };
    const contactKey = contactKeyOf(req.channel, req.userKey);
    return this.deps.lock.with(forumId, async () => {
      const forum = await forums.get(forumId);
      if (!forum) return { kind: 'not-found' } as const;
      const existing = await registrations.ofContact(forumId, contactKey);
      if (existing && existing.status !== 'cancelled') {
        return { kind: 'already', forum, registration: existing, ...(existing.status === 'waitlisted' ? { position: await this.positionOf(existing) } : {}) } as const;
      }
      if (forum.status === 'cancelled') return { kind: 'closed', forum, reason: 'cancelled' } as const;
      if (forum.startAt.getTime() <= now.getTime()) return { kind: 'closed', forum, reason: 'started' } as const;
      if (forum.registrationDeadline.getTime() <= now.getTime()) return { kind: 'closed', forum, reason: 'deadline' } as const;

      const taken = await registrations.countRegistered(forumId);
      const seat = taken < forum.capacity;
      if (!seat && !req.waitlist) return { kind: 'full', forum } as const;
      const details = {
        channel: req.channel,
        userKey: req.userKey,
        name: req.name,
        kelurahan: req.kelurahan,
        lang: req.lang,
        ...(req.phone ? { phone: req.phone } : {}),
      };
      let registration: RegistrationDoc;
      if (seat) {
        registration = await this.write(existing, { forumId, contactKey, ...details, status: 'registered', waitSeq: null, registeredAt: now });
        await this.deps.planner.planResident(registration, forum, now);
        return { kind: 'registered', forum, registration } as const;
      }
      const waitSeq = await forums.nextWaitSeq(forumId);
      registration = await this.write(existing, { forumId, contactKey, ...details, status: 'waitlisted', waitSeq, waitlistedAt: now });
      return { kind: 'waitlisted', forum, registration, position: await this.positionOf(registration) } as const;
    });
  }

  /** Cancels one's own registration (or waitlist place); the first on the waitlist moves up and is told. */
  async cancel(registrationId: string, channel: Channel, userKey: string, now: Date): Promise<CancelResult> {
    const id = parseId(registrationId);
    if (!id) return { kind: 'not-active' };
    const contactKey = contactKeyOf(channel, userKey);
    const reg = await this.deps.registrations.get(id);
    if (!reg || reg.contactKey !== contactKey || reg.status === 'cancelled') return { kind: 'not-active' };
    const result = await this.deps.lock.with(reg.forumId, async () => {
      const cancelled = await this.deps.registrations.cancelActive(id, contactKey, now);
      if (!cancelled) return undefined;
      await this.deps.planner.skipForRegistration(id, 'registration-cancelled');
      const forum = await this.deps.forums.get(reg.forumId);
      const promoted = forum ? await this.promoteLocked(forum, now) : [];
      return forum ? { forum, cancelled, promoted } : undefined;
    });
    if (!result) return { kind: 'not-active' };
    await this.tellPromoted(result.forum, result.promoted, now);
    return { kind: 'cancelled', forum: result.forum, registration: result.cancelled, promoted: result.promoted };
  }

  /** Fills free seats from the waitlist, in order (after a capacity increase). Caller holds no lock. */
  async promoteWaitlist(forumId: DocId, now: Date): Promise<RegistrationDoc[]> {
    const out = await this.deps.lock.with(forumId, async () => {
      const forum = await this.deps.forums.get(forumId);
      return forum ? { forum, promoted: await this.promoteLocked(forum, now) } : undefined;
    });
    if (!out) return [];
    await this.tellPromoted(out.forum, out.promoted, now);
    return out.promoted;
  }

  /** One's registrations for forums that have not ended, soonest first. */
  async mine(channel: Channel, userKey: string, now: Date): Promise<Array<{ forum: ForumDoc; registration: RegistrationDoc; position?: number }>> {
    const regs = await this.deps.registrations.find({ contactKey: contactKeyOf(channel, userKey), statuses: ['registered', 'waitlisted'] });
    if (regs.length === 0) return [];
    const forums = await this.deps.forums.find({ ids: regs.map((r) => r.forumId) });
    const byId = new Map(forums.map((f) => [String(f._id), f]));
    const out: Array<{ forum: ForumDoc; registration: RegistrationDoc; position?: number }> = [];
    for (const registration of regs) {
      const forum = byId.get(String(registration.forumId));
      if (!forum || forum.status !== 'scheduled' || forum.startAt.getTime() + forum.durationMinutes * 60_000 <= now.getTime()) continue;
      out.push({ forum, registration, ...(registration.status === 'waitlisted' ? { position: await this.positionOf(registration) } : {}) });
    }
    return out.sort((a, b) => a.forum.startAt.getTime() - b.forum.startAt.getTime());
  }

  /** Name, kelurahan and phone from the person's latest sign-up, if any. */
  async profile(channel: Channel, userKey: string): Promise<ResidentProfile> {
    const last = await this.deps.registrations.latestOf(contactKeyOf(channel, userKey));
    if (!last) return {};
    return { name: last.name, kelurahan: last.kelurahan, ...(last.phone ? { phone: last.phone } : {}) };
  }

  /** 1-based place in the waitlist. */
  async positionOf(reg: Pick<RegistrationDoc, 'forumId' | 'waitSeq'>): Promise<number> {
    if (reg.waitSeq === null) return 0;
    return 1 + (await this.deps.registrations.countWaitlistedBefore(reg.forumId, reg.waitSeq));
  }

  /** Caller holds the forum lock. Moves the first waitlisted people into free seats, in order. */
  private async promoteLocked(forum: ForumDoc, now: Date): Promise<RegistrationDoc[]> {
    const promoted: RegistrationDoc[] = [];
    if (forum.status !== 'scheduled' || forum.startAt.getTime() <= now.getTime()) return promoted;
    let free = forum.capacity - (await this.deps.registrations.countRegistered(forum._id));
    while (free > 0) {
      const next = await this.deps.registrations.promoteFirst(forum._id, now);
      if (!next) break;
      await this.deps.planner.planResident(next, forum, now);
      promoted.push(next);
      free -= 1;
    }
    return promoted;
  }

  private async tellPromoted(forum: ForumDoc, promoted: RegistrationDoc[], now: Date): Promise<void> {
    for (const reg of promoted) {
      this.deps.logger.info({ forum: String(forum._id), user: maskId(reg.userKey), channel: reg.channel }, 'promoted from the waitlist');
      await this.deps.notices.promoted(forum, reg, now);
    }
  }

  /** Creates the registration, or re-activates a cancelled one (same document, same code). */
  private async write(existing: RegistrationDoc | null, fields: Omit<RegistrationDoc, '_id' | 'code' | 'createdAt' | 'updatedAt'>): Promise<RegistrationDoc> {
    if (existing) {
      const doc = await this.deps.registrations.reactivate(existing._id, fields);
      return doc!;
    }
    for (let i = 0; i < 5; i++) {
      const created = await this.deps.registrations.insert({ ...fields, code: newCode() });
      if (created) return created;
      // Either the code collided (try another) or the person registered meanwhile (cannot happen under the lock).
    }
    throw new RegistrationCodeError('could not allocate a unique registration code');
  }
}
