import { Schema, type Connection, type Model } from 'mongoose';
import type { Channel, Choice, InboundMessage } from '../messages.js';

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

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    userKey: { type: String, required: true },
    flow: { type: String, default: null },
    step: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: {} },
    history: { type: Schema.Types.Mixed, default: [] },
    offeredChoices: { type: Schema.Types.Mixed, default: [] },
    memory: { type: Schema.Types.Mixed, default: {} },
    resumePrompt: { type: Schema.Types.Mixed, default: null },
    stateVersion: { type: Number, default: 1 },
    lastActivityAt: { type: Date, default: () => new Date() },
    handledIds: { type: [String], default: [] },
    version: { type: Number, default: 0 },
  },
  { collection: 'sessions', minimize: false, versionKey: false },
);

export type SessionModel = Model<SessionDoc>;
export const sessionModel = (conn: Connection): SessionModel =>
  conn.models['Session'] as SessionModel | undefined ?? conn.model<SessionDoc>('Session', sessionSchema);
