/** What the reminder runner and its lanes are built from (see reminder-runner.ts). */
import type { Logger } from 'pino';
import type { Channel } from '../../core/messages.js';
import type { Notifier } from '../../core/notifier.js';
import type { OutboxOutcomeReader } from '../../core/outbox-outcomes.js';
import type { ReminderLedger } from './reminder-ledger.js';
import type { ReminderPlanner } from './reminder-plan.js';
import type { ForumStore, RegistrationStore, ReminderContacts, ReminderStore } from './store.js';

/** What the runner needs of the notifier: the outbox's room per channel, and queuing to people and staff. */
export type ReminderNotifier = Pick<Notifier, 'whenRoom' | 'toContact' | 'toStaff' | 'staffTargets'>;

/** What the runner reads of the outbox: the outcomes of the messages it queued with a report topic. */
export type ReminderOutcomes = OutboxOutcomeReader;

export interface ReminderRunnerOptions {
  forums: ForumStore;
  registrations: RegistrationStore;
  reminders: ReminderStore;
  /** Read only: contacts (where to send, blocked, WhatsApp window). */
  contacts: ReminderContacts;
  /** Read only: outcomes of handed-off reminders. */
  outcomes: ReminderOutcomes;
  /** Claims, results and batched folds of every reminder attempt (resident and staff). */
  ledger: ReminderLedger;
  planner: ReminderPlanner;
  notifier: ReminderNotifier;
  logger: Logger;
  clock: () => Date;
  tz: string;
  /** Approved WhatsApp template for reminders outside the 24-hour window. */
  template: { name: string; language: string };
  /** Attempts per reminder before it is recorded failed. */
  maxAttempts: number;
  /** Resident reminder offsets (hours before), to tell when a smaller one supersedes a larger. */
  residentOffsetsHours: number[];
  /** One resident lane per switched-on channel (reminders of any other channel share one more lane). */
  lanes: readonly Channel[];
  /** Claim lease (default 2 minutes). */
  leaseMs?: number;
  /** First retry delay after a failed attempt (default 5 minutes; doubles). */
  retryBaseMs?: number;
}

/** What every lane and the reconciler share: the options with defaults, and this runner's owner id. */
export interface LaneContext extends ReminderRunnerOptions {
  /** This runner's id on its claims. */
  owner: string;
  leaseMs: number;
  retryBaseMs: number;
}
