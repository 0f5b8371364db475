/**
 * The queue (`outbound_messages`) as this process reads and writes it: inserts in batches, reads
 * that skip what this process finished but has not deleted yet, deletes of finished messages in
 * batches, and what it knows of each chat's queue without reading it.
 *
 * Cost: FerretDB (SQLite) walks the whole collection for every read and every delete (by `_id`
 * alone ten times faster than by other fields) and only inserts use an index. So inserts and
 * deletes are gathered into one statement each (group commit), a chat whose whole queue this
 * process knows is not read at all (see `readChat`), and the queue holds just unfinished messages.
 */
import type { Logger } from 'pino';
import { retryTransient } from '../db/retry.js';
import type { Channel } from './messages.js';
import type { OutboxDoc, OutboxStore } from './outbox-store.js';

/** Messages read per chat at a time. */
export const CHAT_BATCH = 20;
/** Messages read per due pass at a time. */
export const DUE_BATCH = 500;
/** How long a chat's queue, once read, is known without reading it again (see `readChat`). */
const KNOWN_MS = 60_000;
/** Finished messages are deleted from the queue together, gathered this long. */
const DELETE_BATCH_MS = 1000;

/** What a read of the queue found. */
export interface QueueRead {
  /** Unfinished messages, oldest first. */
  items: OutboxDoc[];
  /** Documents the read returned, including those finished here and not yet deleted. */
  read: number;
}

export class OutboxQueue {
  /**
   * Per channel: messages finished here → when their delete from the queue completed (`Infinity`
   * until then). Reads skip them until a read that started after the delete (an earlier read may
   * still return them).
   */
  private readonly finishedIds = new Map<Channel, Map<string, number>>();
  private readonly deleting = new Map<Channel, Promise<void>>();
  private readonly deleteTimers = new Map<Channel, NodeJS.Timeout>();
  /** Per chat: its whole queue, when this process knows it (see `readChat`). */
  private readonly known = new Map<string, { items: OutboxDoc[]; at: number }>();
  /** Per chat: how many messages this process queued (tells a read that raced a queuing). */
  private readonly queuedHere = new Map<string, number>();
  /**
   * Sole writer only: chats whose queue must be read (left from before this start, or with a
   * message whose state this process no longer knows); `undefined` until the leftovers are read.
   */
  private mustRead: Set<string> | undefined;
  private loadingLeftovers: Promise<Set<string> | undefined> | undefined;
  /** Sole writer only: chats queued to while the leftovers were being read. */
  private readonly queuedWhileLoading = new Set<string>();

  constructor(
    private readonly d: {
      /** The queue (inserts there are batched with whatever else is being queued). */
      store: OutboxStore;
      logger: Logger;
      /** Background work the outbox waits for in `idle()`. */
      track: (p: Promise<unknown>) => void;
      stopped: () => boolean;
      /** Only this process writes the queue (see `readChat`). */
      soleWriter: boolean;
    },
  ) {
    // Read before the first message needs it (errors are logged inside; chats are then read).
    if (d.soleWriter) d.track(this.leftovers());
  }

  /**
   * Queues `doc` in one statement with whatever else is being queued (group commit). A key queued
   * already is left as it is; a key already finished may be queued again (its send attempt meets
   * the earlier claim and finds it in the log).
   */
  async insert(doc: OutboxDoc): Promise<void> {
    const k = `${doc.channel}:${doc.chatId}`;
    this.queuedHere.set(k, (this.queuedHere.get(k) ?? 0) + 1);
    if (this.d.soleWriter && !this.mustRead) this.queuedWhileLoading.add(k);
    if (!(await this.d.store.addMessage(doc))) {
      // Queued already, in a state this process may not know: the chat's queue is read next time.
      if (this.d.soleWriter && !this.known.has(k)) this.mustRead?.add(k);
      return;
    }
    // Queued anew (its earlier copy was deleted, or the insert would have failed).
    this.finishedIds.get(doc.channel)?.delete(doc._id);
    const entry = this.known.get(k);
    if (entry && !entry.items.some((d) => d._id === doc._id)) entry.items.push(doc);
    // Sole writer, chat with nothing left from before: its whole queue is what was queued here.
    else if (!entry && this.mustRead && !this.mustRead.has(k)) this.known.set(k, { items: [doc], at: Date.now() });
  }

