/**
 * After "selesai": the reporter rates the handling (1–5) and may add a comment. Started by the
 * rating buttons sent with the status update or shown when checking a finished ticket, or by a
 * typed rating ("5", "bintang 4") right after the rating request (context first: the request is
 * a pushed prompt whose data holds the ticket).
 */
import type { Flow } from '../src/core/flow.js';
import type { Lang, Reply } from '../src/core/messages.js';
import type { ComplaintService } from '../src/domain/complaints/service.js';
import { charLength, cleanText, findTicket } from '../src/domain/complaints/text.js';
import { ratingSlot } from '../src/domain/understanding/slots/index.js';
import type { AppServices } from '../src/services.js';
import { fill } from './texts.js';

export const COMMENT_MAX = 1000;

const T = {
  askComment: { id: 'Terima kasih atas penilaian {stars} untuk {ticket}! Ada saran atau komentar? Ketik di sini, atau pilih Lewati.', en: 'Thank you for rating {ticket} {stars}! Any comment or suggestion? Type it here, or choose Skip.' },
  skip: { id: 'Lewati', en: 'Skip' },
  thanks: { id: 'Terima kasih, masukan Anda sudah kami simpan. 🙏', en: 'Thank you, your feedback is saved. 🙏' },
  thanksNoComment: { id: 'Terima kasih, penilaian Anda sudah kami simpan. 🙏', en: 'Thank you, your rating is saved. 🙏' },
  notFound: { id: 'Pengaduan {ticket} tidak ditemukan.', en: 'Complaint {ticket} was not found.' },
  notFinished: { id: 'Pengaduan {ticket} belum selesai, jadi belum bisa dinilai.', en: 'Complaint {ticket} is not resolved yet, so it cannot be rated.' },
  already: { id: 'Pengaduan {ticket} sudah Anda nilai sebelumnya. Terima kasih!', en: 'You have already rated complaint {ticket}. Thank you!' },
  pick: { id: 'Mohon pilih nilai dari tombol 1 sampai 5.', en: 'Please choose a rating from 1 to 5 with the buttons.' },
  tooLong: { id: 'Komentarnya terlalu panjang ({length} karakter). Maksimal {max} karakter.', en: 'The comment is too long ({length} characters). At most {max}.' },
  needText: { id: 'Mohon tulis komentar sebagai teks, atau pilih Lewati.', en: 'Please type your comment, or choose Skip.' },
} as const satisfies Record<string, Record<Lang, string>>;

function say(lang: Lang, key: keyof typeof T, vars: Record<string, string | number> = {}): string {
  return fill(T[key][lang], vars);
}

const text = (t: string): Reply => ({ kind: 'text', text: t });

export function complaintRatingFlow(deps: { service: ComplaintService }): Flow<AppServices> {
  const { service } = deps;
  return {
    name: 'complaint-rating',
    title: { id: 'Penilaian pengaduan', en: 'Complaint rating' },
    start: 'rate',
    steps: {
      rate: {
        prompt: (ctx) => [text(say(ctx.lang, 'pick'))],
        // A typed reply to the rating request: only a message that is a rating.
        accepts: (ctx, input) => input.kind === 'text' && ratingSlot(input.text) !== undefined && findTicket(String(ctx.data['ticket'] ?? '')) !== null,
        async handle(ctx, input) {
          if (input.kind === 'choice' && input.id === 'complaint-rating:skip') return { kind: 'done', say: [text(say(ctx.lang, 'thanksNoComment'))] };
          // complaint-rating:<ticket>:<score>, or a typed rating with the ticket in the step's data
          const m = input.kind === 'choice' ? /^complaint-rating:(GJM-\d{4}-\d{5,7}):([1-5])$/.exec(input.id) : null;
          const typed = input.kind === 'text' ? ratingSlot(input.text) : undefined;
          const ticket = m ? findTicket(m[1]!) : typed !== undefined ? findTicket(String(ctx.data['ticket'] ?? '')) : null;
          const score = m ? Number(m[2]) : typed;
          if (!ticket || score === undefined) return { kind: 'done', say: [text(say(ctx.lang, 'pick'))] };
          const r = await service.rate(ticket, ctx.contact, score, ctx.now);
          switch (r.kind) {
            case 'rated':
              return {
                kind: 'next',
                step: 'comment',
                data: { ticket },
                say: [{ kind: 'text', text: say(ctx.lang, 'askComment', { ticket, stars: '⭐'.repeat(score) }), choices: [{ id: 'complaint-rating:skip', title: say(ctx.lang, 'skip') }] }],
              };
            case 'not-found':
              return { kind: 'done', say: [text(say(ctx.lang, 'notFound', { ticket }))] };
            case 'not-finished':
              return { kind: 'done', say: [text(say(ctx.lang, 'notFinished', { ticket }))] };
            case 'already-rated':
              return { kind: 'done', say: [text(say(ctx.lang, 'already', { ticket }))] };
          }
        },
      },
      comment: {
        // The question was asked with the rating's thanks; "kembali" here re-asks it plainly.
        prompt: (ctx) => [{ kind: 'text', text: say(ctx.lang, 'needText'), choices: [{ id: 'complaint-rating:skip', title: say(ctx.lang, 'skip') }] }],
        async handle(ctx, input) {
          const ticket = findTicket(String(ctx.data['ticket'] ?? ''));
          if (input.kind === 'choice' && input.id === 'complaint-rating:skip') return { kind: 'done', say: [text(say(ctx.lang, 'thanksNoComment'))] };
          if (input.kind === 'choice' && input.id.startsWith('complaint-rating:')) return { kind: 'switch', flow: 'complaint-rating', input };
          if (input.kind !== 'text' || !ticket) return { kind: 'stay', say: [{ kind: 'text', text: say(ctx.lang, 'needText'), choices: [{ id: 'complaint-rating:skip', title: say(ctx.lang, 'skip') }] }] };
          const comment = cleanText(input.text);
          const len = charLength(comment);
          if (len > COMMENT_MAX) return { kind: 'stay', say: [text(say(ctx.lang, 'tooLong', { length: len, max: COMMENT_MAX }))] };
          if (len === 0) return { kind: 'stay', say: [text(say(ctx.lang, 'needText'))] };
          await service.comment(ticket, ctx.contact, comment);
          return { kind: 'done', say: [text(say(ctx.lang, 'thanks'))] };
        },
      },
    },
  };
}
