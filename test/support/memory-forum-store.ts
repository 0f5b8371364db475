/**
 * The forums' storage ports (src/domain/forums/store.ts, reminder-ledger.ts) in memory, for fast
 * unit specs of registrations, the waitlist and the reminder runner. Same contracts as the
 * MongoDB implementation in src/store/: unique (forum, contact) and code for registrations, a
 * unique key per reminder, and a claim won by exactly one caller (a map key plays the unique `_id`).
 * Documents are copied in and out, so a caller never changes what is stored by accident.
 */
import type { Channel } from '../../src/core/messages.js';
import type { ForumDoc } from '../../src/domain/forums/forum-model.js';
import type { RegistrationDoc } from '../../src/domain/forums/registration-model.js';
import type { ClaimDoc, Fold, OpenAttempts, ReminderLedger, ResultDoc } from '../../src/domain/forums/reminder-ledger.js';
import type { ReminderDoc, ReminderKind, ReminderStatus } from '../../src/domain/forums/reminder-model.js';
import { foldedState, LATE_OUTCOME, plannedState } from '../../src/domain/forums/reminder-state.js';
import type {
  ForumQuery,
  ForumStore,
  NewForum,
  NewRegistration,
  RegistrationQuery,
  RegistrationStore,
  ReminderContact,
  ReminderContacts,
  ReminderKey,
  ReminderStore,
  ReminderTarget,
  SkipScope,
} from '../../src/domain/forums/store.js';
import { newDocId, type DocId } from '../../src/store/ids.js';

const copy = <T extends object>(doc: T): T => ({ ...doc });
const has = (ids: DocId[] | undefined, id: DocId | null) => ids === undefined || ids.some((x) => String(x) === String(id));

export class MemoryForumStore implements ForumStore {
  readonly docs = new Map<string, ForumDoc>();

  constructor(private readonly clock: () => Date) {}

  async create(fields: NewForum): Promise<ForumDoc> {
    const now = this.clock();
    const doc: ForumDoc = { ...fields, _id: newDocId(), createdAt: now, updatedAt: now };
    this.docs.set(String(doc._id), doc);
    return copy(doc);
  }

  async get(id: DocId): Promise<ForumDoc | null> {
    const d = this.docs.get(String(id));
    return d ? copy(d) : null;
  }

  async exists(id: DocId): Promise<boolean> {
    return this.docs.has(String(id));
  }

  async find(q: ForumQuery): Promise<ForumDoc[]> {
    const t = (d?: Date) => d?.getTime();
    let out = [...this.docs.values()].filter((f) => {
      const s = f.startAt.getTime();
      return (
        (!q.status || f.status === q.status) &&
        has(q.ids, f._id) &&
        (q.startsAfter === undefined || s > t(q.startsAfter)!) &&
        (q.startsFrom === undefined || s >= t(q.startsFrom)!) &&
        (q.startsBefore === undefined || s < t(q.startsBefore)!) &&
        (q.startsBy === undefined || s <= t(q.startsBy)!) &&
        (q.deadlineAfter === undefined || f.registrationDeadline.getTime() > t(q.deadlineAfter)!)
      );
    });
    if (q.sort) out.sort((a, b) => (a.startAt.getTime() - b.startAt.getTime()) * q.sort!);
    if (q.limit !== undefined) out = out.slice(0, q.limit);
    return out.map(copy);
  }

  async updateScheduled(id: DocId, set: Partial<ForumDoc>, bumpSequence: boolean): Promise<ForumDoc | null> {
    const d = this.docs.get(String(id));
    if (!d || d.status !== 'scheduled') return null;
    Object.assign(d, set, { updatedAt: this.clock() }, bumpSequence ? { sequence: d.sequence + 1 } : {});
    return copy(d);
  }