  /**
   * Sole writer: the chats with messages in the queue from before this start, read once (one walk
   * of the collection). Until it has been read, and if it cannot be, chats are read as usual.
   */
  private leftovers(): Promise<Set<string> | undefined> {
    if (this.mustRead) return Promise.resolve(this.mustRead);
    this.loadingLeftovers ??= retryTransient(() => this.d.store.queuedChats())
      .then(
        (docs) => {
          const set = new Set(docs.map((d) => `${d.channel}:${d.chatId}`));
          // Queued here while reading: the read may or may not have seen them.
          for (const k of this.queuedWhileLoading) if (!this.known.has(k)) set.add(k);
          this.queuedWhileLoading.clear();
          this.mustRead = set;
          return set;
        },
        (err: unknown) => {
          this.d.logger.warn({ err }, 'could not read the queue left from before; reading chats one by one');
          return undefined;
        },
      )
      .finally(() => (this.loadingLeftovers = undefined));
    return this.loadingLeftovers;
  }

  /**
   * A chat's unfinished messages, oldest first (up to `CHAT_BATCH` from the database).
   *
   * Why it may not read (issue #11, a short hot path): once this process has read the whole of a
   * chat's queue (less than a batch), it knows it for `KNOWN_MS`, adding what it queues itself;
   * a reply then goes out without a read. The price: a message another process queued for the same
   * chat meanwhile is sent by that process's own lane (or found by the due pass), so order between
   * two processes' messages to one chat is by their lanes, not by `createdAt`.
   *
   * Sole writer (one instance on the database, e.g. the embedded one): nobody else queues, so a
   * chat's queue is what was left from before this start (read once, see `leftovers`) plus what
   * this process queued and has not finished. A chat with no leftovers is never read: a first
   * message costs no walk of the collection. Its entry lasts until emptied, not `KNOWN_MS`.
   */
  async readChat(channel: Channel, chatId: string): Promise<QueueRead> {
    const k = `${channel}:${chatId}`;
    const entry = this.known.get(k);
    if (entry && (this.d.soleWriter || Date.now() - entry.at <= KNOWN_MS)) {
      const done = this.finishedIds.get(channel);
      const items = entry.items.filter((d) => !done?.has(d._id)).sort((a, b) => +new Date(a.createdAt) - +new Date(b.createdAt));
      return { items, read: items.length };
    }
    this.known.delete(k);
    const mustRead = this.d.soleWriter ? await this.leftovers() : undefined;
    // Sole writer: a chat with nothing left from before and nothing queued here has an empty queue.
    if (mustRead && !mustRead.has(k) && !this.known.has(k)) return { items: [], read: 0 };
    const seq = this.queuedHere.get(k) ?? 0;
    const r = await this.readUnfinished(channel, () => this.d.store.chatQueue(channel, chatId, CHAT_BATCH));
    // The whole of the chat's queue, and nothing queued here meanwhile: known from now on.
    if (r.read < CHAT_BATCH && (this.queuedHere.get(k) ?? 0) === seq) {
      this.known.set(k, { items: [...r.items], at: Date.now() });
      mustRead?.delete(k);
    }
    return r;
  }

  /** What is due on `channel` at `now`, oldest first (up to `DUE_BATCH`). */
  readDue(channel: Channel, now: Date): Promise<QueueRead> {
    return this.readUnfinished(channel, () => this.d.store.due(channel, now, DUE_BATCH));
  }

  /** Runs `read` on the queue of `channel`, without what was finished here (see `finishedIds`). */
  async readUnfinished(channel: Channel, read: () => Promise<OutboxDoc[]>): Promise<QueueRead> {
    const startedAt = performance.now();
    const docs = await retryTransient(read);
    const done = this.finishedIds.get(channel);
    if (!done || done.size === 0) return { items: docs, read: docs.length };
    const items = docs.filter((d) => !done.has(d._id));
    // Deleted before this read started: no read from now on can return them.
    for (const [id, deletedAt] of done) if (deletedAt < startedAt) done.delete(id);
    return { items, read: docs.length };
  }

