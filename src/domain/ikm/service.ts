/**
 * The survey's records and scores: submitting an anonymous response (once per person, service and
 * period), and the IKM per period, per service and per element for staff and for the thanks
 * message. Flows call this; it never sees a platform.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { ELEMENT_COUNT, scoreResponses, weakestElements, type IkmScore } from './scoring.js';
import { minimumSample } from './sample.js';
import { periodByKey, periodOf, previousPeriod, type SurveyPeriod } from './period.js';
import type { IkmStore, ResponseDoc } from './store.js';
import type { ProfileId, ServiceId } from './content.js';

/** Who is answering (never stored next to the answers). */
export interface Respondent {
  channel: string;
  userKey: string;
}

/** A finished questionnaire. */
export interface Submission {
  service: ServiceId;
  /** Value 1..4 per element U1..U9. */
  answers: number[];
  profile: Partial<Record<ProfileId, string>>;
  suggestion?: string;
  lang: string;
}

export type SubmitResult = { kind: 'saved'; period: SurveyPeriod } | { kind: 'already-taken'; period: SurveyPeriod };

/** Settings of the survey. */
export interface IkmSettings {
  /** Length of a survey period in months (default 3). */
  periodMonths: number;
  /** People served in a period, for the minimum sample; undefined = not set. */
  population: number | undefined;
  tz: string;
}

/** A period's result. */
export interface PeriodSummary {
  period: SurveyPeriod;
  /** Every service together. */
  all: IkmScore;
  /** Per service that has responses. */
  byService: Array<{ service: string; score: IkmScore }>;
  /** Indices of the weakest elements overall. */
  weakest: number[];
  /** Krejcie–Morgan minimum for the population setting, when set. */
  minimumSample: number | undefined;
}

/** One free suggestion, with its day and service (never who wrote it). */
export interface Suggestion {
  day: string;
  service: string;
  text: string;
}

export class IkmService {
  constructor(
    private readonly deps: {
      store: IkmStore;
      settings: IkmSettings;
      logger: Logger;
    },
  ) {}

  get settings(): IkmSettings {
    return this.deps.settings;
  }

  /** The period holding `at`. */
  periodAt(at: Date): SurveyPeriod {
    return periodOf(at, this.deps.settings.periodMonths, this.deps.settings.tz);
  }

  /** The period with this key (`YYYY-MM`), or null. */
  periodByKey(key: string): SurveyPeriod | null {
    return periodByKey(key, this.deps.settings.periodMonths, this.deps.settings.tz);
  }

  private takerId(who: Respondent, service: ServiceId, period: SurveyPeriod): string {
    return `${service}:${period.key}:${who.channel}:${who.userKey}`;
  }

  /** Whether this person already took the survey of `service` in the period of `now`. */
  async hasTaken(who: Respondent, service: ServiceId, now: Date): Promise<boolean> {
    const id = this.takerId(who, service, this.periodAt(now));
    return this.deps.store.hasTaken(id);
  }

  /**
   * Stores a response. The person's marker is inserted first: its unique `_id` decides, atomically,
   * whether this is their first response in the period (a second one at the same moment loses).
   * If the response itself cannot be stored, the marker is taken back so they can try again.
   */
  async submit(who: Respondent, s: Submission, now: Date): Promise<SubmitResult> {
    if (s.answers.length !== ELEMENT_COUNT || s.answers.some((v) => !Number.isInteger(v) || v < 1 || v > 4)) {
      throw new RangeError(`a response needs ${ELEMENT_COUNT} answers of 1..4`);
    }
    const period = this.periodAt(now);
    const takerId = this.takerId(who, s.service, period);
    if (!(await this.deps.store.markTaken(takerId, now))) return { kind: 'already-taken', period };
    const doc: ResponseDoc = {
      _id: randomUUID(),
      service: s.service,
      period: period.key,
      day: DateTime.fromJSDate(now, { zone: this.deps.settings.tz }).toISODate()!,
      answers: [...s.answers],
      profile: { ...s.profile },
      ...(s.suggestion ? { suggestion: s.suggestion } : {}),
      lang: s.lang,
    };
    try {
      await this.deps.store.saveResponse(doc);
    } catch (err) {
      await this.deps.store.unmarkTaken(takerId).catch((e: unknown) => this.deps.logger.error({ err: e, service: s.service }, 'survey marker not taken back after a failed save'));
      throw err;
    }
    this.deps.logger.info({ service: s.service, period: period.key }, 'survey response stored');
    return { kind: 'saved', period };
  }

  /** The responses of a period (optionally one service), in a stable order (day, then id). */
  async responses(period: SurveyPeriod, service?: string): Promise<ResponseDoc[]> {
    const rows = await this.deps.store.responses(period.key, service);
    return rows.sort((a, b) => a.day.localeCompare(b.day) || a._id.localeCompare(b._id));
  }

  /** The IKM of a period: all services together, per service, the weakest elements, the minimum sample. */
  async summary(period: SurveyPeriod): Promise<PeriodSummary> {
    const rows = await this.responses(period);
    const all = scoreResponses(rows.map((r) => r.answers));
    const services = [...new Set(rows.map((r) => r.service))].sort();
    const byService = services.map((service) => ({ service, score: scoreResponses(rows.filter((r) => r.service === service).map((r) => r.answers)) }));
    const population = this.deps.settings.population;
    return { period, all, byService, weakest: weakestElements(all, 3), minimumSample: population ? minimumSample(population) : undefined };
  }

  /**
   * The office's latest published score: the last finished period with a complete score (up to
   * four periods back); when there is none yet, the current period so far (`provisional`).
   */
  async latestScore(now: Date): Promise<{ summary: PeriodSummary; provisional: boolean } | null> {
    const current = this.periodAt(now);
    let p = current;
    for (let i = 0; i < 4; i++) {
      p = previousPeriod(p, this.deps.settings.periodMonths, this.deps.settings.tz);
      const s = await this.summary(p);
      if (s.all.ikm !== null) return { summary: s, provisional: false };
    }
    const s = await this.summary(current);
    return s.all.ikm !== null ? { summary: s, provisional: true } : null;
  }

  /** Free suggestions of a period, oldest first. */
  async suggestions(period: SurveyPeriod): Promise<Suggestion[]> {
    const rows = await this.responses(period);
    return rows.filter((r) => r.suggestion).map((r) => ({ day: r.day, service: r.service, text: r.suggestion! }));
  }
}