  async cancelScheduled(id: DocId, now: Date): Promise<ForumDoc | null> {
    const d = this.docs.get(String(id));
    if (!d || d.status !== 'scheduled') return null;
    Object.assign(d, { status: 'cancelled', cancelledAt: now, updatedAt: this.clock() });
    return copy(d);
  }

  async nextWaitSeq(id: DocId): Promise<number> {
    const d = this.docs.get(String(id));
    if (!d) throw new Error(`no forum ${String(id)}`);
    d.waitSeq += 1;
    return d.waitSeq;
  }
}

export class MemoryRegistrationStore implements RegistrationStore {
  readonly docs = new Map<string, RegistrationDoc>();

  constructor(private readonly clock: () => Date) {}

  async get(id: DocId): Promise<RegistrationDoc | null> {
    const d = this.docs.get(String(id));
    return d ? copy(d) : null;
  }

  async find(q: RegistrationQuery): Promise<RegistrationDoc[]> {
    return [...this.docs.values()]
      .filter((r) => has(q.ids, r._id) && has(q.forumIds, r.forumId) && (q.contactKey === undefined || r.contactKey === q.contactKey) && (!q.statuses || q.statuses.includes(r.status)) && (!q.attended || r.attendedAt !== undefined))
      .map(copy);
  }

  async ofContact(forumId: DocId, contactKey: string): Promise<RegistrationDoc | null> {
    const d = [...this.docs.values()].find((r) => String(r.forumId) === String(forumId) && r.contactKey === contactKey);
    return d ? copy(d) : null;
  }

  async latestOf(contactKey: string): Promise<RegistrationDoc | null> {
    const mine = [...this.docs.values()].filter((r) => r.contactKey === contactKey).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    return mine[0] ? copy(mine[0]) : null;
  }

  async countRegistered(forumId: DocId): Promise<number> {
    return (await this.find({ forumIds: [forumId], statuses: ['registered'] })).length;
  }

  async countWaitlistedBefore(forumId: DocId, waitSeq: number): Promise<number> {
    return (await this.find({ forumIds: [forumId], statuses: ['waitlisted'] })).filter((r) => (r.waitSeq ?? Infinity) < waitSeq).length;
  }

  async insert(fields: NewRegistration): Promise<RegistrationDoc | undefined> {
    const taken = [...this.docs.values()].some((r) => r.code === fields.code || (String(r.forumId) === String(fields.forumId) && r.contactKey === fields.contactKey));
    if (taken) return undefined;
    const now = this.clock();
    const doc: RegistrationDoc = { ...fields, _id: newDocId(), createdAt: now, updatedAt: now };
    this.docs.set(String(doc._id), doc);
    return copy(doc);
  }

  async reactivate(id: DocId, set: Partial<RegistrationDoc>): Promise<RegistrationDoc | null> {
    const d = this.docs.get(String(id));
    if (!d) return null;
    delete d.cancelledAt;
    delete d.cancelledBy;
    delete d.attendedAt;
    delete d.promotedAt;
    Object.assign(d, set, { updatedAt: this.clock() });
    return copy(d);
  }

  async cancelActive(id: DocId, contactKey: string, now: Date): Promise<RegistrationDoc | null> {
    const d = this.docs.get(String(id));
    if (!d || d.contactKey !== contactKey || d.status === 'cancelled') return null;
    Object.assign(d, { status: 'cancelled', cancelledAt: now, cancelledBy: 'self', waitSeq: null, updatedAt: this.clock() });
    return copy(d);
  }

  async promoteFirst(forumId: DocId, now: Date): Promise<RegistrationDoc | null> {
    const first = (await this.find({ forumIds: [forumId], statuses: ['waitlisted'] })).sort((a, b) => (a.waitSeq ?? 0) - (b.waitSeq ?? 0))[0];
    if (!first) return null;
    const d = this.docs.get(String(first._id))!;
    Object.assign(d, { status: 'registered', registeredAt: now, promotedAt: now, waitSeq: null, updatedAt: this.clock() });
    return copy(d);
  }

