/**
 * Durable inbox and in-order processing.
 *
 * `accept()` stores inbound messages before the webhook answers: one unordered insert per batch
 * of concurrent webhooks (group commit), where a platform id already there is a redelivery and is
 * dropped (store/inbox-accept.ts). What is new is handed to this process's drain in memory; `drain()`
 * handles one person's messages oldest first, and each is removed from the inbox a moment later
 * (in batches, see store/group-commit.ts).
 *
 * Concurrency (why it is safe): a person's messages are serialised by a lease
 * (`conv:<channel>:<userKey>`, see leases.ts), so two messages arriving together, or on two
 * service instances, are handled one after the other; a drain that finds the lease taken by
 * another process tries again shortly (keeping the message in memory). Every session write also
 * checks `version` (optimistic concurrency), and the session's `handledIds` make a message handled
 * again (after a crash, or by the recovery sweep of another process) a no-op. Whatever this
 * process does not finish (crash, outage, lease never free) is still `pending` in the inbox, and
 * the recovery sweep (`recoverPending`) hands it to a drain.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { t } from './texts.js';
import { isTransientDbError, retryTransient } from '../db/retry.js';
import { maskId } from '../logging/mask.js';
import type { ContactsService } from './contacts-service.js';
import type { ConversationState, Engine } from './engine.js';
import { isDatabaseDown, StoreUnavailableError } from './errors.js';
import { Leases, LingeringLeases, type LeaseStore } from './leases.js';
import type { Channel, InboundMessage, Reply } from './messages.js';
import type { Outbox } from './outbox.js';
import { Semaphore } from './semaphore.js';
import { SessionCache } from './session-cache.js';
import { inboxId, type InboxDoc, type InboxStore } from './inbox-store.js';
import { HANDLED_IDS_KEPT, sessionId, type SessionStore } from './session-store.js';
import { GroupCommit, LazyBatch } from './store/group-commit.js';

export interface InboxProcessorOptions<S> {
  /** Where inbound messages wait until handled. */
  inbox: InboxStore;
  /** Where people's conversation state is kept. */
  sessions: SessionStore;
  /** Where conversation leases are kept. */
  leases: LeaseStore;
  engine: Engine<S>;
  contacts: ContactsService;
  outbox: Outbox;
  logger: Logger;
  clock?: () => Date;
  /** How long a lease lasts without renewal (default 30 s). */
  leaseMs?: number;
  /** Attempts at one message before it is marked failed and the person is told (default 3). */
  maxAttempts?: number;
  /**
   * People handled at the same time by this process (default 32). Each waits mostly on the
   * database; more at once also means bigger group commits under load.
   */
  maxConcurrentDrains?: number;
  /** Called after a WhatsApp message is handled (mark as read). Errors are logged. */
  afterHandled?: (msg: InboundMessage) => Promise<void>;
  /**
   * This is the only instance on the database (default false; see Config `soleWriter`):
   * a person's messages are serialised by this process alone, without a lease in the database,
   * and sessions it wrote are kept in memory instead of read back.
   */
  soleWriter?: boolean;
}

/** A conversation lease is kept this long after its last message (see `LingeringLeases`). */
const LEASE_LINGER_MS = 500;
/** Handled messages are removed from the inbox together, gathered this long. */
const DONE_BATCH_MS = 1000;

export class InboxProcessor<S> {
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly inflight = new Set<Promise<void>>();
  private readonly draining = new Map<string, { again: boolean }>();
  /** Per person (`channel:userKey`): messages accepted or recovered here and not handled yet. */
  private readonly queued = new Map<string, InboxDoc[]>();
  /** Messages accepted by this process and not yet tried: their replies are queued as handled the first time (Outbox.enqueue). */
  private readonly untried = new WeakSet<InboxDoc>();
  /** Ids this process has queued or handled and not yet removed from the inbox: the sweep leaves them alone. */
  private readonly known = new Set<string>();
  private stopped = false;
  private readonly slots: Semaphore;
  private readonly leases: LingeringLeases;
  private readonly accepting: GroupCommit<InboxDoc, boolean>;
  private readonly done: LazyBatch<string>;
  /** Sole writer only: sessions as last written here. */
  private readonly sessions: SessionCache | undefined;

