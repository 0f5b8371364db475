/**
 * Durable inbox and in-order processing.
 *
 * `accept()` stores an inbound message before the webhook answers; a platform id already in
 * `processed_updates` or already queued is a redelivery and is dropped. `drain()` then handles one
 * person's pending messages oldest first and moves each to `processed_updates` when done.
 *
 * Concurrency (why it is safe): a person's messages are serialised by a lease
 * (`conv:<channel>:<userKey>`, see leases.ts), so two messages arriving together, or on two
 * service instances, are handled one after the other. Every session write also checks `version`
 * (optimistic concurrency), and `lastInboxId` makes re-processing after a crash skip work already
 * saved. A drain that finds the lease taken simply leaves: the holder re-checks for pending
 * messages after releasing, and the recovery sweep catches the rest.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { t } from './texts.js';
import { isTransientDbError, retryTransient } from '../db/retry.js';
import { maskId } from '../logging/mask.js';
import type { ContactsService } from './contacts-service.js';
import type { ConversationState, Engine } from './engine.js';
import { isDatabaseDown, isDuplicateKey, StoreUnavailableError } from './errors.js';
import { Leases } from './leases.js';
import type { Channel, InboundMessage, Reply } from './messages.js';
import type { Outbox } from './outbox.js';
import { Semaphore } from './semaphore.js';
import type { CoreStore } from './store/index.js';
import { inboxId, type InboxDoc } from './store/inbox.js';
import { sessionId, type SessionDoc } from './store/sessions.js';

export interface InboxProcessorOptions<S> {
  store: CoreStore;
  engine: Engine<S>;
  contacts: ContactsService;
  outbox: Outbox;
  logger: Logger;
  clock?: () => Date;
  /** How long a lease lasts without renewal (default 30 s). */
  leaseMs?: number;
  /** Attempts at one message before it is marked failed and the person is told (default 3). */
  maxAttempts?: number;
  /** People handled at the same time by this process (default 8). */
  maxConcurrentDrains?: number;
  /** Called after a WhatsApp message is handled (mark as read). Errors are logged. */
  afterHandled?: (msg: InboundMessage) => Promise<void>;
}

/** How long an `accepting` message may stay so before the recovery finishes its accept. */
const ACCEPT_GRACE_MS = 30_000;

export class InboxProcessor<S> {
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly inflight = new Set<Promise<void>>();
  private readonly draining = new Map<string, { again: boolean }>();
  private stopped = false;
  private readonly slots: Semaphore;
  private readonly leases: Leases;

  constructor(private readonly opts: InboxProcessorOptions<S>) {
    this.slots = new Semaphore(opts.maxConcurrentDrains ?? 8);
    this.leases = new Leases(opts.store.leases, opts.clock ?? (() => new Date()));
    this.clock = opts.clock ?? (() => new Date());
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxAttempts = opts.maxAttempts ?? 3;
  }

  /**
   * Stores messages durably. Returns how many were new (the rest were redeliveries).
   * Throws {@link StoreUnavailableError} when the database cannot take them.
   */
  async accept(messages: InboundMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    const receivedAt = this.clock();
    let stored = 0;
    for (const m of messages) {
      const id = inboxId(m.channel, m.externalId);
      const acceptId = randomUUID();
      try {
        // Two inserts and an update by `_id`, no read of `processed_updates` (on FerretDB a read
        // walks two weeks of ids). Stored in the inbox first, so a crash in between loses nothing
        // (`recoverPending` finishes the job). Why `accepting` first: a redelivery of a message
        // handled already is stored here for a moment before its id is found in
        // `processed_updates`; as `pending` a running drain of the same person could pick it up
        // and handle it a second time, out of order. Drains only see `pending`.
        try {
          await retryTransient(() =>
            this.opts.store.inbox.create({
              _id: id,
              channel: m.channel,
              externalId: m.externalId,
              userKey: m.userKey,
              message: m,
              status: 'accepting',
              acceptId,
              attempts: 0,
              occurredAt: m.occurredAt,
              receivedAt,
            }),
          );
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          this.opts.logger.info({ channel: m.channel, externalId: m.externalId }, 'duplicate delivery dropped (already queued)');
          continue;
        }
        if (!(await this.recordAccepted(id, acceptId, receivedAt))) {
          this.opts.logger.info({ channel: m.channel, externalId: m.externalId }, 'duplicate delivery dropped (already handled)');
          continue;
        }
        stored++;
      } catch (err) {
        throw new StoreUnavailableError('could not store inbound message', { cause: err });
      }
    }
    return stored;
  }

