/**
 * Where the survey is kept (the port; `src/store/ikm.ts` keeps it in MongoDB / FerretDB). Anonymous
 * by construction:
 * - the answers are stored with the service, the period and the day (WIB) only: no name, number,
 *   chat id or exact time, so nothing in a report can point back to a person;
 * - who took which service's survey in which period is a separate mark (`service:period:channel:
 *   userKey`) holding no answer and no response id; recording it is what enforces "once per person
 *   per service per period", so it must be atomic (a unique insert on both databases): two
 *   submissions at once cannot both count;
 * - survey offers already pushed are remembered by id (`forum:<registration id>`).
 */

/** One anonymous response. */
export interface ResponseDoc {
  _id: string;
  service: string;
  /** Period key, `YYYY-MM` of its first month. */
  period: string;
  /** Day of submission in WIB, `YYYY-MM-DD`. */
  day: string;
  /** Value 1..4 per element U1..U9 (null: not answered). */
  answers: Array<number | null>;
  profile: Partial<Record<'umur' | 'jenis_kelamin' | 'pendidikan' | 'pekerjaan', string>>;
  suggestion?: string;
  lang: string;
}

export interface IkmStore {
  /** Records that someone took a survey (`takerId`); false when it was recorded already. Atomic. */
  markTaken(takerId: string, at: Date): Promise<boolean>;
  /** Takes a mark back (the response it was for could not be stored). */
  unmarkTaken(takerId: string): Promise<void>;
  hasTaken(takerId: string): Promise<boolean>;
  saveResponse(doc: ResponseDoc): Promise<void>;
  /** The responses of a period (`YYYY-MM`), optionally of one service, in any order. */
  responses(period: string, service?: string): Promise<ResponseDoc[]>;
  /** Which of these offers were recorded as made. */
  offersMade(ids: string[]): Promise<Set<string>>;
  /** Records an offer as made; recording it again is a no-op. */
  recordOffer(id: string, at: Date): Promise<void>;
}
