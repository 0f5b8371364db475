import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { IkmService, type Submission } from '../../src/domain/ikm/service.js';
import { MemoryIkmStore } from '../support/memory-ikm-store.js';

const settings = { periodMonths: 3, population: undefined, tz: 'Asia/Jakarta' };
const someone = { channel: 'whatsapp', userKey: '6281200000001' };
const answers: Submission = { service: 'pengaduan', answers: [4, 3, 4, 4, 3, 4, 4, 3, 4], profile: { umur: '26-35' }, lang: 'id' };
const nov = new Date('2026-11-30T03:00:00Z');

function survey() {
  const store = new MemoryIkmStore();
  return { store, ikm: new IkmService({ store, settings, logger: pino({ level: 'silent' }) }) };
}

describe('The satisfaction survey service', () => {
  it('stores a response without anything that points back to the person', async () => {
    const { store, ikm } = survey();
    expect(await ikm.submit(someone, answers, nov)).toMatchObject({ kind: 'saved' });
    expect(store.saved).toHaveLength(1);
    const saved = JSON.stringify(store.saved[0]);
    expect(saved).not.toContain(someone.userKey);
    expect(store.saved[0]).toMatchObject({ service: 'pengaduan', period: '2026-10', day: '2026-11-30' });
  });

  it('counts one response per person, service and period', async () => {
    const { store, ikm } = survey();
    await ikm.submit(someone, answers, nov);
    expect(await ikm.submit(someone, answers, new Date('2026-12-15T03:00:00Z'))).toMatchObject({ kind: 'already-taken' });
    expect(await ikm.submit(someone, { ...answers, service: 'forum' }, nov)).toMatchObject({ kind: 'saved' });
    expect(await ikm.submit(someone, answers, new Date('2027-01-05T03:00:00Z'))).toMatchObject({ kind: 'saved' });
    expect(store.saved).toHaveLength(3);
  });

  it('lets the person try again when their response could not be stored', async () => {
    const { store, ikm } = survey();
    store.failNextSave = true;
    await expect(ikm.submit(someone, answers, nov)).rejects.toThrow('database down');
    expect(await ikm.hasTaken(someone, 'pengaduan', nov)).toBe(false);
    expect(await ikm.submit(someone, answers, nov)).toMatchObject({ kind: 'saved' });
  });

  it('refuses an answer outside 1..4 before storing anything', async () => {
    const { store, ikm } = survey();
    await expect(ikm.submit(someone, { ...answers, answers: [5, 3, 4, 4, 3, 4, 4, 3, 4] }, nov)).rejects.toThrow(RangeError);
    expect(store.takers.size).toBe(0);
  });
});
