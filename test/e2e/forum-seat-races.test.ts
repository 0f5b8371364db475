/**
 * Seats are decided one at a time for a forum even when people sign up at the same moment through
 * two service instances on one database (FerretDB, whose updates are no compare-and-set).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { RegistrationDoc } from '../../src/domain/forums/registration-model.js';
import type { SignUpRequest } from '../../src/domain/forums/registration-service.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { createForum, forumsOf, setClock, STAFF_ENV } from './forums-support.js';

const person = (forumId: string, i: number): SignUpRequest => ({
  forumId,
  channel: i % 2 === 0 ? 'telegram' : 'whatsapp',
  userKey: i % 2 === 0 ? String(50_000 + i) : `62812000${String(i).padStart(4, '0')}`,
  name: `Warga ${i}`,
  kelurahan: 'Sampangan',
  lang: 'id',
  waitlist: true,
});

async function registrationsOf(app: App, forumId: string): Promise<RegistrationDoc[]> {
  return forumsOf(app).models.registrations.find({ forumId }).lean<RegistrationDoc[]>();
}

describe('Seats under races (two instances, one database)', () => {
  let h: Harness;
  let first: App;
  let second: App;

  beforeEach(async () => {
    h = await startHarness({ env: STAFF_ENV });
    first = h.app;
    second = await h.rebuild();
  });
  afterEach(async () => {
    await h.close();
  });

  it('20 people taking the last 3 seats at once: exactly 3 are seated, the other 17 are waitlisted 1…17, nobody is lost', async () => {
    const forum = await createForum(h, { capacity: 5 });
    const forumId = String(forum._id);
    const now = h.clock.now();
    // Two seats are already taken.
    for (const i of [100, 101]) expect((await forumsOf(first).services.registrations.signUp(person(forumId, i), now)).kind).toBe('registered');

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => forumsOf(i % 2 === 0 ? first : second).services.registrations.signUp(person(forumId, i), now)),
    );

    const kinds = results.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'registered')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'waitlisted')).toHaveLength(17);
    const regs = await registrationsOf(first, forumId);
    expect(regs).toHaveLength(22);
    expect(regs.filter((r) => r.status === 'registered')).toHaveLength(5);
    const waitSeqs = regs.filter((r) => r.status === 'waitlisted').map((r) => r.waitSeq).sort((a, b) => a! - b!);
    expect(waitSeqs).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    // Everyone was told a distinct waitlist position, the one their stored place in the queue says.
    const positions = results.flatMap((r) => (r.kind === 'waitlisted' ? [r.position] : [])).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    for (const r of results) if (r.kind === 'waitlisted') expect(r.registration.waitSeq).toBe(r.position);
    // Each person holds one registration: no one seated twice, no one dropped between the instances.
    expect(new Set(regs.map((r) => `${r.channel}:${r.userKey}`)).size).toBe(22);
  });

  it('cancellations racing sign-ups: the freed seats go to the first on the waitlist, capacity is never exceeded', async () => {
    const forum = await createForum(h, { capacity: 4 });
    const forumId = String(forum._id);
    const now = h.clock.now();
    const seated: RegistrationDoc[] = [];
    for (const i of [0, 1, 2, 3]) {
      const r = await forumsOf(first).services.registrations.signUp(person(forumId, i), now);
      if (r.kind !== 'registered') throw new Error(`expected a seat, got ${r.kind}`);
      seated.push(r.registration);
    }
    const waiting: RegistrationDoc[] = [];
    for (const i of [10, 11]) {
      const r = await forumsOf(first).services.registrations.signUp(person(forumId, i), now);
      if (r.kind !== 'waitlisted') throw new Error(`expected the waitlist, got ${r.kind}`);
      waiting.push(r.registration);
    }

    // Two seated people cancel while eight newcomers sign up, spread over both instances.
    const cancels = seated.slice(0, 2).map((reg, k) =>
      forumsOf(k === 0 ? first : second).services.registrations.cancel(String(reg._id), reg.channel, reg.userKey, now),
    );
    const signUps = Array.from({ length: 8 }, (_, k) => forumsOf(k % 2 === 0 ? second : first).services.registrations.signUp(person(forumId, 20 + k), now));
    const [cancelled, joined] = await Promise.all([Promise.all(cancels), Promise.all(signUps)]);

    expect(cancelled.map((c) => c.kind)).toEqual(['cancelled', 'cancelled']);
    const regs = await registrationsOf(first, forumId);
    const registered = regs.filter((r) => r.status === 'registered');
    expect(registered).toHaveLength(4);
    // A cancellation promotes within the same seat decision, so a freed seat goes to the waitlist
    // before any newcomer can see it: the two who were waiting are seated, every newcomer waits.
    expect(regs.filter((r) => r.promotedAt).map((r) => String(r._id)).sort()).toEqual(waiting.map((w) => String(w._id)).sort());
    expect(joined.map((j) => j.kind)).toEqual(Array(8).fill('waitlisted'));
    // Nobody lost: 4 + 2 + 8 people, each exactly once.
    expect(regs).toHaveLength(14);
    expect(new Set(regs.map((r) => `${r.channel}:${r.userKey}`)).size).toBe(14);
    const waitSeqs = regs.filter((r) => r.status === 'waitlisted').map((r) => r.waitSeq);
    expect(new Set(waitSeqs).size).toBe(waitSeqs.length);
  });

  it('staff reminders claimed by both instances at the same minute reach each staff chat once', async () => {
    setClock(h, '2026-12-01T00:00:00Z');
    const forum = await createForum(h, { startAt: new Date('2026-12-02T02:00:00Z') }); // 09:00 WIB
    await forumsOf(first).services.registrations.signUp(person(String(forum._id), 0), h.clock.now());
    setClock(h, '2026-12-02T00:00:10Z'); // 07:00 WIB: the 2-hour staff list is due

    for (let round = 0; round < 3; round++) {
      await Promise.all([forumsOf(first).reminders.runDueReminders(h.clock.now()), forumsOf(second).reminders.runDueReminders(h.clock.now())]);
      for (const app of [first, second]) {
        await app.outbox.idle();
        await app.outbox.flushDue();
      }
    }
    const lists = h.tg.sentTexts(-100500).filter((t) => t.includes('Daftar hadir:'));
    expect(lists).toHaveLength(1);
    expect(h.wa.sentTexts('6281299990000').filter((t) => t.includes('Daftar hadir:'))).toHaveLength(1);
  });
});
