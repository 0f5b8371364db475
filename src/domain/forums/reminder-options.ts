/** What the reminder runner and its lanes are built from (see reminder-runner.ts). */
import type { Logger } from 'pino';
import type { Channel } from '../../core/messages.js';
import type { Notifier } from '../../core/notifier.js';
import type { OutboxOutcomes } from '../../core/outbox-outcomes.js';
import type { ContactModel } from '../../core/store/contacts.js';
import type { ForumModel } from './forum-model.js';
import type { RegistrationModel } from './registration-model.js';
import type { ReminderLedger } from './reminder-ledger.js';
import type { ReminderModel } from './reminder-model.js';
import type { ReminderPlanner } from './reminder-plan.js';

export interface ReminderRunnerOptions {
  forums: ForumModel;
  registrations: RegistrationModel;
  reminders: ReminderModel;
  /** Read only: contacts (where to send, blocked, WhatsApp window). */
  contacts: ContactModel;
  /** Read only: outcomes of handed-off reminders. */
  outcomes: OutboxOutcomes;
  /** Claims, results and batched folds of every reminder attempt (resident and staff). */
  ledger: ReminderLedger;
  planner: ReminderPlanner;
  notifier: Notifier;
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
