/**
 * The FAQ service over its storage port (in memory here; the same port on FerretDB is covered by
 * test/e2e/faq.test.ts): seeding keeps staff edits, forwarding is idempotent, answers are once.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FaqEditError, FaqService, ForwardedQuestionNotFoundError } from '../../src/domain/faq/service.js';
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
  return { store, svc, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
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
});