  /**
   * Records `id` as accepted by `acceptId` and makes its inbox copy `pending`; true when it is new.
   * An id recorded by another accept is a message seen before and no longer queued (handled): its
   * copy is taken back. (Recorded by this same accept: a retry after a crash or by the recovery.)
   */
  private async recordAccepted(id: string, acceptId: string, at: Date): Promise<boolean> {
    try {
      await retryTransient(() => this.opts.store.processed.create({ _id: id, at, outcome: 'accepted', by: acceptId }));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const seen = await retryTransient(() => this.opts.store.processed.findById(id, { by: 1 }).lean<{ by?: string }>());
      if (seen?.by !== acceptId) {
        await retryTransient(() => this.opts.store.inbox.deleteOne({ _id: id, acceptId }));
        return false;
      }
    }
    await retryTransient(() => this.opts.store.inbox.updateOne({ _id: id, acceptId, status: 'accepting' }, { $set: { status: 'pending' } }));
    return true;
  }

  /** Processes a person's pending messages in the background. */
  kick(channel: Channel, userKey: string): void {
    const p = this.slots.run(() => this.drain(channel, userKey)).catch((err: unknown) => {
      this.opts.logger.error({ err, channel, user: maskId(userKey) }, 'inbox drain failed');
    });
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** Handles every pending message of one person, oldest first. */
  async drain(channel: Channel, userKey: string): Promise<void> {
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
        const owner = randomUUID();
        const lease = `conv:${channel}:${userKey}`;
        if (!(await this.leases.acquire(lease, owner, this.leaseMs))) return;
        try {
          await this.processPending(channel, userKey, owner);
        } finally {
          await this.leases.release(lease, owner).catch((err: unknown) => {
            // The lease expires by itself; log and go on.
            this.opts.logger.warn({ err, channel, user: maskId(userKey) }, 'could not release conversation lease');
          });
        }
        // A message stored while we held the lease, by a process that could not get it, is ours.
        if (!mark.again && !this.stopped) {
          mark.again = (await this.opts.store.inbox.exists({ channel, userKey, status: 'pending' })) !== null;
        }
      } while (mark.again && !this.stopped);
    } finally {
      this.draining.delete(k);
    }
  }

  private async processPending(channel: Channel, userKey: string, owner: string): Promise<void> {
    // `owner` renews the lease between messages.
    let handled = 0;
    for (;;) {
      if (this.stopped) return;
      const item = await this.opts.store.inbox
        .findOne({ channel, userKey, status: 'pending' })
        .sort({ occurredAt: 1, receivedAt: 1, _id: 1 })
        .lean<InboxDoc>();
      if (!item) return;
      // Before each further message, make sure the lease is still ours (and extend it).
      if (handled > 0 && !(await this.leases.renew(`conv:${channel}:${userKey}`, owner, this.leaseMs))) {
        throw new StoreUnavailableError('conversation lease lost');
      }
      // Safe to repeat: replies are keyed, the session write is versioned, lastInboxId skips done work.
      await retryTransient(() => this.processItem(item));
      handled++;
    }
  }

  /**
   * Marks a message handled: remembered as processed, removed from the inbox. `accept` recorded
   * the id already unless it crashed between its two inserts; then this insert is what records
   * it, otherwise it is a cheap duplicate (an index check, no read).
   */
  private async finish(item: InboxDoc, outcome: 'done' | 'failed'): Promise<void> {
    try {
      await retryTransient(() => this.opts.store.processed.create({ _id: item._id, at: this.clock(), outcome }));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    await retryTransient(() => this.opts.store.inbox.deleteOne({ _id: item._id }));
  }

  private async processItem(item: InboxDoc): Promise<void> {
    const started = performance.now();
    const { store, engine, contacts, outbox, logger } = this.opts;
    const msg = item.message;
    msg.occurredAt = new Date(msg.occurredAt);
    const id = item._id;
    const sid = sessionId(item.channel, item.userKey);
    const session = await store.sessions.findById(sid).lean<SessionDoc>();

    if (session?.lastInboxId === id) {
      // Crashed after saving the session but before finishing the item: its replies are queued already.
      await this.finish(item, 'done');
      outbox.kick(msg.channel, msg.chatId);
      return;
    }

    try {
      const contact = await contacts.touch(msg, msg.languageHint?.startsWith('en') ? 'en' : 'id');
      const state: ConversationState = {
        flow: session?.flow ?? null,
        step: session?.step ?? null,
        data: session?.data ?? {},
        history: session?.history ?? [],
        offeredChoices: session?.offeredChoices ?? [],
        resumePrompt: session?.resumePrompt ?? null,
        memory: session?.memory ?? {},
        lastActivityAt: session?.lastActivityAt ?? this.clock(),
        isNew: !session,
      };
      const now = this.clock();
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
        lastInboxId: id,
        stateVersion: 1,
      };
      if (session) {
        const saved = await store.sessions.updateOne({ _id: sid, version: session.version }, { $set: fields, $inc: { version: 1 } });
        if (saved.modifiedCount !== 1) throw new StoreUnavailableError('session changed underneath us');
      } else {
        try {
          await store.sessions.create({ _id: sid, ...fields, version: 1 });
        } catch (err) {
          if (isDuplicateKey(err)) throw new StoreUnavailableError('session created underneath us');
          throw err;
        }
      }
      if (result.person.lang !== contact.lang || result.person.langExplicit !== contact.langExplicit) {
        await contacts.setLanguage(msg.channel, msg.userKey, result.person.lang, result.person.langExplicit);
      }
      await this.finish(item, 'done');
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
      if (this.opts.afterHandled) {
        await this.opts.afterHandled(msg).catch((err: unknown) => logger.warn({ err, channel: msg.channel }, 'after-handled hook failed'));
      }
    } catch (err) {
      if (isDatabaseDown(err) || isTransientDbError(err) || err instanceof StoreUnavailableError) throw err;
      await this.recordFailure(item, err);
    }
  }

  /** A bug or a bad message must not block the person's queue: retry a little, then tell them. */
  private async recordFailure(item: InboxDoc, err: unknown): Promise<void> {
    const attempts = item.attempts + 1;
    const give = attempts >= this.maxAttempts;
    this.opts.logger.error(
      { err, channel: item.channel, user: maskId(item.userKey), externalId: item.externalId, attempts },
      give ? 'message failed; giving up and apologising' : 'message failed; will retry',
    );
    // A failed message stays in the inbox (status failed) for a developer to look at; its id is
    // recorded as processed so a redelivery does not start the same failure again.
    await this.opts.store.inbox.updateOne(
      { _id: item._id },
      { $set: { attempts, lastError: err instanceof Error ? err.message : String(err), ...(give ? { status: 'failed' } : {}) } },
    );
    if (give) {
      try {
        await this.opts.store.processed.create({ _id: item._id, at: this.clock(), outcome: 'failed' });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
      const contact = await this.opts.contacts.find(item.channel, item.userKey);
      const apology: Reply = { kind: 'text', text: t(contact?.lang ?? 'id', 'internalError') };
      await this.opts.outbox.enqueue([{ channel: item.channel, chatId: item.message.chatId, reply: apology, key: `${item._id}:error` }]);
      this.opts.outbox.kick(item.channel, item.message.chatId);
    }
  }

  /** Processes messages stored but never handled (crash, restart, database outage). */
  async recoverPending(olderThanMs = 0): Promise<number> {
    const now = this.clock().getTime();
    const cutoff = new Date(now - olderThanMs);
    // Accepts cut short (a crash between storing and checking the id) are finished first; one
    // still running (another instance) is given ACCEPT_GRACE_MS to finish by itself.
    const halfAccepted = await this.opts.store.inbox
      .find({ status: 'accepting', receivedAt: { $lte: new Date(Math.min(cutoff.getTime(), now - ACCEPT_GRACE_MS)) } })
      .select({ _id: 1, acceptId: 1, receivedAt: 1 })
      .limit(5000)
      .lean<Array<{ _id: string; acceptId?: string; receivedAt: Date }>>();
    for (const h of halfAccepted) await this.recordAccepted(h._id, h.acceptId ?? '', h.receivedAt);
    const rows = await this.opts.store.inbox
      .find({ status: 'pending', receivedAt: { $lte: cutoff } })
      .select({ channel: 1, userKey: 1 })
      .limit(5000)
      .lean<Array<{ channel: Channel; userKey: string }>>();
    const people = new Map(rows.map((r) => [`${r.channel}:${r.userKey}`, r]));
    // People are independent: handle them concurrently; each person's drain stays in order.
    await Promise.all([...people.values()].map((p) => this.slots.run(() => this.drain(p.channel, p.userKey))));
    return people.size;
  }

  /** Waits for background drains (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Stops taking new work after the current message of each drain. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }
}
