/**
 * After "selesai": the reporter rates the handling (1–5) and may add a comment (asked once). A
 * rating of 1 or 2 first asks whether the problem is still there, and offers to reopen the ticket.
 * Started by the rating buttons sent with the status update or shown when checking a finished
 * ticket, or by a typed rating ("5", "bintang 4") right after the rating request (context first:
 * the request is a pushed prompt whose data holds the ticket).
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { InboundContent, Lang, Reply } from '../src/core/messages.js';
import type { ComplaintService } from '../src/domain/complaints/service.js';
import type { TicketActions } from '../src/domain/complaints/ticket-actions.js';
import { charLength, cleanText, findTicket } from '../src/domain/complaints/text.js';
import { ratingSlot } from '../src/domain/understanding/slots/index.js';
import type { AppServices } from '../src/services.js';
import { fill } from '../src/core/texts.js';

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
  lowAsk: { id: 'Terima kasih atas penilaian {stars} untuk {ticket}. Maaf penanganannya belum memuaskan. Apakah masalahnya ternyata belum selesai? Kami bisa membuka kembali pengaduan ini.', en: 'Thank you for rating {ticket} {stars}. We are sorry it was not good enough. Is the problem actually not solved? We can reopen this complaint.' },
  reopen: { id: 'Ya, buka kembali', en: 'Yes, reopen it' },
  justComment: { id: 'Tidak, beri komentar', en: 'No, add a comment' },
} as const satisfies Record<string, Record<Lang, string>>;

function say(lang: Lang, key: keyof typeof T, vars: Record<string, string | number> = {}): string {
  return fill(T[key][lang], vars);
}

const text = (t: string): Reply => ({ kind: 'text', text: t });

export function complaintRatingFlow(deps: {
  service: ComplaintService;
  actions: TicketActions;
  /** Replies added after the rating is saved and thanked for (the satisfaction survey's offer). */
  afterRated?: (ctx: StepContext<AppServices>) => Promise<Reply[]>;
}): Flow<AppServices> {
  const { service, actions } = deps;
  /** The end of a rating: the thanks, then whatever follows a rating (the survey offer). */
  const finish = async (ctx: StepContext<AppServices>, key: 'thanks' | 'thanksNoComment'): Promise<StepOutcome> => ({
    kind: 'done',
    say: [text(say(ctx.lang, key)), ...((await deps.afterRated?.(ctx)) ?? [])],
  });
  /** The comment step's answer: a typed comment, Skip, or another rating button. */
  const takeComment = async (ctx: StepContext<AppServices>, input: InboundContent): Promise<StepOutcome> => {
    const ticket = findTicket(String(ctx.data['ticket'] ?? ''));
    if (input.kind === 'choice' && input.id === 'complaint-rating:skip') return finish(ctx, 'thanksNoComment');
    if (input.kind === 'choice' && input.id.startsWith('complaint-rating:')) return { kind: 'switch', flow: 'complaint-rating', input };
    if (input.kind !== 'text' || !ticket) return { kind: 'stay', say: [{ kind: 'text', text: say(ctx.lang, 'needText'), choices: [{ id: 'complaint-rating:skip', title: say(ctx.lang, 'skip') }] }] };
    const comment = cleanText(input.text);
    const len = charLength(comment);
    if (len > COMMENT_MAX) return { kind: 'stay', say: [text(say(ctx.lang, 'tooLong', { length: len, max: COMMENT_MAX }))] };
    if (len === 0) return { kind: 'stay', say: [text(say(ctx.lang, 'needText'))] };
    await service.comment(ticket, ctx.contact, comment);
    return finish(ctx, 'thanks');
  };

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
              // The next step's prompt asks for the comment: saying it here too would ask twice.
              if (score <= 2 && actions.withinContest(r.complaint, ctx.now)) return { kind: 'next', step: 'low', data: { ticket, score } };
              return { kind: 'next', step: 'comment', data: { ticket, score } };
            case 'not-found':
              return { kind: 'done', say: [text(say(ctx.lang, 'notFound', { ticket }))] };
            case 'not-finished':
              return { kind: 'done', say: [text(say(ctx.lang, 'notFinished', { ticket }))] };
            case 'already-rated':
              return { kind: 'done', say: [text(say(ctx.lang, 'already', { ticket }))] };
          }
        },
      },
      low: {
        freeText: true,
        prompt: (ctx) => [
          {
            kind: 'text',
            text: say(ctx.lang, 'lowAsk', { ticket: String(ctx.data['ticket']), stars: '⭐'.repeat(Number(ctx.data['score'] ?? 1)) }),
            choices: [
              { id: `complaint-contest:${String(ctx.data['ticket'])}`, title: say(ctx.lang, 'reopen') },
              { id: 'complaint-rating:comment', title: say(ctx.lang, 'justComment') },
            ],
          },
        ],
        handle(ctx, input) {
          if (input.kind === 'choice' && input.id.startsWith('complaint-contest:')) return { kind: 'switch', flow: 'complaint-contest', input };
          if (input.kind === 'choice' && input.id === 'complaint-rating:comment') return { kind: 'next', step: 'comment', data: ctx.data };
          // A typed comment right away is taken as the comment.
          return takeComment(ctx, input);
        },
      },
      comment: {
        freeText: true,
        prompt: (ctx) => {
          const ticket = String(ctx.data['ticket'] ?? '');
          const score = Number(ctx.data['score'] ?? 0);
          const body = score > 0 ? say(ctx.lang, 'askComment', { ticket, stars: '⭐'.repeat(score) }) : say(ctx.lang, 'needText');
          return [{ kind: 'text', text: body, choices: [{ id: 'complaint-rating:skip', title: say(ctx.lang, 'skip') }] }];
        },
        handle: (ctx, input) => takeComment(ctx, input),
      },
    },
  };
}
