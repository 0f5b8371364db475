/**
 * What the complaint services do with a ticket, on the complaints' storage port in memory (the same
 * port on FerretDB, through the webhooks, is covered by test/e2e/complaints*.test.ts,
 * ticket-lifecycle.test.ts and complaint-races.test.ts): filing with its checks, staff status
 * changes, messages both ways, withdrawal, contest, rating, hand-over to an agency, escalation.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Notifier, StaffTarget } from '../../src/core/notifier.js';
import { ComplaintAccess, type Viewer } from '../../src/domain/complaints/access.js';
import { ComplaintNotifications } from '../../src/domain/complaints/notifications.js';
import { ComplaintService, type ComplaintSubmission } from '../../src/domain/complaints/service.js';
import { TicketActions } from '../../src/domain/complaints/ticket-actions.js';
import { WorkingDayCalendar } from '../../src/domain/complaints/working-days.js';
import { MemoryComplaintMediaStore, MemoryComplaintStore } from '../support/memory-complaint-store.js';
import { MemoryKeyedLock } from '../support/memory-keyed-lock.js';

const TZ = 'Asia/Jakarta';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STAFF_GROUP: StaffTarget = { channel: 'telegram', chatId: '-1001' };
const SENIOR: StaffTarget = { channel: 'telegram', chatId: '777' };
const HEAD: StaffTarget = { channel: 'telegram', chatId: '999' };

/** A notifier that records what the complaint services send. */
class RecordingNotifier implements Pick<Notifier, 'staffTargets' | 'toStaff' | 'toContact'> {
  readonly staffTargets = [STAFF_GROUP];
  readonly toStaffSent: Array<{ key: string; chats: string[]; text: string }> = [];
  readonly toReporterSent: Array<{ userKey: string; key: string; text: string }> = [];
  /** Staff alerts to fail before the next one goes out. */
  failStaff = 0;

  async toStaff(...[replies, key, targets = this.staffTargets]: Parameters<Notifier['toStaff']>): Promise<number> {
    if (this.failStaff > 0) {
      this.failStaff--;
      throw new Error('outbox unavailable');
    }
    this.toStaffSent.push({ key, chats: targets.map((t) => t.chatId), text: replies.map((r) => (r.kind === 'text' ? r.text : '')).join('\n') });
    return targets.length;
  }

  async toContact(...[, userKey, replies, opts]: Parameters<Notifier['toContact']>): ReturnType<Notifier['toContact']> {
    this.toReporterSent.push({ userKey, key: opts.key, text: replies.map((r) => (r.kind === 'text' ? r.text : '')).join('\n') });
    return 'queued';
  }
}

const resident = (userKey: string, extra: Partial<Viewer> = {}): Viewer & { lang: 'id' } => ({ channel: 'telegram', userKey, chatId: userKey, isStaff: false, name: 'Budi Santoso', phone: '6281234567890', lang: 'id', ...extra });
const staff: Viewer = { channel: 'telegram', userKey: '-1001:501', chatId: '-1001', isStaff: true, name: 'Bu Sari' };
const senior: Viewer = { channel: 'telegram', userKey: '777', chatId: '777', isStaff: true, name: 'Pak Kasi' };

const draft = (description: string, extra: Partial<ComplaintSubmission> = {}): ComplaintSubmission => ({
  category: 'jalan',
  kelurahan: 'bendan-duwur',
  place: { address: 'Jl. Sampangan Baru 12' },
  description,
  photos: [],
  identity: 'named',
  ...extra,
});

