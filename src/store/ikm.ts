/**
 * The survey (domain/ikm/store.ts: what is kept and why it is anonymous) in `ikm_responses`,
 * `ikm_takers` (`_id` = the taker mark: its unique insert is the atomic "once per period") and
 * `ikm_offers`.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { ensureIndexes } from '../core/store/index.js';
import { insertOnce } from '../core/store/insert-once.js';
import type { IkmStore, ResponseDoc } from '../domain/ikm/store.js';

/** A mark: that a person took a service's survey in a period, or that an offer was made. */
interface MarkDoc {
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

const markSchema = (collection: string) => new Schema<MarkDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { collection, versionKey: false });

const get = <T>(conn: Connection, name: string, schema: () => Schema<T>): Model<T> => (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema());

/** The survey's models (end-to-end specs read them to check what is stored). */
export const ikmResponseModel = (conn: Connection): Model<ResponseDoc> => get(conn, 'IkmResponse', () => responseSchema);
export const ikmTakerModel = (conn: Connection): Model<MarkDoc> => get(conn, 'IkmTaker', () => markSchema('ikm_takers'));
const ikmOfferModel = (conn: Connection): Model<MarkDoc> => get(conn, 'IkmOffer', () => markSchema('ikm_offers'));

export class MongoIkmStore implements IkmStore {
  private readonly responsesModel: Model<ResponseDoc>;
  private readonly takers: Model<MarkDoc>;
  private readonly offers: Model<MarkDoc>;

  constructor(conn: Connection) {
    this.responsesModel = ikmResponseModel(conn);
    this.takers = ikmTakerModel(conn);
    this.offers = ikmOfferModel(conn);
  }

  init(): Promise<void> {
    return ensureIndexes([this.responsesModel, this.takers, this.offers]);
  }

  markTaken(takerId: string, at: Date): Promise<boolean> {
    return insertOnce(this.takers, { _id: takerId, at });
  }

  async unmarkTaken(takerId: string): Promise<void> {
    await this.takers.deleteOne({ _id: takerId });
  }

  async hasTaken(takerId: string): Promise<boolean> {
    return (await this.takers.exists({ _id: takerId })) !== null;
  }

  async saveResponse(doc: ResponseDoc): Promise<void> {
    await this.responsesModel.create(doc);
  }

  responses(period: string, service?: string): Promise<ResponseDoc[]> {
    return this.responsesModel.find({ period, ...(service ? { service } : {}) }).lean<ResponseDoc[]>().exec();
  }

  async offersMade(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    return new Set((await this.offers.find({ _id: { $in: ids } }, { _id: 1 }).lean<MarkDoc[]>()).map((d) => d._id));
  }

  async recordOffer(id: string, at: Date): Promise<void> {
    await insertOnce(this.offers, { _id: id, at });
  }
}
