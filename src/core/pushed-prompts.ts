/**
 * Prompts the service pushed to a person outside a conversation (a rating request after
 * "selesai", a staff question via "Balas pelapor", a forum reminder), remembered so that the
 * person's next typed reply is read against that prompt ("5" after "beri nilai 1–5" is a rating).
 *
 * A person's latest push is the one that counts. Kept apart from the
 * session on purpose: the session is written only by the person's own turn under their lease,
 * with a version check; a push comes from someone else's turn or a job, and FerretDB updates are
 * read-then-write, so a second writer of the session could silently undo the turn's write. Here
 * the only writer is the pusher, and the engine only reads.
 *
 * This file is the port; core/store/pushed-prompts.ts keeps them in `pushed_prompts`.
 */
import type { Channel } from './messages.js';
import type { FlowData } from './session-store.js';

/** The step that reads a reply to a pushed prompt, and what it needs. */
export interface ExpectedReply {
  /** Flow and step whose `accepts` / `handle` read the reply. */
  flow: string;
  step: string;
  /** The step's data (e.g. `{ ticket }`). */
  data: FlowData;
  /** How long a reply is still read against this prompt (default 72 h). */
  ttlHours?: number;
}

/** A pushed prompt as stored. */
export interface PushedPrompt {
  /** Unique per push (the notification's idempotency key): a reply is read against it only once. */
  id: string;
  flow: string;
  step: string;
  data: FlowData;
  /** When it was pushed. */
  at: Date;
  expiresAt: Date;
}

/** What the engine needs: the latest prompt pushed to a person. */
export interface PushedPromptReader {
  latest(channel: Channel, userKey: string): Promise<PushedPrompt | null>;
}

/** How long a reply is read against a prompt unless it says otherwise. */
export const DEFAULT_PROMPT_TTL_HOURS = 72;

/** When a prompt pushed at `now` stops being read against. */
export const promptExpiry = (expect: ExpectedReply, now: Date): Date => new Date(now.getTime() + (expect.ttlHours ?? DEFAULT_PROMPT_TTL_HOURS) * 3_600_000);

/**
 * Where pushed prompts are kept (core/store/pushed-prompts.ts on MongoDB / FerretDB). The pusher
 * is the only writer.
 */
export interface PushedPromptStore extends PushedPromptReader {
  /** Remembers the prompt just pushed to a person (it is their latest from now on). */
  record(channel: Channel, userKey: string, id: string, expect: ExpectedReply, now: Date): Promise<void>;
  /** Drops prompts past their expiry (a daily prune). Returns how many. */
  prune(now: Date): Promise<number>;
}