/** The services on the in-memory port, Monday 30 November 2026, 09:00 WIB. */
function setup() {
  let now = new Date('2026-11-30T02:00:00Z');
  const store = new MemoryComplaintStore();
  const media = new MemoryComplaintMediaStore();
  const notifier = new RecordingNotifier();
  const logger = pino({ level: 'silent' });
  const access = new ComplaintAccess([SENIOR]);
  const notifications = new ComplaintNotifications(notifier, media, { statusTemplate: 'status_update', templateLanguage: 'id', seniorStaff: [SENIOR], headOfOffice: [HEAD], tz: TZ }, logger);
  const lock = new MemoryKeyedLock();
  const service = new ComplaintService({
    store,
    media,
    notifications,
    access,
    lock,
    calendar: new WorkingDayCalendar([], TZ),
    settings: { dailyLimit: 3, responseWorkingDays: 2, resolutionWorkingDays: 10, tz: TZ },
    logger,
  });
  const actions = new TicketActions({
    store,
    lock,
    access,
    notifications,
    media,
    targets: (at) => service.targets(at),
    settings: { contestDays: 7, agencies: [{ id: 'dpu', name: 'Dinas Pekerjaan Umum Kota Semarang' }] },
    logger,
  });
  const clock = { now: () => now, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
  /** Files a complaint and returns its ticket number. */
  const file = async (who: Viewer & { lang: 'id' }, description: string, key: string, extra: Partial<ComplaintSubmission> = {}) => {
    const r = await service.submit(draft(description, extra), who, key, clock.now());
    if (r.kind !== 'created') throw new Error(`not filed: ${r.kind}`);
    return r.complaint.ticketNo;
  };
  return { store, media, notifier, service, actions, clock, file };
}

describe('Filing a complaint', () => {
  it('gives a new ticket number, working-day targets, keeps the photos and alerts staff', async () => {
    const { service, store, media, notifier, clock } = setup();
    const photo = await media.save(Buffer.from('jpeg bytes'), 'image/jpeg', { key: 'telegram:10', channel: 'telegram', userKey: '42', uploadedAt: clock.now() });
    const r = await service.submit(draft('Jalan berlubang di depan SD.', { photos: [{ ...photo, mimeType: 'image/jpeg' }] }), resident('42'), 'telegram:11', clock.now());
    expect(r.kind).toBe('created');
    if (r.kind !== 'created') return;
    expect(r.complaint).toMatchObject({ ticketNo: 'GJM-2026-00001', status: 'baru', reporter: { name: 'Budi Santoso', phone: '6281234567890' } });
    // Two working days after Monday: until the end of Wednesday, WIB.
    expect(r.complaint.responseDueAt.toISOString()).toBe('2026-12-02T17:00:00.000Z');
    expect(media.files.get(photo.fileId)?.meta.attached).toBe(true);
    expect(notifier.toStaffSent.map((s) => s.key)).toEqual(['complaint:GJM-2026-00001:new']);
    expect((await store.byTicketNo('GJM-2026-00001'))?.staffAlertedAt).toEqual(clock.now());
  });

  it('returns the ticket already saved when the same message is retried, without a second number', async () => {
    const { service, store, clock } = setup();
    const first = await service.submit(draft('Lampu jalan mati.'), resident('42'), 'telegram:20', clock.now());
    const again = await service.submit(draft('Lampu jalan mati.'), resident('42'), 'telegram:20', clock.now());
    expect(again).toMatchObject({ kind: 'created', complaint: { ticketNo: first.kind === 'created' ? first.complaint.ticketNo : '' } });
    expect(await store.count({})).toBe(1);
  });

  it('treats the same text from the same person within ten minutes as the same complaint', async () => {
    const { service, clock } = setup();
    await service.submit(draft('Sampah menumpuk di pasar.'), resident('42'), 'telegram:30', clock.now());
    clock.advance(5 * 60_000);
    expect((await service.submit(draft('sampah  menumpuk di PASAR'), resident('42'), 'telegram:31', clock.now())).kind).toBe('duplicate');
    expect((await service.submit(draft('Sampah menumpuk di pasar.'), resident('43'), 'telegram:32', clock.now())).kind).toBe('created');
    clock.advance(10 * 60_000);
    expect((await service.submit(draft('Sampah menumpuk di pasar.'), resident('42'), 'telegram:33', clock.now())).kind).toBe('created');
  });

  it('refuses a fourth complaint from one person on one day, and takes it the next day', async () => {
    const { service, clock, file } = setup();
    for (const n of [1, 2, 3]) await file(resident('42'), `Keluhan nomor ${n}.`, `telegram:4${n}`);
    expect(await service.submit(draft('Keluhan nomor 4.'), resident('42'), 'telegram:44', clock.now())).toEqual({ kind: 'limit', limit: 3 });
    clock.advance(DAY);
    expect((await service.submit(draft('Keluhan nomor 4.'), resident('42'), 'telegram:45', clock.now())).kind).toBe('created');
  });

  it('keeps neither the name nor the number of an anonymous reporter', async () => {
    const { store, file } = setup();
    const no = await file(resident('42'), 'Ada pungutan liar di loket.', 'telegram:50', { identity: 'anonim' });
    const c = await store.byTicketNo(no);
    expect(c?.reporter).toEqual({ channel: 'telegram', userKey: '42', chatId: '42', lang: 'id' });
  });

  it('retries a staff alert that failed, once the job runs a minute later', async () => {
    const { service, notifier, store, clock, file } = setup();
    notifier.failStaff = 1;
    const no = await file(resident('42'), 'Drainase mampet.', 'telegram:60');
    expect((await store.byTicketNo(no))?.staffAlertedAt).toBeNull();
    clock.advance(2 * 60_000);
    expect(await service.retryStaffAlerts(clock.now())).toBe(1);
    expect(notifier.toStaffSent.map((s) => s.key)).toEqual([`complaint:${no}:new`]);
    expect(await service.retryStaffAlerts(clock.now())).toBe(0);
  });
});

describe('Staff handling a ticket', () => {
  it('moves it along the allowed statuses, tells the reporter, and records each action once', async () => {
    const { service, notifier, file, clock } = setup();
    const no = await file(resident('42'), 'Jalan rusak parah.', 'telegram:70');
    const accepted = await service.changeStatus(no, 'diterima', staff, undefined, 'act-1', clock.now());
    expect(accepted).toMatchObject({ kind: 'changed', complaint: { status: 'diterima' }, reporter: 'queued' });
    const retried = await service.changeStatus(no, 'diterima', staff, undefined, 'act-1', clock.now());
    expect(retried.kind === 'changed' && retried.complaint.history.map((h) => h.status)).toEqual(['baru', 'diterima']);
    expect(notifier.toReporterSent.filter((m) => m.userKey === '42')).toHaveLength(2);
    await service.changeStatus(no, 'selesai', staff, 'Sudah ditambal.', 'act-2', clock.now());
    expect(await service.changeStatus(no, 'diproses', staff, undefined, 'act-3', clock.now())).toEqual({ kind: 'not-allowed', current: 'selesai' });
  });

  it('does not let a resident act as staff, nor general staff handle a confidential ticket', async () => {
    const { service, file, clock } = setup();
    const no = await file(resident('42'), 'Laporan rahasia tentang petugas.', 'telegram:80', { identity: 'rahasia' });
    expect(await service.changeStatus(no, 'diterima', resident('43'), undefined, 'act-1', clock.now())).toEqual({ kind: 'not-found' });
    expect(await service.changeStatus(no, 'diterima', staff, undefined, 'act-2', clock.now())).toEqual({ kind: 'not-found' });
    expect(await service.findVisible(no, staff)).toBeNull();
    expect((await service.changeStatus(no, 'diterima', senior, undefined, 'act-3', clock.now())).kind).toBe('changed');
    expect((await service.findVisible(no, resident('42')))?.ticketNo).toBe(no);
  });

  it('keeps a thread both ways: a staff reply reaches the reporter, an internal note does not', async () => {
    const { service, actions, notifier, store, file, clock } = setup();
    const no = await file(resident('42'), 'Selokan meluap.', 'telegram:90');
    expect((await service.messageReporter(no, staff, 'Petugas datang besok pagi.', 'msg-1', clock.now())).kind).toBe('sent');
    await actions.staffNote(no, staff, 'Koordinasi dengan RT 04.', 'note-1', clock.now());
    const added = await actions.reporterMessage(no, resident('42'), { text: 'Terima kasih.' }, 'telegram:91', clock.now());
    expect(added).toMatchObject({ kind: 'added', staff: 1 });
    await actions.reporterMessage(no, resident('42'), { text: 'Terima kasih.' }, 'telegram:91', clock.now());
    const c = await store.byTicketNo(no);
    expect(c?.thread.map((t) => [t.from, t.kind, t.text])).toEqual([
      ['staff', 'message', 'Petugas datang besok pagi.'],
      ['staff', 'note', 'Koordinasi dengan RT 04.'],
      ['reporter', 'message', 'Terima kasih.'],
    ]);
    expect(notifier.toReporterSent.map((m) => m.text).join('\n')).not.toContain('Koordinasi');
  });

  it('pauses the resolution target while the ticket is with an agency, and moves it by the paused time', async () => {
    const { actions, service, file, clock } = setup();
    const no = await file(resident('42'), 'Pipa PDAM bocor.', 'telegram:100');
    const before = (await service.findVisible(no, staff))!.resolutionDueAt.getTime();
    const fwd = await actions.forward(no, staff, { agencyId: 'dpu', agencyRef: 'DPU/2026/123' }, 'fwd-1', clock.now());
    expect(fwd).toMatchObject({ kind: 'forwarded', complaint: { status: 'diteruskan', forward: { agencyId: 'dpu', agencyRef: 'DPU/2026/123' } } });
    clock.advance(3 * DAY);
    const back = await actions.agencyAnswer(no, staff, 'Akan diperbaiki pekan ini.', 'diproses', 'ans-1', clock.now());
    expect(back.kind === 'recorded' && back.complaint.resolutionDueAt.getTime() - before).toBe(3 * DAY);
    expect(back.kind === 'recorded' && back.complaint.forward?.answer?.text).toBe('Akan diperbaiki pekan ini.');
    expect(await actions.forward(no, staff, { agencyId: 'tidak-ada' }, 'fwd-2', clock.now())).toEqual({ kind: 'unknown-agency' });
  });

  it('alerts the head of office once about a ticket past its response target', async () => {
    const { service, notifier, file, clock } = setup();
    const no = await file(resident('42'), 'Lampu jalan mati sepekan.', 'telegram:110');
    expect(await service.escalateOverdue(clock.now())).toBe(0);
    clock.advance(3 * DAY);
    expect(await service.escalateOverdue(clock.now())).toBe(1);
    expect(await service.escalateOverdue(clock.now())).toBe(0);
    expect(notifier.toStaffSent.filter((s) => s.key === `complaint:${no}:escalate:response`).map((s) => s.chats)).toEqual([[HEAD.chatId]]);
  });
});

describe('The reporter\'s own actions', () => {
  it('withdraws a ticket staff have not accepted yet, but not one already accepted', async () => {
    const { actions, service, file, clock } = setup();
    const no = await file(resident('42'), 'Salah kirim laporan.', 'telegram:120');
    expect(await actions.withdraw(no, resident('43'), 'w-0', clock.now())).toEqual({ kind: 'not-found' });
    expect(await actions.withdraw(no, resident('42'), 'w-1', clock.now())).toMatchObject({ kind: 'withdrawn', complaint: { status: 'dicabut' } });
    const other = await file(resident('42'), 'Trotoar rusak.', 'telegram:121');
    await service.changeStatus(other, 'diterima', staff, undefined, 'act-1', clock.now());
    expect(await actions.withdraw(other, resident('42'), 'w-2', clock.now())).toEqual({ kind: 'too-late', current: 'diterima' });
  });

  it('rates a finished ticket once, and comments on the rating once', async () => {
    const { service, file, clock } = setup();
    const no = await file(resident('42'), 'Sampah belum diangkut.', 'telegram:130');
    expect(await service.rate(no, resident('42'), 5, clock.now())).toEqual({ kind: 'not-finished' });
    await service.changeStatus(no, 'selesai', staff, undefined, 'act-1', clock.now());
    expect(await service.rate(no, resident('43'), 5, clock.now())).toEqual({ kind: 'not-found' });
    expect(await service.rate(no, resident('42'), 4.7, clock.now())).toMatchObject({ kind: 'rated', complaint: { rating: { score: 4 } } });
    expect(await service.rate(no, resident('42'), 1, clock.now())).toEqual({ kind: 'already-rated' });
    expect(await service.comment(no, resident('42'), 'Cepat ditangani.')).toBe(true);
    expect(await service.comment(no, resident('42'), 'Lagi.')).toBe(false);
  });

  it('reopens a "selesai" within the contest window: targets restart, the rating moves to the thread, twice goes to the head', async () => {
    const { service, actions, notifier, file, clock } = setup();
    const no = await file(resident('42'), 'Got tersumbat lagi.', 'telegram:140');
    await service.changeStatus(no, 'selesai', staff, undefined, 'act-1', clock.now());
    await service.rate(no, resident('42'), 2, clock.now());
    clock.advance(2 * DAY);
    const first = await actions.contest(no, resident('42'), 'Masih tersumbat.', 'c-1', clock.now());
    expect(first).toMatchObject({ kind: 'reopened', toHead: false, complaint: { status: 'dibuka-kembali', reopenCount: 1 } });
    if (first.kind !== 'reopened') return;
    expect(first.complaint.rating).toBeUndefined();
    expect(first.complaint.thread.at(-1)?.text).toBe('Penilaian sebelum dibuka kembali: 2/5');
    expect(first.complaint.responseDueAt.getTime()).toBe(service.targets(clock.now()).responseDueAt.getTime());
    expect(notifier.toStaffSent.some((s) => s.key === `complaint:${no}:reopened:c-1`)).toBe(true);
    await service.changeStatus(no, 'selesai', staff, undefined, 'act-2', clock.now());
    expect(await actions.contest(no, resident('42'), 'Belum juga.', 'c-2', clock.now())).toMatchObject({ kind: 'reopened', toHead: true });
    await service.changeStatus(no, 'selesai', staff, undefined, 'act-3', clock.now());
    clock.advance(8 * DAY);
    expect(await actions.contest(no, resident('42'), 'Terlambat.', 'c-3', clock.now())).toEqual({ kind: 'too-late', days: 7 });
  });

  it('lists the reporter\'s open tickets and those still contestable, newest first', async () => {
    const { service, actions, file, clock } = setup();
    const a = await file(resident('42'), 'Laporan pertama.', 'telegram:150');
    clock.advance(HOUR);
    const b = await file(resident('42'), 'Laporan kedua.', 'telegram:151');
    await service.changeStatus(a, 'selesai', staff, undefined, 'act-1', clock.now());
    expect((await actions.openTicketsOf(resident('42'))).map((c) => c.ticketNo)).toEqual([b]);
    expect((await actions.contestableOf(resident('42'), clock.now())).map((c) => c.ticketNo)).toEqual([a]);
    expect((await service.recentOf(resident('42'))).map((c) => c.ticketNo)).toEqual([b, a]);
  });
});
