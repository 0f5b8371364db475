/**
 * The complaints feature: residents' complaints and aspirations as tracked tickets.
 * Wires the models, services, flows and jobs from the configuration.
 */
import type { Config } from '../../config.js';
import type { StaffTarget } from '../../core/notifier.js';
import type { AppModule, ModuleDeps } from '../../services.js';
import { complaintFlow } from '../../../flows/complaint.js';
import { complaintExportFlow } from '../../../flows/complaint-export.js';
import { complaintRatingFlow } from '../../../flows/complaint-rating.js';
import { complaintReplyFlow } from '../../../flows/complaint-reply.js';
import { complaintStaffFlow } from '../../../flows/complaint-staff.js';
import { complaintStatusFlow } from '../../../flows/complaint-status.js';
import { ComplaintAccess } from './access.js';
import { complaintJobs } from './jobs.js';
import { ComplaintMediaStore } from './media-store.js';
import { complaintModel, counterModel, ticketClaimModel } from './models.js';
import { ComplaintNotifications } from './notifications.js';
import { PhotoIntake } from './photo-intake.js';
import { ComplaintService } from './service.js';
import { WorkingDayCalendar } from './working-days.js';

/** Largest photo accepted (5 MB). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** Staff destinations from configured chat ids / numbers, on the channels that are on. */
function targets(config: Config, ids: { telegramChatIds: string[]; whatsappNumbers: string[] }): StaffTarget[] {
  return [
    ...(config.telegram ? ids.telegramChatIds.map((chatId) => ({ channel: 'telegram' as const, chatId })) : []),
    ...(config.whatsapp ? ids.whatsappNumbers.map((chatId) => ({ channel: 'whatsapp' as const, chatId })) : []),
  ];
}

export function createComplaintsModule(config: Config, deps: ModuleDeps): AppModule {
  const cc = config.complaints;
  const logger = deps.logger.child({ module: 'complaints' });
  const complaints = complaintModel(deps.conn);
  const counters = counterModel(deps.conn);
  const claims = ticketClaimModel(deps.conn);
  const media = new ComplaintMediaStore(deps.conn);
  const seniorStaff = targets(config, cc.seniorStaff);
  const headOfOffice = targets(config, cc.headOfOffice);
  const access = new ComplaintAccess(seniorStaff);
  const notifications = new ComplaintNotifications(
    deps.notifier,
    media,
    { statusTemplate: cc.statusTemplate, templateLanguage: config.templateLanguage, seniorStaff, headOfOffice, tz: deps.tz },
    logger,
  );
  const service = new ComplaintService({
    complaints,
    counters,
    claims,
    media,
    notifications,
    access,
    calendar: new WorkingDayCalendar(cc.holidays, deps.tz),
    settings: { dailyLimit: cc.dailyLimit, responseWorkingDays: cc.responseWorkingDays, resolutionWorkingDays: cc.resolutionWorkingDays, tz: deps.tz },
    logger,
  });
  const photos = new PhotoIntake({ fetcher: deps.media, store: media, maxBytes: MAX_PHOTO_BYTES, logger });

  return {
    name: 'complaints',
    flows: [
      complaintFlow({ service, photos }),
      complaintStatusFlow({ service, media }),
      complaintStaffFlow({ service }),
      complaintRatingFlow({ service }),
      complaintReplyFlow({ service }),
      complaintExportFlow({ service }),
    ],
    jobs: complaintJobs({ service, complaints, media, notifier: deps.notifier, tz: deps.tz }),
    async init() {
      await complaints.createIndexes();
      await counters.createIndexes();
      await claims.createIndexes();
    },
    async recover(now) {
      await service.retryStaffAlerts(now);
    },
  };
}
