/**
 * The local chat (`npm run chat`): with no staff destination configured, the local user receives
 * staff alerts and their buttons, so every staff flow can be tried without a platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isComplaintsModule } from '../../src/features/complaints.js';
import { complaintModel } from '../../src/store/complaint-models.js';
import { startHarness, type Harness } from '../support/test-app.js';

describe('The local chat plays staff when no staff destination is configured', () => {
  let h: Harness;
  const printed: string[] = [];
  const output = () => printed.join('\n');

  beforeAll(async () => {
    h = await startHarness({ appOptions: { cliOutput: (line) => printed.push(line) } });
  });
  afterAll(async () => h.close());

  it('a new complaint\'s staff alert and its buttons reach the local user, who can act on it by number', async () => {
    const complaints = h.app.modules.find(isComplaintsModule)!;
    const reporter = { channel: 'cli' as const, userKey: 'local', chatId: 'local', isStaff: true, name: 'Warga', lang: 'id' as const };
    const r = await complaints.service.submit(
      { category: 'jalan', kelurahan: 'petompon', place: { address: 'Jl. Kelud Raya' }, description: 'Jalan berlubang dalam di tikungan.', photos: [], identity: 'named' },
      reporter,
      'local-submit-1',
      h.clock.now(),
    );
    expect(r.kind).toBe('created');
    const ticket = r.kind === 'created' ? r.complaint.ticketNo : '';
    await h.app.outbox.flushChat('cli', 'local');
    expect(output()).toContain(`Pengaduan baru ${ticket}`);
    expect(output()).toContain('[1] Terima');
    expect(output()).not.toContain('no staff destination');

    await h.app.sendLocal(`cek ${ticket}`);
    expect(printed.at(-1)).toContain('[1] Terima');
    await h.app.sendLocal('1');
    expect(printed.at(-1)).toContain('Tulis catatan singkat');
    await h.app.sendLocal('Segera dicek petugas');
    expect(output()).toContain(`${ticket} sekarang "Diterima"`);
    expect((await complaintModel(h.app.conn).findOne({ ticketNo: ticket }).lean())!.status).toBe('diterima');
  });
});
