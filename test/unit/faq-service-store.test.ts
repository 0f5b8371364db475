/**
 * The FAQ service, the staff's curation and the dashboard's read model over the FAQ storage port
 * (in memory here; the same port on FerretDB is covered by test/e2e/faq.test.ts and
 * test/e2e/console-questions.test.ts): seeding keeps staff edits, forwarding is idempotent,
 * answers are once, an unanswered question is turned into knowledge once.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FaqCuration } from '../../src/domain/faq/curation.js';
import { FaqEditError, FaqService, ForwardedQuestionNotFoundError } from '../../src/domain/faq/service.js';
import { faqStats } from '../../src/domain/faq/stats.js';
import type { FaqEntry } from '../../src/domain/faq/types.js';
import { MemoryFaqStore } from '../support/memory-faq-store.js';

const entry = (id: string, answer: string): FaqEntry => ({
  id,
  topic: id,
  track: 'cpns',
  title: { id: `Judul ${id}`, en: `Title ${id}` },
  questions: { id: [`berapa batas usia pendaftar cpns ${id}`], en: [`what is the age limit ${id}`] },
  answer: { id: answer, en: `${answer} (en)` },
  source: 'PermenPANRB',
  appliesTo: { id: 'seleksi 2026', en: 'selection 2026' },
  year: 2026,
});

function service(store = new MemoryFaqStore(), at = new Date('2026-11-30T00:00:00Z')) {
  let now = at;
  const svc = new FaqService(store, pino({ level: 'silent' }), () => now);
  return { store, svc, clock: () => now, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('FAQ service on its storage port', () => {
  it('seeds entries, then leaves an entry staff edited alone on the next seed', async () => {
    const { svc, advance } = service();
    expect(await svc.seed([entry('usia', 'Batas usia 35 tahun.'), entry('ijazah', 'Ijazah sesuai formasi.')])).toEqual({ upserted: 2, keptStaffEdits: 0 });
    await svc.reload();
    advance(1000);
    await svc.editAnswer('usia', 'id', 'Batas usia 35 tahun pada 1 Agustus.', 'Bu Sari');
    expect(await svc.seed([entry('usia', 'Batas usia 35 tahun.'), entry('ijazah', 'Ijazah sesuai formasi.')])).toEqual({ upserted: 0, keptStaffEdits: 1 });
    expect(svc.entry('usia')?.answer.id).toBe('Batas usia 35 tahun pada 1 Agustus.');
  });

  it('refuses an edit of an entry that does not exist, and one too short', async () => {
    const { svc } = service();
    await svc.seed([entry('usia', 'Batas usia 35 tahun.')]);
    await svc.reload();
    await expect(svc.editAnswer('tidak-ada', 'id', 'Jawaban yang cukup panjang.', 'Bu Sari')).rejects.toBeInstanceOf(FaqEditError);
    await expect(svc.editAnswer('usia', 'id', 'pendek', 'Bu Sari')).rejects.toBeInstanceOf(FaqEditError);
  });

  it('sees a change made by another instance and rebuilds its index', async () => {
    const store = new MemoryFaqStore();
    const a = service(store);
    const b = service(store);
    await a.svc.seed([entry('usia', 'Batas usia 35 tahun.')]);
    await a.svc.reload();
    await b.svc.reload();
    a.advance(1000);
    const id = await a.svc.addEntry({ question: 'Apakah ada tes kesehatan?', answer: 'Ya, pada tahap akhir seleksi.', source: 'BKN', staff: 'Bu Sari' });
    expect(b.svc.entry(id)).toBeUndefined();
    b.advance(2000);
    expect(await b.svc.refreshIfChanged()).toBe(true);
    expect(b.svc.entry(id)?.answer.id).toBe('Ya, pada tahap akhir seleksi.');
    expect(await b.svc.refreshIfChanged()).toBe(false);
  });

  it('forwards a question once per inbound message and takes one answer', async () => {
    const { svc } = service();
    const q = { channel: 'telegram', userKey: '42', text: 'Kapan pengumuman?', lang: 'id' as const, requestKey: 'telegram:1001' };
    const first = await svc.forward(q);
    const again = await svc.forward(q);
    expect(again._id).toBe(first._id);
    expect((await svc.answer(first._id, 'Pengumuman bulan depan.', 'Pak Budi')).status).toBe('answered');
    await expect(svc.answer(first._id, 'Lagi.', 'Pak Budi')).rejects.toBeInstanceOf(ForwardedQuestionNotFoundError);
    await expect(svc.answer('bukan-id', 'x', 'Pak Budi')).rejects.toBeInstanceOf(ForwardedQuestionNotFoundError);
  });

  it('counts unanswered questions by their normalised text, most asked first', async () => {
    const { svc } = service();
    await svc.recordUnanswered('Kapan  pengumuman?');
    await svc.recordUnanswered('kapan pengumuman');
    await svc.recordUnanswered('Berapa gaji PPPK?');
    const top = await svc.topUnanswered(10);
    expect(top.map((u) => u.count)).toEqual([2, 1]);
    expect(top[0]!.example).toBe('Kapan  pengumuman?');
  });

  it('counts a typed question once per inbound message and forgets counts older than the retention', async () => {
    const { svc, store } = service();
    await svc.recordAsked('telegram:1', 'answered');
    await svc.recordAsked('telegram:1', 'answered');
    await svc.recordAsked('telegram:2', 'unanswered');
    expect(store.askedById.size).toBe(2);
    expect(await svc.pruneAsked(new Date('2026-12-01T00:00:00Z'))).toBe(0);
    expect(await svc.pruneAsked(new Date('2028-02-01T00:00:00Z'))).toBe(2);
  });

  it('lets staff edit an entry through curation, and the bot answers with the edit at once', async () => {
    const { svc, store, clock } = service();
    await svc.seed([entry('usia', 'Batas usia 35 tahun.')]);
    await svc.reload();
    const curation = new FaqCuration(store, svc, clock);
    const { before, after } = await curation.editEntry('usia', { answerEn: 'The age limit is 35 years.', source: 'PermenPANRB 2026', year: 2027 }, 'Bu Sari');
    expect(before.answer.en).toBe('Batas usia 35 tahun. (en)');
    expect(after).toMatchObject({ answer: { id: 'Batas usia 35 tahun.', en: 'The age limit is 35 years.' }, source: 'PermenPANRB 2026', year: 2027, editedByStaff: true, editedBy: 'Bu Sari' });
    expect(svc.entry('usia')?.answer.en).toBe('The age limit is 35 years.');
    await expect(curation.editEntry('usia', { year: 1999 }, 'Bu Sari')).rejects.toBeInstanceOf(FaqEditError);
  });

  it('turns an unanswered question into a phrasing once; a second staff member is told it is already done', async () => {
    const { svc, store, clock } = service();
    await svc.seed([entry('usia', 'Batas usia 35 tahun.')]);
    await svc.reload();
    await svc.recordUnanswered('umur maksimal daftar asn');
    const curation = new FaqCuration(store, svc, clock);
    const [row] = await curation.unanswered();
    const first = await curation.resolve(row!.key, { kind: 'phrasing', entryId: 'usia' }, 'Bu Sari');
    const second = await curation.resolve(row!.key, { kind: 'entry', answer: 'Jawaban lain yang cukup panjang.', source: 'BKN' }, 'Pak Budi');
    expect(first.kind).toBe('resolved');
    expect(second).toMatchObject({ kind: 'already', resolution: { by: 'Bu Sari', kind: 'phrasing' } });
    expect((await store.entry('usia'))?.questions.id).toContain('umur maksimal daftar asn');
    expect((await curation.unanswered())[0]?.resolution?.entryId).toBe('usia');
  });

  it('gives the dashboard questions per week by outcome, open unanswered groups and forwarded counts', async () => {
    const { svc, store, advance, clock } = service(new MemoryFaqStore(), new Date('2026-11-23T10:00:00Z'));
    await svc.recordAsked('m1', 'answered');
    advance(7 * 86_400_000);
    await svc.recordAsked('m2', 'unanswered');
    await svc.recordAsked('m3', 'answered');
    await svc.recordUnanswered('kapan pengumuman');
    await svc.recordUnanswered('kapan pengumuman');
    const f = await svc.forward({ channel: 'telegram', userKey: '42', text: 'Kapan?', lang: 'id', requestKey: 'telegram:9' });
    await svc.answer(f._id, 'Bulan depan.', 'Pak Budi');
    await svc.forward({ channel: 'telegram', userKey: '43', text: 'Di mana?', lang: 'id', requestKey: 'telegram:10' });
    const weekOf = (d: Date) => (d < new Date('2026-11-30T00:00:00Z') ? '2026-11-23' : '2026-11-30');
    const stats = await faqStats(store, { from: new Date('2026-11-23T00:00:00Z'), to: new Date(clock().getTime() + 86_400_000), weeks: ['2026-11-23', '2026-11-30'], weekOf });
    expect(stats.asked).toEqual({ '2026-11-23': { answered: 1, ambiguous: 0, unanswered: 0 }, '2026-11-30': { answered: 1, ambiguous: 0, unanswered: 1 } });
    expect(stats).toMatchObject({ unansweredOpenGroups: 1, unansweredOpenAsks: 2, forwardedOpen: 1, forwardedAnswered: 1 });
  });
});