  /** `id` is finished (in the log): deleted from the queue with others a moment later. */
  finished(channel: Channel, chatId: string, id: string): void {
    perChannel(this.finishedIds, channel).set(id, Infinity);
    const k = `${channel}:${chatId}`;
    const entry = this.known.get(k);
    if (entry) entry.items = entry.items.filter((d) => d._id !== id);
    // Sole writer: an emptied chat is forgotten (no entry and nothing left means an empty queue).
    if (entry && entry.items.length === 0 && this.mustRead && !this.mustRead.has(k)) this.known.delete(k);
    if (this.deleteTimers.has(channel)) return;
    const timer = setTimeout(() => {
      this.deleteTimers.delete(channel);
      void this.deleteFinished(channel);
    }, DELETE_BATCH_MS);
    timer.unref();
    this.deleteTimers.set(channel, timer);
  }

  /** `id` was deleted from the queue by someone else (a cancelled chat): reads skip it from now on. */
  removed(channel: Channel, id: string): void {
    perChannel(this.finishedIds, channel).set(id, performance.now());
  }

  /** What the queue says of a chat is read again next time (its head was held and may have changed). */
  forget(channel: Channel, chatId: string): void {
    const k = `${channel}:${chatId}`;
    this.known.delete(k);
    this.mustRead?.add(k);
    if (this.d.soleWriter && !this.mustRead) this.queuedWhileLoading.add(k);
  }

  hasUndeleted(channel: Channel): boolean {
    for (const deletedAt of this.finishedIds.get(channel)?.values() ?? []) if (deletedAt === Infinity) return true;
    return false;
  }

  /**
   * Deletes a channel's finished messages from the queue, up to 1,000 in one statement, in the
   * background: the next read need not wait, as it skips them anyway. One delete per channel at a
   * time; returns the one running.
   */
  deleteFinished(channel: Channel): Promise<void> {
    const running = this.deleting.get(channel);
    if (running) return running;
    const done = this.finishedIds.get(channel);
    const ids: string[] = [];
    for (const [id, deletedAt] of done ?? []) if (deletedAt === Infinity && ids.push(id) >= 1000) break;
    if (!done || ids.length === 0) return Promise.resolve();
    const p = retryTransient(() => this.d.store.deleteMessages(ids))
      .then(() => {
        const at = performance.now();
        for (const id of ids) if (done.has(id)) done.set(id, at);
      })
      .finally(() => this.deleting.delete(channel))
      .then(() => {
        // More finished meanwhile: delete those too. (Not after a failure: the next pass tries
        // again, rather than this spinning while the database is down.)
        if (!this.d.stopped() && this.hasUndeleted(channel)) void this.deleteFinished(channel);
      });
    this.deleting.set(channel, p);
    this.d.track(p.catch((err: unknown) => this.d.logger.error({ err, channel }, 'could not delete finished messages from the queue')));
    return p;
  }

  /** Starts the deletes gathering now; returns every delete in flight (`idle()`). */
  deleteNow(): Array<Promise<void>> {
    for (const [channel, timer] of this.deleteTimers) {
      clearTimeout(timer);
      this.deleteTimers.delete(channel);
      void this.deleteFinished(channel);
    }
    return [...this.deleting.values()];
  }

  /** Forgets chats known for longer than `KNOWN_MS` (the due pass calls it). */
  prune(laneActive: (chatKey: string) => boolean): void {
    for (const [k, e] of this.known) if (Date.now() - e.at > KNOWN_MS) this.known.delete(k);
    for (const k of this.queuedHere.keys()) if (!this.known.has(k) && !laneActive(k)) this.queuedHere.delete(k);
  }
}

/** The per-channel map in `outer`, created when first needed. */
function perChannel<V>(outer: Map<Channel, Map<string, V>>, channel: Channel): Map<string, V> {
  let m = outer.get(channel);
  if (!m) outer.set(channel, (m = new Map()));
  return m;
}
