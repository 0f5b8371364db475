/**
 * A ticket's status is decided once even when two staff act at the same moment through two
 * service instances on one database (FerretDB, whose updates are no compare-and-set).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { isComplaintsModule, type ComplaintsModule } from '../../src/features/complaints.js';
import { complaintModel } from '../../src/store/complaint-models.js';
import type { Viewer } from '../../src/domain/complaints/access.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, fileOnWhatsApp } from './complaints-support.js';

function complaintsOf(app: App): ComplaintsModule {
  const m = app.modules.find(isComplaintsModule);
  if (!m) throw new Error('complaints module is not registered');
  return m;
}

const staff = (userKey: string): Viewer => ({ channel: 'telegram', userKey, chatId: userKey, isStaff: true, name: `Petugas ${userKey}` });

describe('Ticket decisions under races (two instances, one database)', () => {
  let h: Harness;
  let first: App;
  let second: App;

  beforeEach(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
    first = h.app;
    second = await h.rebuild();
  });
  afterEach(async () => {
    await h.close();
  });

  it('"Selesai" and "Tolak" pressed at once by two staff: exactly one is applied, the other is told it is no longer allowed', async () => {
    const ticket = await fileOnWhatsApp(h, '6281233334444', { description: 'Jalan berlubang besar di depan SD, sudah dua minggu.' });
    const now = h.clock.now();
    for (let round = 0; round < 5; round++) {
      // Each round starts from an open ticket: accept it first (round 0) or re-open it by hand.
      if (round > 0) await complaintModel(first.conn).updateOne({ ticketNo: ticket }, { $set: { status: 'diproses' } });
      const [a, b] = await Promise.all([
        complaintsOf(first).service.changeStatus(ticket, 'selesai', staff('701'), 'Sudah ditambal', `k-done-${round}`, now),
        complaintsOf(second).service.changeStatus(ticket, 'ditolak', staff('702'), 'Bukan kewenangan', `k-reject-${round}`, now),
      ]);
      expect([a.kind, b.kind].sort()).toEqual(['changed', 'not-allowed']);
      const doc = await complaintModel(first.conn).findOne({ ticketNo: ticket }).lean();
      const finals = doc!.history.filter((e) => e.key === `k-done-${round}` || e.key === `k-reject-${round}`);
      expect(finals).toHaveLength(1);
      expect(doc!.status).toBe(finals[0]!.status);
    }
  });
});
