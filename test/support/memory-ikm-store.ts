import type { IkmStore, ResponseDoc } from '../../src/domain/ikm/store.js';

/** The survey's storage port in memory, for unit specs (end-to-end specs use FerretDB). */
export class MemoryIkmStore implements IkmStore {
  readonly takers = new Map<string, Date>();
  readonly saved: ResponseDoc[] = [];
  readonly offers = new Map<string, Date>();
  /** The next `saveResponse` fails (a database error). */
  failNextSave = false;

  async markTaken(takerId: string, at: Date): Promise<boolean> {
    if (this.takers.has(takerId)) return false;
    this.takers.set(takerId, at);
    return true;
  }
  async unmarkTaken(takerId: string): Promise<void> {
    this.takers.delete(takerId);
  }
  async hasTaken(takerId: string): Promise<boolean> {
    return this.takers.has(takerId);
  }
  async saveResponse(doc: ResponseDoc): Promise<void> {
    if (this.failNextSave) {
      this.failNextSave = false;
      throw new Error('database down');
    }
    this.saved.push(structuredClone(doc));
  }
  async responses(period: string, service?: string): Promise<ResponseDoc[]> {
    return this.saved.filter((r) => r.period === period && (!service || r.service === service)).map((r) => structuredClone(r));
  }
  async offersMade(ids: string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.offers.has(id)));
  }
  async recordOffer(id: string, at: Date): Promise<void> {
    if (!this.offers.has(id)) this.offers.set(id, at);
  }
}
