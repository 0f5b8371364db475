/**
 * The complaints feature: residents' complaints and aspirations as tracked tickets.
 * Wires the store, services, flows and jobs from the configuration.
 */
import type { Config } from '../config.js';
import { KeyedLock } from '../core/keyed-lock.js';
import { Leases } from '../core/leases.js';
import type { Channel } from '../core/messages.js';
import type { StaffTarget } from '../core/notifier.js';
import { leaseModel, MongoLeaseStore } from '../core/store/leases.js';
import type { AppModule, ModuleDeps } from './feature.js';
import { complaintFlow } from '../../flows/complaint.js';
import { complaintExportFlow } from '../../flows/complaint-export.js';
import { complaintRatingFlow } from '../../flows/complaint-rating.js';
import { complaintReplyFlow } from '../../flows/complaint-reply.js';
import { complaintStaffFlow } from '../../flows/complaint-staff.js';
import { complaintStatusFlow } from '../../flows/complaint-status.js';
import { complaintContestFlow } from '../../flows/complaint-contest.js';
import { complaintFollowupFlow } from '../../flows/complaint-followup.js';
import { complaintWithdrawFlow } from '../../flows/complaint-withdraw.js';
import { ComplaintAccess } from '../domain/complaints/access.js';
import { pruneDraftPhotos, sendDailySummary } from '../domain/complaints/jobs.js';
import type { ComplaintMediaStore } from '../domain/complaints/media-store.js';
import { ComplaintNotifications } from '../domain/complaints/notifications.js';
import { PhotoIntake } from '../domain/complaints/photo-intake.js';
import { ComplaintQueue } from '../domain/complaints/queue.js';
import { ComplaintService } from '../domain/complaints/service.js';
import { TicketActions } from '../domain/complaints/ticket-actions.js';
import { WorkingDayCalendar } from '../domain/complaints/working-days.js';
import type { ComplaintStore } from '../domain/complaints/store.js';
import { GridFsComplaintMediaStore } from '../store/complaint-media.js';
import { MongoComplaintStore } from '../store/complaints.js';

/** Largest photo accepted (5 MB). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** Staff destinations from configured chat ids / numbers, on the channels that are on. */
function targets(on: readonly Channel[], ids: { telegramChatIds: string[]; whatsappNumbers: string[] }): StaffTarget[] {
  return [
    ...(on.includes('telegram') ? ids.telegramChatIds.map((chatId) => ({ channel: 'telegram' as const, chatId })) : []),
    ...(on.includes('whatsapp') ? ids.whatsappNumbers.map((chatId) => ({ channel: 'whatsapp' as const, chatId })) : []),
  ];
}

/** The complaints module, with its service exposed for tests and the staff console. */
export interface ComplaintsModule extends AppModule {
  name: 'complaints';
  service: ComplaintService;
  actions: TicketActions;
  /** The staff console's queue and ticket look-ups. */
  queue: ComplaintQueue;
  /** Stored photos (the staff console serves them to signed-in staff). */
  media: ComplaintMediaStore;
  /** The tickets' storage port (the console's dashboard reads its figures through it). */
  store: ComplaintStore;
}

/** Narrows an app module to the complaints module. */
export function isComplaintsModule(m: AppModule): m is ComplaintsModule {
  return m.name === 'complaints' && 'service' in m;
}

/** What other features add to the complaint flows (kept optional so the module stands alone). */
export interface ComplaintHooks {
  /** Replies after a rating is saved (the satisfaction survey's offer). */
  afterRated?: Parameters<typeof complaintRatingFlow>[0]['afterRated'];
}

export function createComplaintsModule(config: Config, deps: ModuleDeps, hooks: ComplaintHooks = {}): ComplaintsModule {
  const cc = config.complaints;
  const logger = deps.logger.child({ module: 'complaints' });
  const store = new MongoComplaintStore(deps.conn);
  const media = new GridFsComplaintMediaStore(deps.conn);
  // The local chat (no platform configured) plays every role, so each staff flow can be tried there.
  const local = deps.notifier.staffTargets.filter((t) => t.channel === 'cli');
  const configuredSenior = targets(deps.channels, cc.seniorStaff);
  const configuredHead = targets(deps.channels, cc.headOfOffice);
  const seniorStaff = configuredSenior.length ? configuredSenior : local;
  const headOfOffice = configuredHead.length ? configuredHead : local;
  const access = new ComplaintAccess(seniorStaff);
  const notifications = new ComplaintNotifications(
    deps.notifier,
    media,
    { statusTemplate: cc.statusTemplate, templateLanguage: config.templateLanguage, seniorStaff, headOfOffice, tz: deps.tz },
    logger,
  );
  const lock = new KeyedLock(new Leases(new MongoLeaseStore(leaseModel(deps.conn)), deps.clock), 'complaint');
  const service = new ComplaintService({
    lock,
    store,
    media,
    notifications,
    access,
    calendar: new WorkingDayCalendar(cc.holidays, deps.tz),
    settings: { dailyLimit: cc.dailyLimit, responseWorkingDays: cc.responseWorkingDays, resolutionWorkingDays: cc.resolutionWorkingDays, tz: deps.tz },
    logger,
  });
  const actions = new TicketActions({
    store,
    lock,
    access,
    notifications,
    media,
    targets: (at) => service.targets(at),
    settings: { contestDays: cc.contestDays, agencies: cc.agencies },
    logger,
  });
  const photos = new PhotoIntake({ fetcher: deps.media, store: media, maxBytes: MAX_PHOTO_BYTES, logger });

  return {
    name: 'complaints',
    service,
    actions,
    queue: new ComplaintQueue({ store, access }),
    media,
    store,
    flows: [
      complaintFlow({ service, photos }),
      complaintStatusFlow({ service, media, actions }),
      complaintStaffFlow({ service, actions }),
      complaintRatingFlow({ service, actions, ...(hooks.afterRated ? { afterRated: hooks.afterRated } : {}) }),
      complaintReplyFlow({ actions }),
      complaintContestFlow({ actions }),
      complaintWithdrawFlow({ actions }),
      complaintFollowupFlow({ actions, photos }),
      complaintExportFlow({ service }),
    ],
    jobs: [
      {
        name: 'complaint-targets',
        cron: '*/10 * * * *',
        run: async (now) => ({ escalated: await service.escalateOverdue(now), alertsRetried: await service.retryStaffAlerts(now) }),
      },
      // The scheduler runs in the display zone: 07:00 WIB.
      { name: 'complaint-daily-summary', cron: '0 7 * * *', run: (now) => sendDailySummary({ store, media, notifier: deps.notifier, tz: deps.tz }, now) },
      { name: 'complaint-draft-photos', cron: '23 3 * * *', run: (now) => pruneDraftPhotos(media, now) },
    ],
    async init() {
      await store.init();
    },
    async recover(now) {
      await service.retryStaffAlerts(now);
    },
  };
}
