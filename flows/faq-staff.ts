/**
 * Staff side of the FAQ: answer a question the bot forwarded, see what the bot could not answer,
 * and correct or add knowledge-base entries without a deploy.
 *
 *   staff: [Jawab] on a forwarded question → "Ketik jawaban…" → the resident receives it
 *   staff: /faq → [Tak terjawab] [Ubah jawaban] [Tambah entri]
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { InboundContent } from '../src/core/messages.js';
import { FaqEditError, ForwardedQuestionNotFoundError, type FaqService } from '../src/domain/faq/service.js';
import type { AppServices } from '../src/services.js';

const staffName = (ctx: StepContext<AppServices>) => `${ctx.contact.channel}:${ctx.contact.name ?? ctx.contact.userKey}`;
const text = (t: string) => ({ kind: 'text' as const, text: t });
const typed = (input: InboundContent, min: number): string | null =>
  input.kind === 'text' && input.text.trim().length >= min ? input.text.trim() : null;

export function createFaqStaffFlow(faq: FaqService): Flow<AppServices> {
  const adminMenu = () => [
    {
      kind: 'text' as const,
      text: 'Kelola tanya-jawab ASN. Pilih:',
      choices: [
        { id: 'faqstaff:list', title: 'Tak terjawab' },
        { id: 'faqstaff:edit', title: 'Ubah jawaban' },
        { id: 'faqstaff:add', title: 'Tambah entri' },
      ],
    },
  ];

  const start = async (ctx: StepContext<AppServices>, input: InboundContent): Promise<StepOutcome> => {
    if (input.kind === 'choice' && input.id.startsWith('faqstaff:ans:')) {
      const id = input.id.slice('faqstaff:ans:'.length);
      const q = await faq.forwarded(id);
      if (!q) return { kind: 'done', say: [text('Pertanyaan itu tidak ditemukan.')] };
      if (q.status === 'answered') return { kind: 'done', say: [text(`Pertanyaan ini sudah dijawab oleh ${q.answeredBy ?? 'petugas'}.`)] };
      return { kind: 'next', step: 'answer', data: { questionId: id, question: q.text } };
    }
    if (input.kind === 'choice' && input.id === 'faqstaff:list') {
      const rows = await faq.topUnanswered(10);
      const body = rows.length
        ? rows.map((r, i) => `${i + 1}. (${r.count}×) ${r.example}`).join('\n')
        : 'Belum ada pertanyaan yang tidak terjawab.';
      return { kind: 'done', say: [text(`Pertanyaan yang belum bisa dijawab bot (terbanyak dulu):\n\n${body}`)] };
    }
    if (input.kind === 'choice' && input.id === 'faqstaff:edit') return { kind: 'next', step: 'editId' };
    if (input.kind === 'choice' && input.id === 'faqstaff:add') return { kind: 'next', step: 'addQuestion' };
    return { kind: 'stay', say: adminMenu() };
  };

  return {
    name: 'faqstaff',
    intents: ['staff.faq'],
    feedIntent: false,
    title: { id: 'Kelola tanya-jawab ASN', en: 'Manage ASN Q&A' },
    start: 'start',
    staffOnly: true,
    commands: ['faq'],
    steps: {
      start: { prompt: adminMenu, handle: start },
      answer: {
        prompt: (ctx) => [text(`Ketik jawaban untuk pertanyaan warga:\n\n"${String(ctx.data['question'])}"`)],
        async handle(ctx, input) {
          const answer = typed(input, 5);
          if (!answer) return { kind: 'stay', say: [text('Jawaban minimal 5 karakter. Silakan ketik jawabannya.')] };
          const id = String(ctx.data['questionId']);
          let q;
          try {
            q = await faq.answer(id, answer, staffName(ctx));
          } catch (err) {
            if (err instanceof ForwardedQuestionNotFoundError) return { kind: 'done', say: [text('Pertanyaan ini sudah dijawab petugas lain.')] };
            throw err;
          }
          const intro = q.lang === 'en' ? `Answer from the Gajahmungkur sub-district staff to your question "${q.text}":` : `Jawaban petugas Kecamatan Gajahmungkur atas pertanyaan Anda "${q.text}":`;
          const outcome = await ctx.services.notifier.toContact(q.channel as 'telegram' | 'whatsapp' | 'cli', q.userKey, [text(`${intro}\n\n${answer}`)], { key: `faq-answer:${id}` });
          const said =
            outcome === 'queued'
              ? 'Terima kasih, jawaban sudah dikirim ke warga.'
              : outcome === 'outside-window'
                ? 'Jawaban tersimpan, tetapi warga sudah lebih dari 24 jam tidak menulis di WhatsApp sehingga pesan bebas tidak bisa dikirim. Jawaban akan terlihat saat warga menghubungi lagi; mohon hubungi warga lewat kanal lain bila mendesak.'
                : 'Jawaban tersimpan, tetapi warga tidak bisa dihubungi lewat bot (memblokir bot atau kontak tidak dikenal).';
          return { kind: 'done', say: [text(said)] };
        },
      },
      editId: {
        prompt: () => [text('Ketik id entri yang ingin diubah (contoh: cpns-usia).')],
        handle(_ctx, input) {
          const id = typed(input, 3);
          if (!id || !faq.entry(id)) return { kind: 'stay', say: [text('Entri dengan id itu tidak ada. Ketik id yang benar, atau "batal".')] };
          return { kind: 'next', step: 'editAnswer', data: { entryId: id } };
        },
      },
      editAnswer: {
        prompt: (ctx) => {
          const e = faq.entry(String(ctx.data['entryId']));
          return [text(`Jawaban sekarang:\n\n${e?.answer.id ?? ''}\n\nKetik jawaban baru (Bahasa Indonesia, maksimal 1.000 karakter).`)];
        },
        async handle(ctx, input) {
          const answer = typed(input, 10);
          if (!answer) return { kind: 'stay', say: [text('Jawaban minimal 10 karakter.')] };
          try {
            await faq.editAnswer(String(ctx.data['entryId']), 'id', answer, staffName(ctx));
          } catch (err) {
            if (err instanceof FaqEditError) return { kind: 'stay', say: [text(`Belum bisa disimpan: ${err.message}.`)] };
            throw err;
          }
          return { kind: 'done', say: [text('Tersimpan. Jawaban baru langsung dipakai bot dan tetap ada setelah restart.')] };
        },
      },
      addQuestion: {
        prompt: () => [text('Ketik pertanyaan yang ingin ditambahkan (seperti warga menanyakannya).')],
        handle(ctx, input) {
          const q = typed(input, 8);
          if (!q) return { kind: 'stay', say: [text('Pertanyaan minimal 8 karakter.')] };
          return { kind: 'next', step: 'addAnswer', data: { ...ctx.data, question: q } };
        },
      },
      addAnswer: {
        prompt: () => [text('Ketik jawabannya (maksimal 1.000 karakter).')],
        handle(ctx, input) {
          const a = typed(input, 10);
          if (!a || a.length > 1000) return { kind: 'stay', say: [text('Jawaban 10–1.000 karakter.')] };
          return { kind: 'next', step: 'addSource', data: { ...ctx.data, answer: a } };
        },
      },
      addSource: {
        prompt: () => [text('Sebutkan sumbernya (peraturan atau pengumuman resmi).')],
        async handle(ctx, input) {
          const source = typed(input, 5);
          if (!source) return { kind: 'stay', say: [text('Sumber wajib diisi (minimal 5 karakter).')] };
          const id = await faq.addEntry({ question: String(ctx.data['question']), answer: String(ctx.data['answer']), source, staff: staffName(ctx) });
          return { kind: 'done', say: [text(`Entri baru tersimpan dengan id ${id}.`)] };
        },
      },
    },
  };
}
