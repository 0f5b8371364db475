/**
 * The Survei Kepuasan Masyarakat feature (issue #14), wired in one place above flows and domain:
 * its storage, service, the resident and staff flows, the job that offers the survey after a forum,
 * and the offer the complaint rating shows after its thanks.
 */
import type { Config } from '../config.js';
import type { Lang, Reply } from '../core/messages.js';
import type { StepContext } from '../core/flow.js';
import { forumModel, registrationModel } from '../store/forums.js';
import { loadQuestionnaire, type Questionnaire, type ServiceId } from '../domain/ikm/content.js';
import { offerSurveyAfterForums, type AttendancePort, type ForumAttendee } from '../domain/ikm/forum-offers.js';
import { IkmService } from '../domain/ikm/service.js';
import { MongoIkmStore } from '../store/ikm.js';
import type { AppModule, ModuleDeps } from './feature.js';
import type { AppServices } from '../services.js';
import { ikmOffer, ikmSurveyFlow } from '../../flows/ikm-survey.js';
import { ikmStaffFlow } from '../../flows/ikm-staff.js';

/** The IKM module, with its service and the complaint-rating hook exposed. */
export interface IkmModule extends AppModule {
  name: 'ikm';
  service: IkmService;
  /** Replies to add after a complaint's rating is saved: the survey offer, unless already taken this period. */
  afterComplaintRated(ctx: StepContext<AppServices>): Promise<Reply[]>;
}

/** Narrows an app module to the IKM module. */
export function isIkmModule(m: AppModule): m is IkmModule {
  return m.name === 'ikm' && 'service' in m;
}

/** Forum attendance as the IKM job needs it, read from the forums' collections. */
function forumAttendance(deps: ModuleDeps): AttendancePort {
  const forums = forumModel(deps.conn);
  const registrations = registrationModel(deps.conn);
  return {
    async attendeesOfForumsEnded(from, to) {
      // A forum longer than a day is not held here; look a day further back for their starts.
      const candidates = await forums.find({ status: 'scheduled', startAt: { $gte: new Date(from.getTime() - 24 * 3_600_000), $lte: to } }, { startAt: 1, durationMinutes: 1 }).lean();
      const ended = candidates.filter((f) => {
        const end = f.startAt.getTime() + f.durationMinutes * 60_000;
        return end <= to.getTime() && end >= from.getTime();
      });
      if (ended.length === 0) return [];
      const regs = await registrations.find({ forumId: { $in: ended.map((f) => f._id) }, status: 'registered', attendedAt: { $exists: true } }, { channel: 1, userKey: 1, lang: 1 }).lean();
      return regs.map((r): ForumAttendee => ({ registrationId: String(r._id), channel: r.channel, userKey: r.userKey, lang: r.lang }));
    },
  };
}

export async function createIkmModule(config: Config, deps: ModuleDeps, questionnaire?: Questionnaire): Promise<IkmModule> {
  const q = questionnaire ?? (await loadQuestionnaire());
  const logger = deps.logger.child({ component: 'ikm' });
  const store = new MongoIkmStore(deps.conn);
  const service = new IkmService({ store, settings: { periodMonths: config.ikm.periodMonths, population: config.ikm.population, tz: deps.tz }, logger });
  const attendance = forumAttendance(deps);
  const offer = (s: ServiceId, lang: Lang) => ikmOffer(q, s, lang);
  return {
    name: 'ikm',
    service,
    flows: [ikmSurveyFlow({ ikm: service, questionnaire: q }), ikmStaffFlow({ ikm: service, questionnaire: q })],
    jobs: [{ name: 'ikm-forum-offers', cron: '*/5 * * * *', run: (now) => offerSurveyAfterForums({ attendance, store, ikm: service, notifier: deps.notifier, offer, logger, now }) }],
    init: () => store.init(),
    async afterComplaintRated(ctx) {
      if (await service.hasTaken(ctx.contact, 'pengaduan', ctx.now)) return [];
      return [offer('pengaduan', ctx.lang)];
    },
  };
}
