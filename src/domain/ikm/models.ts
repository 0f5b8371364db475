/**
 * Storage of the survey, anonymous by construction:
 * - `ikm_responses`: the answers, with the service, the period and the day (WIB) only: no name,
 *   number, chat id or exact time, so nothing in a report can point back to a person;
 * - `ikm_takers`: who took which service's survey in which period (`_id` =
 *   `service:period:channel:userKey`), kept apart and holding no answer and no response id. Its
 *   unique `_id` is what enforces "once per person per service per period": the insert is atomic
 *   on MongoDB and FerretDB alike, so two submissions at once cannot both count;
 * - `ikm_offers`: survey offers already pushed (`_id` = `forum:<registration id>`).
 */
import { Schema, type Connection, type Model } from 'mongoose';

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

/** That a person took a service's survey in a period. */
export interface TakerDoc {
  _id: string;
  at: Date;
}

/** An offer pushed once. */
export interface OfferDoc {
  _id: string;
  at: Date;
}

const responseSchema = new Schema<ResponseDoc>(
  {
    _id: { type: String, required: true },
    service: { type: String, required: true },
    period: { type: String, required: true },
    day: { type: String, required: true },
    answers: { type: [Schema.Types.Mixed], required: true },
    profile: { type: Schema.Types.Mixed, default: {} },
    suggestion: { type: String },
    lang: { type: String, default: 'id' },
  },
  { collection: 'ikm_responses', versionKey: false, minimize: false },
);
responseSchema.index({ period: 1, service: 1 });

const takerSchema = new Schema<TakerDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { collection: 'ikm_takers', versionKey: false });
const offerSchema = new Schema<OfferDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { collection: 'ikm_offers', versionKey: false });

export type ResponseModel = Model<ResponseDoc>;
export type TakerModel = Model<TakerDoc>;
export type OfferModel = Model<OfferDoc>;

export const responseModel = (conn: Connection): ResponseModel => (conn.models['IkmResponse'] as ResponseModel | undefined) ?? conn.model<ResponseDoc>('IkmResponse', responseSchema);
export const takerModel = (conn: Connection): TakerModel => (conn.models['IkmTaker'] as TakerModel | undefined) ?? conn.model<TakerDoc>('IkmTaker', takerSchema);
export const offerModel = (conn: Connection): OfferModel => (conn.models['IkmOffer'] as OfferModel | undefined) ?? conn.model<OfferDoc>('IkmOffer', offerSchema);

/** True for a duplicate-key error (E11000) from either database. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
