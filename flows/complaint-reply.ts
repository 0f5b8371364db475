/**
 * The reporter answers a staff message ("Balas pelapor"). Not in the menu: the engine starts it
 * when the reporter types a reply while the staff message is the last thing they received
 * (context first, see `src/core/pushed-prompts.ts`).
 *
 *   answer ─► added to the ticket's thread and passed on to its staff (done)
 */
import type { Flow } from '../src/core/flow.js';
import type { Lang, Reply } from '../src/core/messages.js';
import type { TicketActions } from '../src/domain/complaints/ticket-actions.js';
import { charLength, cleanText, findTicket } from '../src/domain/complaints/text.js';
import { isCourtesy } from '../src/domain/understanding/slots/index.js';
import type { AppServices } from '../src/services.js';
import { fill } from '../src/core/texts.js';

export const ANSWER_MAX = 1000;

const T = {
  sent: { id: 'Terima kasih, jawaban Anda untuk {ticket} sudah diteruskan ke petugas. 🙏', en: 'Thank you, your answer about {ticket} has been passed on to staff. 🙏' },
  notFound: { id: 'Pengaduan {ticket} tidak ditemukan.', en: 'Complaint {ticket} was not found.' },
  noStaff: {
    id: 'Maaf, jawaban Anda belum bisa diteruskan karena petugas belum terhubung. Silakan hubungi Kantor Kecamatan Gajahmungkur langsung.',
    en: 'Sorry, your answer could not be passed on because no staff are connected. Please contact the Gajahmungkur sub-district office directly.',
  },
  tooLong: { id: 'Jawabannya terlalu panjang ({length} karakter). Maksimal {max} karakter; mohon ringkas lalu kirim lagi.', en: 'The answer is too long ({length} characters). At most {max}; please shorten it and send it again.' },
  closed: { id: 'Pengaduan {ticket} sudah ditutup, jadi jawaban tidak bisa ditambahkan. Jika masalahnya belum selesai, ketik "belum selesai"; atau "lapor" untuk laporan baru.', en: 'Complaint {ticket} is closed, so the answer cannot be added. If the problem is not solved, type "not resolved"; or "lapor" for a new report.' },
  needText: { id: 'Mohon tulis jawaban Anda untuk petugas sebagai teks.', en: 'Please type your answer for staff.' },
} as const satisfies Record<string, Record<Lang, string>>;

const text = (lang: Lang, key: keyof typeof T, vars: Record<string, string | number> = {}): Reply => ({ kind: 'text', text: fill(T[key][lang], vars) });

export function complaintReplyFlow(deps: { actions: TicketActions }): Flow<AppServices> {
  const { actions } = deps;
  return {
    name: 'complaint-reply',
    title: { id: 'Jawaban untuk petugas', en: 'Answer to staff' },
    start: 'answer',
    steps: {
      answer: {
        prompt: (ctx) => [text(ctx.lang, 'needText')],
        // A greeting or a bare "makasih" is not an answer; "cek GJM-…" is a status question.
        accepts: (_ctx, input) => input.kind === 'text' && !isCourtesy(input.text) && !/^\s*\/?cek\b/i.test(input.text) && charLength(cleanText(input.text)) >= 1,
        async handle(ctx, input) {
          const ticket = findTicket(String(ctx.data['ticket'] ?? ''));
          if (!ticket) return { kind: 'done', say: [text(ctx.lang, 'notFound', { ticket: '-' })] };
          if (input.kind !== 'text') return { kind: 'stay', say: [text(ctx.lang, 'needText')] };
          const answer = cleanText(input.text);
          const len = charLength(answer);
          if (len === 0) return { kind: 'stay', say: [text(ctx.lang, 'needText')] };
          if (len > ANSWER_MAX) return { kind: 'stay', say: [text(ctx.lang, 'tooLong', { length: len, max: ANSWER_MAX })] };
          const r = await actions.reporterMessage(ticket, ctx.contact, { text: answer }, ctx.idempotencyKey, ctx.now);
          if (r.kind === 'not-found') return { kind: 'done', say: [text(ctx.lang, 'notFound', { ticket })] };
          if (r.kind === 'closed') return { kind: 'done', say: [text(ctx.lang, 'closed', { ticket })] };
          if (r.staff === 0) return { kind: 'done', say: [text(ctx.lang, 'noStaff')] };
          return { kind: 'done', say: [text(ctx.lang, 'sent', { ticket })] };
        },
      },
    },
  };
}
