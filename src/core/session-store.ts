/**
 * A person's conversation state and where it is kept: the port the inbox processor uses;
 * core/store/sessions.ts keeps sessions in `sessions`.
 */
import type { Channel, Choice, InboundMessage } from './messages.js';

/** Arbitrary JSON data a flow collects. */
export type FlowData = Record<string, unknown>;

/** A step we can go back to with "kembali". */
export interface HistoryEntry {
  step: string;
  data: FlowData;
}

/**
 * Conversation state of one person, keyed `<channel>:<userKey>`. Versioned: every write checks
 * `version`; a lease in the `leases` collection serialises one person's messages across processes.
 */
export interface SessionDoc {
  _id: string;
  channel: Channel;
  userKey: string;
  /** Active flow and step; null when idle at the menu. */
  flow: string | null;
  step: string | null;
  data: FlowData;
  history: HistoryEntry[];
  /** Small cross-flow memory (e.g. the last FAQ entry, for follow-ups like "kalau PPPK?"). */
  memory: Record<string, unknown>;
  /** Choices last shown, so a typed "2" or a typed title selects them too. */
  offeredChoices: Choice[];
  /** Set while we ask "continue or start over?" after a long pause; holds the message that woke us. */
  resumePrompt: { pending: InboundMessage } | null;
  /** Schema version of `data`, bumped when a flow changes shape. Default 1. */
  stateVersion: number;
  lastActivityAt: Date;
  /**
   * Inbox items whose results this state already contains, newest last (at most
   * `HANDLED_IDS_KEPT`): a message handled again after a crash, or by two processes, is skipped.
   */
  handledIds: string[];
  version: number;
}

/** Why 32: handled messages leave the inbox in batches about a second apart; far fewer are in doubt. */
export const HANDLED_IDS_KEPT = 32;

export const sessionId = (channel: Channel, userKey: string): string => `${channel}:${userKey}`;

/** The fields a turn writes (everything but `_id` and `version`). */
export type SessionFields = Omit<SessionDoc, '_id' | 'version'>;

/**
 * Where sessions are kept, one per person (`sessionId`). Who may write: only a drain holding the
 * person's conversation lease (see inbox-processor.ts), so the store itself decides nothing
 * between writers except a first session's creation.
 */
export interface SessionStore {
  /** The session, or null (one read by key). Not retried. */
  get(id: string): Promise<SessionDoc | null>;
  /**
   * Writes `fields` to session `id` and adds one to its `version`; with `expectedVersion`, only
   * while the session is still at that version. False when no session matched (gone, or changed).
   * The version check is no compare-and-set on FerretDB (updates are read-then-write): it catches
   * a changed session, and the lease is what makes the writer exclusive. Not retried.
   */
  update(id: string, fields: SessionFields, expectedVersion?: number): Promise<boolean>;
  /**
   * Creates a person's first session; false when one with that `_id` exists already. Decided by a
   * unique insert; concurrent calls share one unordered insert (group commit), and a transient
   * conflict retries the batch (a session the first try wrote then counts as existing).
   */
  create(doc: SessionDoc): Promise<boolean>;
}
