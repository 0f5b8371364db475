/**
 * The forums feature: models, services, flows and jobs, composed from the app's config and deps.
 */
import type { Config } from '../config.js';
import { KeyedLock } from '../core/keyed-lock.js';
import { Leases } from '../core/leases.js';
import { contactModel } from '../core/store/contacts.js';
import { leaseModel, MongoLeaseStore } from '../core/store/leases.js';
import { ensureIndexes } from '../core/store/index.js';
import type { AppModule, ModuleDeps } from './feature.js';
import type { ForumsServices } from '../../flows/forums/services.js';

export type { ForumsServices };
import { createForumSignupFlow } from '../../flows/forums/forum-signup.js';
import { createForumStaffFlow } from '../../flows/forums/forum-staff.js';
import { createMyForumsFlow } from '../../flows/forums/my-forums.js';
import { ForumService } from '../domain/forums/forum-service.js';
import { ResidentNotices } from '../domain/forums/notices.js';
import { OutboxOutcomes } from '../core/store/outbox-outcomes.js';
import { RegistrationService } from '../domain/forums/registration-service.js';
import { archiveOldReminders } from '../domain/forums/reminder-archive.js';
import { ReminderPlanner } from '../domain/forums/reminder-plan.js';
import { ReminderRunner, type ReminderRunnerOptions } from '../domain/forums/reminder-runner.js';
import type { ForumStore, RegistrationStore, ReminderStore } from '../domain/forums/store.js';
import { forumModel, MongoForumStore, MongoRegistrationStore, registrationModel, type ForumModel, type RegistrationModel } from '../store/forums.js';
import { MongoReminderLedger } from '../store/reminder-ledger.js';
import { MongoReminderContacts, MongoReminderStore, reminderArchiveModel, reminderModel, type ReminderModel } from '../store/reminders.js';

/** The forums module, with its services exposed for tests and the staff API. */
export interface ForumsModule extends AppModule {
  name: 'forums';
  services: ForumsServices;
  reminders: ReminderRunner;
  /** The storage ports the services use (the console's read models take them too). */
  stores: { forums: ForumStore; registrations: RegistrationStore; reminders: ReminderStore };
  /** The MongoDB models behind them, for end-to-end tests and benchmarks that look at stored documents. */
  models: { forums: ForumModel; registrations: RegistrationModel; reminders: ReminderModel; reminderArchive: ReminderModel };
}

/** Test and benchmark knobs of the reminder runner (defaults suit production). */
export type ForumsModuleOptions = Pick<ReminderRunnerOptions, 'leaseMs' | 'retryBaseMs'>;

export function createForumsModule(config: Config, deps: ModuleDeps, opts: ForumsModuleOptions = {}): ForumsModule {
  const models = { forums: forumModel(deps.conn), registrations: registrationModel(deps.conn), reminders: reminderModel(deps.conn), reminderArchive: reminderArchiveModel(deps.conn) };
  const stores = {
    forums: new MongoForumStore(models.forums),
    registrations: new MongoRegistrationStore(models.registrations),
    reminders: new MongoReminderStore(models.reminders, models.reminderArchive, models.forums),
  };
  const logger = deps.logger.child({ component: 'forums' });
  const template = { name: config.forums.reminderTemplate, language: config.templateLanguage };
  const leases = new Leases(new MongoLeaseStore(leaseModel(deps.conn)), deps.clock);
  const lock = new KeyedLock(leases, 'forum');
  const planner = new ReminderPlanner(stores.reminders, {
    residentOffsetsHours: config.forums.reminderOffsetsHours,
    staffOffsetHours: config.forums.staffReminderHours,
  });
  const notices = new ResidentNotices({ notifier: deps.notifier, logger, tz: deps.tz, template, cancelledTemplate: { name: config.forums.cancelledTemplate, language: config.templateLanguage } });
  const registrations = new RegistrationService({ ...stores, lock, planner, notices, logger });
  const forums = new ForumService({ ...stores, lock, planner, notices, registrationService: registrations, logger, tz: deps.tz });
  const ledger = new MongoReminderLedger(deps.conn, models.reminders);
  const reminders = new ReminderRunner({
    ...stores,
    ledger,
    contacts: new MongoReminderContacts(contactModel(deps.conn)),
    outcomes: new OutboxOutcomes(deps.conn),
    planner,
    notifier: deps.notifier,
    logger,
    clock: deps.clock,
    tz: deps.tz,
    template,
    maxAttempts: config.forums.reminderMaxAttempts,
    residentOffsetsHours: config.forums.reminderOffsetsHours,
    lanes: deps.channels,
    ...opts,
  });
  const services: ForumsServices = { forums, registrations, notices, tz: deps.tz };
  return {
    name: 'forums',
    services,
    reminders,
    stores,
    models,
    flows: [createForumSignupFlow(services), createMyForumsFlow(services), createForumStaffFlow(services)],
    jobs: [
      { name: 'forum-reminders', cron: '* * * * *', run: (now) => reminders.runDueReminders(now) },
      // The scheduler runs in the display zone: 07:00 WIB.
      { name: 'forum-staff-digest', cron: '0 7 * * *', run: (now) => reminders.runDailyDigest(now) },
      { name: 'forum-reminder-archive', cron: '30 3 * * *', run: (now) => archiveOldReminders(stores.reminders, now) },
    ],
    init: () => ensureIndexes([models.forums, models.registrations, models.reminders, models.reminderArchive, ...ledger.models]),
    recover: async (now) => {
      await reminders.recover(now);
    },
  };
}

/** Narrows an app module to the forums module (tests, tools). */
export function isForumsModule(m: AppModule): m is ForumsModule {
  return m.name === 'forums' && 'reminders' in m;
}