  async markAttended(id: DocId, now: Date): Promise<RegistrationDoc | null> {
    const d = this.docs.get(String(id));
    if (!d) return null;
    Object.assign(d, { attendedAt: now, updatedAt: this.clock() });
    return copy(d);
  }
}

const keyOf = (k: ReminderKey) => `${k.kind}|${String(k.forumId)}|${k.contactKey}|${k.offsetHours}`;
const unhanded = (r: ReminderDoc) => r.status === 'pending' || (r.status === 'sending' && r.handedOffAt === null);

export class MemoryReminderStore implements ReminderStore {
  /** Reminders by `_id` (the ledger folds into them). */
  readonly docs = new Map<string, ReminderDoc>();
  readonly archived: ReminderDoc[] = [];

  constructor(
    private readonly forums: MemoryForumStore,
    private readonly clock: () => Date,
  ) {}

  /** The reminder of `key`, as stored. */
  byKey(key: ReminderKey): ReminderDoc | undefined {
    return [...this.docs.values()].find((r) => keyOf(r) === keyOf(key));
  }

  async plan(key: ReminderKey, target: ReminderTarget, dueAt: Date, late: boolean): Promise<void> {
    const now = this.clock();
    const old = this.byKey(key);
    const doc: ReminderDoc = {
      ...(old ?? { _id: newDocId(), generation: 0, createdAt: now }),
      ...key,
      ...target,
      ...plannedState(dueAt, late),
      updatedAt: now,
    };
    doc.generation += 1;
    delete doc.lastError;
    delete doc.sentAt;
    if (late) doc.outcome = LATE_OUTCOME;
    else delete doc.outcome;
    this.docs.set(String(doc._id), doc);
  }

  async planDigest(day: string, now: Date): Promise<boolean> {
    const key: ReminderKey = { kind: 'digest', forumId: null, contactKey: `staff:${day}`, offsetHours: 0 };
    if (this.byKey(key)) return false;
    const doc: ReminderDoc = {
      _id: newDocId(), ...key, channel: null, userKey: null, registrationId: null, generation: 1, dueAt: now, status: 'pending', attempts: 0,
      nextAttemptAt: now, leaseOwner: null, leaseUntil: null, handedOffAt: null, outboxKeys: [], createdAt: now, updatedAt: now,
    };
    this.docs.set(String(doc._id), doc);
    return true;
  }

  async skipUnhanded(scope: SkipScope, outcome: string): Promise<number> {
    const inScope = (r: ReminderDoc) =>
      'registrationId' in scope ? String(r.registrationId) === String(scope.registrationId)
        : 'forumId' in scope ? String(r.forumId) === String(scope.forumId)
          : has(scope.forumIds, r.forumId) && !scope.except.includes(String(r._id));
    let n = 0;
    for (const r of this.docs.values()) {
      if (!inScope(r) || !unhanded(r)) continue;
      Object.assign(r, { status: 'skipped', outcome, leaseOwner: null, leaseUntil: null });
      n += 1;
    }
    return n;
  }

