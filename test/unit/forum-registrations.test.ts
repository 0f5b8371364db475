/**
 * Sign-up, the waitlist and its promotion (RegistrationService) on the in-memory ports, with a
 * clock moved by hand. The same rules through two instances on FerretDB are in
 * test/e2e/forum-seat-races.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { forumUnit, HOUR, wib } from '../support/forum-unit.js';

describe('signing up for a forum', () => {
  it('gives seats up to the capacity, then waitlist places in order; asking again changes nothing', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00'), capacity: 2 });

    const results = [];
    for (const [key, name] of [['1', 'Ani'], ['2', 'Budi'], ['3', 'Citra'], ['4', 'Dodi']] as const) results.push(await u.signUp(forum, 'telegram', key, name));

    expect(results.map((r) => r.kind)).toEqual(['registered', 'registered', 'waitlisted', 'waitlisted']);
    expect(results.map((r) => ('position' in r ? r.position : undefined))).toEqual([undefined, undefined, 1, 2]);
    expect(await u.signUp(forum, 'telegram', '4', 'Dodi')).toMatchObject({ kind: 'already', position: 2 });
    expect(u.stores.forums.docs.get(String(forum._id))!.waitSeq).toBe(2);
  });

  it('seats exactly the capacity when many sign up at once, and waitlists the rest 1, 2, 3 … without gaps', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00'), capacity: 3 });

    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => u.signUp(forum, 'whatsapp', `62811000000${String(i).padStart(2, '0')}`, `Warga ${i}`)));

    expect(results.filter((r) => r.kind === 'registered')).toHaveLength(3);
    const positions = results.flatMap((r) => (r.kind === 'waitlisted' ? [r.position] : [])).sort((a, b) => a - b);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reports a full forum without a waitlist place when the person did not ask for one', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00'), capacity: 1 });
    await u.signUp(forum, 'telegram', '1', 'Ani');

    const r = await u.registrations.signUp({ forumId: String(forum._id), channel: 'telegram', userKey: '2', name: 'Budi', kelurahan: 'Petompon', lang: 'id', waitlist: false }, u.clock.now());

    expect(r.kind).toBe('full');
    expect(await u.stores.registrations.find({ forumIds: [forum._id] })).toHaveLength(1);
  });

  it('is closed after the registration deadline, once the forum started, and when it was cancelled', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00'), deadline: wib('2026-03-11T17:00') });
    u.clock.advance(wib('2026-03-11T17:00').getTime() - u.clock.now().getTime());
    expect(await u.signUp(forum, 'telegram', '1', 'Ani')).toMatchObject({ kind: 'closed', reason: 'deadline' });
    u.clock.advance(16 * HOUR);
    expect(await u.signUp(forum, 'telegram', '1', 'Ani')).toMatchObject({ kind: 'closed', reason: 'started' });

    const other = await u.createForum({ startAt: wib('2026-03-20T09:00') });
    await u.stores.forums.cancelScheduled(other._id, u.clock.now());
    expect(await u.signUp(other, 'telegram', '1', 'Ani')).toMatchObject({ kind: 'closed', reason: 'cancelled' });
  });

  it('does not find a forum from an id that is not one', async () => {
    const u = forumUnit();
    const r = await u.registrations.signUp({ forumId: 'not-an-id', channel: 'telegram', userKey: '1', name: 'Ani', kelurahan: 'Petompon', lang: 'id', waitlist: true }, u.clock.now());
    expect(r.kind).toBe('not-found');
  });

  it('plans the 24 h and 2 h reminders of a seat, none for a waitlist place', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00'), capacity: 1 });
    await u.signUp(forum, 'telegram', '1', 'Ani');
    await u.signUp(forum, 'telegram', '2', 'Budi');

    expect(u.reminderOf(forum, 'telegram', '1', 24)).toMatchObject({ status: 'pending', dueAt: wib('2026-03-11T09:00') });
    expect(u.reminderOf(forum, 'telegram', '1', 2)).toMatchObject({ status: 'pending', dueAt: wib('2026-03-12T07:00') });
    expect(u.reminderOf(forum, 'telegram', '2', 24)).toBeUndefined();
  });
});

describe('cancelling and the waitlist', () => {
  it('gives a freed seat to the first on the waitlist, tells them, plans their reminders, and moves the others up', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00'), capacity: 1 });
    const ani = await u.signUp(forum, 'telegram', '1', 'Ani');
    await u.signUp(forum, 'telegram', '2', 'Budi');
    await u.signUp(forum, 'telegram', '3', 'Citra');
    if (ani.kind !== 'registered') throw new Error(ani.kind);

    const res = await u.registrations.cancel(String(ani.registration._id), 'telegram', '1', u.clock.now());

    expect(res.kind).toBe('cancelled');
    expect(u.promoted.map((p) => p.registration.name)).toEqual(['Budi']);
    expect(u.reminderOf(forum, 'telegram', '2', 24)).toMatchObject({ status: 'pending' });
    expect(u.reminderOf(forum, 'telegram', '1', 24)).toMatchObject({ status: 'skipped', outcome: 'registration-cancelled' });
    expect(await u.signUp(forum, 'telegram', '3', 'Citra')).toMatchObject({ kind: 'already', position: 1 });
  });

  it('lets only the person cancel their own place, and only once', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    const ani = await u.signUp(forum, 'telegram', '1', 'Ani');
    if (ani.kind !== 'registered') throw new Error(ani.kind);
    const id = String(ani.registration._id);

    expect((await u.registrations.cancel(id, 'telegram', '2', u.clock.now())).kind).toBe('not-active');
    expect((await u.registrations.cancel(id, 'telegram', '1', u.clock.now())).kind).toBe('cancelled');
    expect((await u.registrations.cancel(id, 'telegram', '1', u.clock.now())).kind).toBe('not-active');
  });

  it('keeps the code when someone who cancelled signs up again', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00') });
    const first = await u.signUp(forum, 'telegram', '1', 'Ani');
    if (first.kind !== 'registered') throw new Error(first.kind);
    await u.registrations.cancel(String(first.registration._id), 'telegram', '1', u.clock.now());

    const again = await u.signUp(forum, 'telegram', '1', 'Ani');

    expect(again).toMatchObject({ kind: 'registered', registration: { code: first.registration.code, status: 'registered' } });
    expect(again.kind === 'registered' && again.registration.cancelledAt).toBeUndefined();
    expect(u.reminderOf(forum, 'telegram', '1', 24)).toMatchObject({ status: 'pending', generation: 2 });
  });

  it('fills new seats from the waitlist in order after the capacity grows, and nobody once the forum started', async () => {
    const u = forumUnit();
    const forum = await u.createForum({ startAt: wib('2026-03-12T09:00'), capacity: 1 });
    for (const [key, name] of [['1', 'Ani'], ['2', 'Budi'], ['3', 'Citra'], ['4', 'Dodi']] as const) await u.signUp(forum, 'telegram', key, name);

    await u.stores.forums.updateScheduled(forum._id, { capacity: 3 }, false);
    const promoted = await u.registrations.promoteWaitlist(forum._id, u.clock.now());

    expect(promoted.map((r) => r.name)).toEqual(['Budi', 'Citra']);
    await u.stores.forums.updateScheduled(forum._id, { capacity: 4 }, false);
    u.clock.advance(wib('2026-03-12T09:00').getTime() - u.clock.now().getTime());
    expect(await u.registrations.promoteWaitlist(forum._id, u.clock.now())).toEqual([]);
  });

  it('remembers name and kelurahan from the latest sign-up, and lists one\'s forums soonest first', async () => {
    const u = forumUnit();
    const later = await u.createForum({ startAt: wib('2026-03-20T09:00'), title: 'Forum nanti' });
    const sooner = await u.createForum({ startAt: wib('2026-03-12T09:00'), title: 'Forum dekat' });
    await u.signUp(later, 'telegram', '1', 'Ani Lestari');
    await u.signUp(sooner, 'telegram', '1', 'Ani Lestari');

    expect(await u.registrations.profile('telegram', '1')).toEqual({ name: 'Ani Lestari', kelurahan: 'Petompon' });
    expect((await u.registrations.mine('telegram', '1', u.clock.now())).map((m) => m.forum.title)).toEqual(['Forum dekat', 'Forum nanti']);
  });
});