  constructor(private readonly opts: InboxProcessorOptions<S>) {
    this.clock = opts.clock ?? (() => new Date());
    this.slots = new Semaphore(opts.maxConcurrentDrains ?? 32);
    this.leases = new LingeringLeases(new Leases(opts.leases, this.clock), randomUUID(), this.clock, opts.leaseMs ?? 30_000, LEASE_LINGER_MS, (err) =>
      opts.logger.warn({ err }, 'could not release conversation leases (they expire by themselves)'),
    );
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.sessions = opts.soleWriter ? new SessionCache() : undefined;
    this.accepting = new GroupCommit((docs) => opts.inbox.insertNew(docs));
    this.done = new LazyBatch(
      async (ids) => {
        await opts.inbox.dropHandled(ids);
        for (const id of ids) this.known.delete(id);
      },
      (err) => opts.logger.warn({ err }, 'could not mark handled messages done (will try again)'),
      DONE_BATCH_MS,
    );
  }

  /**
   * Stores messages durably. Returns how many were new (the rest were redeliveries).
   * Throws {@link StoreUnavailableError} when the database cannot take them.
   */
  async accept(messages: InboundMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    const receivedAt = this.clock();
    const docs: InboxDoc[] = messages.map((m) => ({
      _id: inboxId(m.channel, m.externalId),
      channel: m.channel,
      externalId: m.externalId,
      userKey: m.userKey,
      message: m,
      status: 'pending',
      acceptId: '',
      attempts: 0,
      occurredAt: m.occurredAt,
      receivedAt,
    }));
    let fresh: boolean[];
    try {
      fresh = await Promise.all(docs.map((d) => this.accepting.submit(d)));
    } catch (err) {
      throw new StoreUnavailableError('could not store inbound message', { cause: err });
    }
    docs.forEach((d, i) => {
      if (fresh[i]) {
        this.untried.add(d);
        this.enqueue(d);
      }
      else this.opts.logger.info({ channel: d.channel, externalId: d.externalId }, 'duplicate delivery dropped');
    });
    return fresh.filter(Boolean).length;
  }

  private enqueue(doc: InboxDoc): void {
    if (this.known.has(doc._id)) return;
    this.known.add(doc._id);
    const k = `${doc.channel}:${doc.userKey}`;
    const list = this.queued.get(k) ?? [];
    list.push(doc);
    this.queued.set(k, list);
  }