  async due(kinds: ReminderKind[], now: Date, leaseExpiredBefore: Date, limit: number): Promise<ReminderDoc[]> {
    return [...this.docs.values()]
      .filter((r) => kinds.includes(r.kind) && ((r.status === 'pending' && r.nextAttemptAt <= now) || (r.status === 'sending' && r.handedOffAt === null && r.leaseUntil !== null && r.leaseUntil < leaseExpiredBefore)))
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit)
      .map(copy);
  }

  async overdueForums(now: Date): Promise<DocId[]> {
    const ids = new Map<string, DocId>();
    for (const r of this.docs.values()) {
      if ((r.status === 'pending' || r.status === 'sending') && (r.kind === 'resident' || r.kind === 'staff') && r.nextAttemptAt <= now && r.forumId) ids.set(String(r.forumId), r.forumId);
    }
    return [...ids.values()];
  }

  async skipStaleDigests(today: string): Promise<number> {
    let n = 0;
    for (const r of this.docs.values()) {
      if (r.kind !== 'digest' || r.status !== 'pending' || r.contactKey === `staff:${today}`) continue;
      Object.assign(r, { status: 'skipped', outcome: 'stale' });
      n += 1;
    }
    return n;
  }

  async outcomes(forumId?: DocId): Promise<Array<{ status: ReminderStatus; outcome?: string }>> {
    return [...this.docs.values(), ...this.archived]
      .filter((r) => !forumId || String(r.forumId) === String(forumId))
      .map((r) => ({ status: r.status, ...(r.outcome ? { outcome: r.outcome } : {}) }));
  }

  async archiveBefore(cutoff: Date): Promise<number> {
    const ended = new Set([...this.forums.docs.values()].filter((f) => f.startAt < cutoff).map((f) => String(f._id)));
    const old = [...this.docs.values()].filter((r) => ended.has(String(r.forumId)) || (r.kind === 'digest' && r.dueAt < cutoff));
    for (const r of old) {
      this.archived.push(r);
      this.docs.delete(String(r._id));
    }
    return old.length;
  }
}

/** The ledger: a claim is won by whoever sets its key first (the unique `_id` of the MongoDB ledger). */
export class MemoryReminderLedger implements ReminderLedger {
  readonly claims = new Map<string, ClaimDoc>();
  readonly results = new Map<string, ResultDoc>();

  constructor(private readonly reminders: MemoryReminderStore) {}

  async open(): Promise<OpenAttempts> {
    return { claims: new Map(this.claims), results: new Map(this.results) };
  }

  async claim(wanted: ClaimDoc[], expired: ClaimDoc[]): Promise<ClaimDoc[]> {
    for (const c of expired) {
      const held = this.claims.get(c._id);
      if (held && held.owner === c.owner && held.until.getTime() === c.until.getTime()) this.claims.delete(c._id);
    }
    const won: ClaimDoc[] = [];
    for (const c of wanted) {
      if (this.claims.has(c._id)) continue;
      this.claims.set(c._id, { ...c });
      won.push(c);
    }
    return won;
  }

  async record(results: ResultDoc[]): Promise<void> {
    for (const r of results) if (!this.results.has(r._id)) this.results.set(r._id, { ...r });
  }

  async fold(folds: Fold[], now: Date): Promise<number> {
    let changed = 0;
    for (const f of folds) {
      const doc = this.reminders.docs.get(String(f.claim.reminderId));
      if (doc && doc.generation === f.claim.generation && (doc.tries ?? 0) + 1 === f.claim.attempt) {
        Object.assign(doc, foldedState(doc, f.set), { updatedAt: now });
        changed += 1;
      }
      this.claims.delete(f.claim._id);
      this.results.delete(f.claim._id);
    }
    return changed;
  }

  async replayJournal(): Promise<number> {
    return 0; // nothing is ever half-folded in memory
  }
}

/** Contacts the reminders read, kept as a list. */
export class MemoryReminderContacts implements ReminderContacts {
  readonly list: Array<ReminderContact & { channel: Channel; userKey: string }> = [];

  async find(channels: Channel[], userKeys?: string[]): Promise<ReminderContact[]> {
    return this.list.filter((c) => channels.includes(c.channel) && (!userKeys || userKeys.includes(c.userKey))).map(({ _id, chatId, blocked, lastInboundAt }) => ({ _id, chatId, blocked, ...(lastInboundAt ? { lastInboundAt } : {}) }));
  }
}


/** Every forum port in memory, sharing one clock. */
export function memoryForumStores(clock: () => Date) {
  const forums = new MemoryForumStore(clock);
  const registrations = new MemoryRegistrationStore(clock);
  const reminders = new MemoryReminderStore(forums, clock);
  return { forums, registrations, reminders, ledger: new MemoryReminderLedger(reminders), contacts: new MemoryReminderContacts() };
}