  /** Forgets a person's queued messages (left `pending` in the inbox: the recovery sweep finds them). */
  private dropQueued(k: string): void {
    for (const d of this.queued.get(k) ?? []) this.known.delete(d._id);
    this.queued.delete(k);
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** Processes a person's queued messages in the background. */
  kick(channel: Channel, userKey: string): void {
    this.track(
      this.slots.run(() => this.drain(channel, userKey)).catch((err: unknown) => {
        this.opts.logger.error({ err, channel, user: maskId(userKey) }, 'inbox drain failed');
      }),
    );
  }

  /** Handles every queued message of one person, oldest first. */
  async drain(channel: Channel, userKey: string, busyRound = 0): Promise<void> {
    const k = `${channel}:${userKey}`;
    const local = this.draining.get(k);
    if (local) {
      local.again = true; // the running drain will look again before it leaves
      return;
    }
    const mark = { again: false };
    this.draining.set(k, mark);
    try {
      do {
        mark.again = false;
        if (!this.queued.get(k)?.length) return;
        const lease = `conv:${k}`;
        // Sole writer: `draining` above already lets one drain per person run, and no other
        // process handles anyone's messages, so no lease is taken in the database.
        const sole = this.opts.soleWriter === true;
        if (!sole && !(await this.leases.take(lease))) {
          this.retryLater(channel, userKey, busyRound);
          return;
        }
        try {
          await this.processQueued(k, sole ? undefined : lease);
        } catch (err) {
          this.dropQueued(k);
          throw err;
        } finally {
          if (!sole) this.leases.release(lease);
        }
      } while (mark.again && !this.stopped);
    } finally {
      this.draining.delete(k);
    }
  }

  /**
   * Another process holds the person's lease (handling their earlier message): look again soon,
   * backing off, for about as long as a lease lasts; after that the recovery sweep takes over.
   */
  private retryLater(channel: Channel, userKey: string, round: number): void {
    const k = `${channel}:${userKey}`;
    // Up to a second apart (the holder lingers half a second after its last message), for about
    // as long as a lease lasts (~40 s); two commands a try, and only while contended.
    if (this.stopped || round >= 45) {
      this.dropQueued(k);
      return;
    }
    const wait = Math.min(100 * 2 ** round, 1000);
    this.track(
      new Promise<void>((r) => setTimeout(r, wait)).then(() =>
        this.slots.run(() => this.drain(channel, userKey, round + 1)).catch((err: unknown) => {
          this.opts.logger.error({ err, channel, user: maskId(userKey) }, 'inbox drain failed');
        }),
      ),
    );
  }

  /** `lease`: the person's conversation lease, or none for a sole writer. */
  private async processQueued(k: string, lease: string | undefined): Promise<void> {
    let handled = 0;
    for (;;) {
      if (this.stopped) return;
      const list = this.queued.get(k);
      if (!list?.length) {
        this.queued.delete(k);
        return;
      }
      list.sort((a, b) => +new Date(a.occurredAt) - +new Date(b.occurredAt) || +new Date(a.receivedAt) - +new Date(b.receivedAt) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
      const item = list[0]!;
      // Before each further message, make sure the lease is still ours (and extend it).
      if (handled > 0 && lease !== undefined && !(await this.leases.keep(lease))) throw new StoreUnavailableError('conversation lease lost');
      // Safe to repeat: replies are keyed, the session write is versioned, handledIds skip done work.
      const again = await retryTransient(() => this.processItem(item));
      if (!again) list.shift();
      handled++;
    }
  }

  /** Marks a message handled: removed from the inbox with the next batch. */
  private finish(item: InboxDoc): void {
    this.done.add(item._id);
  }

  /** Handles one message; true when it failed and is to be tried again. */
  private async processItem(item: InboxDoc): Promise<boolean> {
    const started = performance.now();
    const { sessions, engine, contacts, outbox, logger } = this.opts;
    // First handling of a message accepted here: its reply keys cannot have been queued before.
    // A retry of this call, or a message the sweep recovered, may have queued them already.
    const firstTime = this.untried.delete(item);
    const msg = item.message;
    msg.occurredAt = new Date(msg.occurredAt);
    const id = item._id;
    const sid = sessionId(item.channel, item.userKey);
    // Sessions are written only after the contact is, and contacts are never deleted: someone
    // seen for the first time has no session, and it is not read.
    const seen = await contacts.see(msg, msg.languageHint?.startsWith('en') ? 'en' : 'id');
    const session = seen.firstTime ? null : (this.sessions?.get(sid, this.clock().getTime()) ?? (await sessions.get(sid)));

    if (session?.handledIds?.includes(id)) {
      // Handled already (a crash before it left the inbox, or another process): replies are queued.
      this.finish(item);
      outbox.kick(msg.channel, msg.chatId);
      return false;
    }

    try {
      const contact = seen.contact;
      const now = this.clock();
      const state: ConversationState = {
        flow: session?.flow ?? null,
        step: session?.step ?? null,
        data: session?.data ?? {},
        history: session?.history ?? [],
        offeredChoices: session?.offeredChoices ?? [],
        resumePrompt: session?.resumePrompt ?? null,
        memory: session?.memory ?? {},
        lastActivityAt: session?.lastActivityAt ?? now,
        isNew: !session,
      };
      const result = await engine.handle(
        msg,
        {
          channel: msg.channel,
          userKey: msg.userKey,
          chatId: msg.chatId,
          isStaff: contact.isStaff,
          ...(contact.name ? { name: contact.name } : {}),
          ...(contact.phone ? { phone: contact.phone } : {}),
        },
        { lang: contact.lang, langExplicit: contact.langExplicit },
        state,
        now,
        id,
      );

      await outbox.enqueue(
        result.replies.map((reply, i) => ({ channel: msg.channel, chatId: msg.chatId, userKey: msg.userKey, reply, key: `${id}:${i}` })),
        { handling: firstTime ? 'first' : 'again' },
      );
      const s = result.state;
      const fields = {
        channel: msg.channel,
        userKey: msg.userKey,
        flow: s.flow,
        step: s.step,
        data: s.data,
        memory: s.memory,
        history: s.history,
        offeredChoices: s.offeredChoices,
        resumePrompt: s.resumePrompt,
        lastActivityAt: s.lastActivityAt,
        handledIds: [...(session?.handledIds ?? []), id].slice(-HANDLED_IDS_KEPT),
        stateVersion: 1,
      };
      if (session) {
        // Why the version may be left out of the filter: only a drain holding the person's lease
        // writes their session, and the lease is taken by a unique insert (exclusive on MongoDB and
        // FerretDB). While it is surely still ours nobody can have written since we read, and `_id`
        // alone is the one filter FerretDB answers from its primary key; a second field makes it
        // read and decode every session (hundreds of ms under load). If the lease may have lapsed
        // (a slow turn), the write checks `version` and a changed session fails it.
        const expectedVersion = this.sessions || this.leases.surelyHeld(`conv:${sid}`) ? undefined : session.version;
        const saved = await sessions.update(sid, fields, expectedVersion).catch((err: unknown) => {
          this.sessions?.drop(sid);
          throw err;
        });
        if (!saved) {
          // Gone meanwhile (pruned after long silence) or changed: the next attempt reads it afresh.
          this.sessions?.drop(sid);
          throw new StoreUnavailableError('session changed underneath us');
        }
      } else {
        // With the first sessions of others being written at the same moment (group commit).
        const created = await sessions.create({ _id: sid, ...fields, version: 1 }).catch((err: unknown) => {
          this.sessions?.drop(sid);
          throw err;
        });
        if (!created) {
          this.sessions?.drop(sid);
          throw new StoreUnavailableError('session created underneath us');
        }
      }
      this.sessions?.set({ _id: sid, ...fields, version: (session?.version ?? 0) + 1 }, this.clock().getTime());
      if (result.person.lang !== contact.lang || result.person.langExplicit !== contact.langExplicit) {
        await contacts.setLanguage(msg.channel, msg.userKey, result.person.lang, result.person.langExplicit);
      }
      this.finish(item);
      outbox.kick(msg.channel, msg.chatId);
      logger.info(
        {
          channel: msg.channel,
          user: maskId(msg.userKey),
          externalId: msg.externalId,
          input: msg.content.kind,
          route: result.trace.route,
          flow: result.trace.flow,
          step: result.trace.step,
          replies: result.replies.length,
          latencyMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'inbound handled',
      );
      // Not awaited (a platform call: the read receipt), so the person's next message and the
      // drain slot need not wait for it; `idle()` does.
      if (this.opts.afterHandled) this.track(this.opts.afterHandled(msg).catch((err: unknown) => logger.warn({ err, channel: msg.channel }, 'after-handled hook failed')));
      return false;
    } catch (err) {
      if (isDatabaseDown(err) || isTransientDbError(err) || err instanceof StoreUnavailableError) throw err;
      return this.recordFailure(item, err);
    }
  }

  /**
   * A bug or a bad message must not block the person's queue: retry a little, then tell them.
   * Returns true when it is to be tried again.
   */
  private async recordFailure(item: InboxDoc, err: unknown): Promise<boolean> {
    const attempts = item.attempts + 1;
    const give = attempts >= this.maxAttempts;
    this.opts.logger.error(
      { err, channel: item.channel, user: maskId(item.userKey), externalId: item.externalId, attempts },
      give ? 'message failed; giving up and apologising' : 'message failed; will retry',
    );
    // A failed message stays in the inbox (status failed, with its message) for a developer to
    // look at; a redelivery meets its id and does not start the same failure again.
    await this.opts.inbox.recordFailure(item._id, attempts, err instanceof Error ? err.message : String(err), give);
    item.attempts = attempts;
    if (!give) return true;
    this.known.delete(item._id);
    const contact = await this.opts.contacts.find(item.channel, item.userKey);
    const apology: Reply = { kind: 'text', text: t(contact?.lang ?? 'id', 'internalError') };
    await this.opts.outbox.enqueue([{ channel: item.channel, chatId: item.message.chatId, reply: apology, key: `${item._id}:error` }]);
    this.opts.outbox.kick(item.channel, item.message.chatId);
    return false;
  }

  /** Processes messages stored but never handled (crash, restart, database outage). */
  async recoverPending(olderThanMs = 0): Promise<number> {
    const cutoff = new Date(this.clock().getTime() - olderThanMs);
    const rows = (await this.opts.inbox.pending(cutoff, 5000)).filter((r) => !this.known.has(r._id));
    // Left by a crash between accepting's two inserts, a message may lack its seen record.
    await this.opts.inbox.recordSeen(rows);
    const people = new Map<string, { channel: Channel; userKey: string }>();
    for (const r of rows) {
      this.enqueue(r);
      people.set(`${r.channel}:${r.userKey}`, r);
    }
    // People are independent: handle them concurrently; each person's drain stays in order.
    await Promise.all([...people.values()].map((p) => this.slots.run(() => this.drain(p.channel, p.userKey))));
    return people.size;
  }

  /** Waits for background drains, then writes what they left to write (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    await this.done.flush();
  }

  /** Stops taking new work after the current message of each drain; releases leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
    await this.leases.flush(true);
  }
}
