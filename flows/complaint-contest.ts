/**
 * "Belum selesai": the reporter says a ticket marked "selesai" is not done. Started by the button
 * on the closing message (`complaint-contest:<ticket>`), by a low rating, or by words. Within the
 * contest window it asks what is still wrong, confirms, and reopens the ticket; after it, it says
 * so and offers a new report.
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { Choice, InboundContent, Lang, Reply } from '../src/core/messages.js';
import { categoryLabel } from '../src/domain/complaints/catalog.js';
import type { TicketActions } from '../src/domain/complaints/ticket-actions.js';
import { charLength, cleanText, findTicket } from '../src/domain/complaints/text.js';
import { dueDay } from '../src/domain/complaints/views.js';
import type { AppServices } from '../src/services.js';
import { confirmStep } from './confirm.js';
import { fill } from '../src/core/texts.js';

export const REASON_MAX = 500;
const PREFIX = 'complaint-contest:';

const T = {
  none: { id: 'Tidak ada pengaduan Anda yang selesai dalam {days} hari terakhir, jadi tidak ada yang bisa dibuka kembali. Mau membuat laporan baru?', en: 'None of your complaints was resolved in the last {days} days, so there is nothing to reopen. Would you like to file a new report?' },
  which: { id: 'Pengaduan mana yang belum selesai?', en: 'Which complaint is not resolved?' },
  tooLate: { id: 'Pengaduan {ticket} sudah selesai lebih dari {days} hari yang lalu, jadi tidak bisa dibuka kembali. Silakan buat laporan baru; petugas akan melihatnya sebagai laporan baru.', en: 'Complaint {ticket} was resolved more than {days} days ago, so it cannot be reopened. Please file a new report instead.' },
  askReason: { id: 'Apa yang belum selesai pada {ticket}? Tulis singkat (misalnya "lampunya mati lagi").', en: 'What is still not done on {ticket}? Write briefly (e.g. "the light is out again").' },
  needText: { id: 'Mohon tulis alasannya sebagai teks.', en: 'Please type the reason.' },
  tooShort: { id: 'Mohon tulis alasannya sedikit lebih jelas, agar petugas tahu apa yang harus dicek.', en: 'Please say a little more, so staff know what to check.' },
  tooLong: { id: 'Terlalu panjang ({length} karakter). Maksimal {max}.', en: 'Too long ({length} characters). At most {max}.' },
  confirm: { id: 'Buka kembali pengaduan {ticket} dengan alasan:\n"{reason}"\n\nYakin?', en: 'Reopen complaint {ticket} with the reason:\n"{reason}"\n\nAre you sure?' },
  yes: { id: 'Ya, buka kembali', en: 'Yes, reopen' },
  no: { id: 'Tidak', en: 'No' },
  kept: { id: 'Baik, pengaduan {ticket} tetap berstatus selesai.', en: 'OK, complaint {ticket} stays resolved.' },
  reopened: { id: '🔁 Pengaduan {ticket} dibuka kembali. Petugas dan pimpinan kantor sudah diberi tahu.\nTarget tanggapan: {due}.\nUntuk melihat perkembangannya, ketik: cek {ticket}', en: '🔁 Complaint {ticket} is reopened. Staff and the head of office have been told.\nResponse due: {due}.\nTo follow it, type: cek {ticket}' },
  reopenedHead: { id: 'Karena ini kali kedua dibuka kembali, pengaduan Anda kini ditangani langsung oleh Kepala Kantor.', en: 'As it is reopened a second time, the head of office now handles it personally.' },
  notFound: { id: 'Pengaduan {ticket} tidak ditemukan.', en: 'Complaint {ticket} was not found.' },
  notFinished: { id: 'Pengaduan {ticket} belum berstatus selesai, jadi masih ditangani petugas. Anda bisa mengirim pesan tambahan untuk petugas kapan saja.', en: 'Complaint {ticket} is not marked resolved, so staff are still on it. You can send them more information at any time.' },
  newReport: { id: 'Buat laporan baru', en: 'File a new report' },
} as const satisfies Record<string, Record<Lang, string>>;

const say = (lang: Lang, key: keyof typeof T, vars: Record<string, string | number> = {}): string => fill(T[key][lang], vars);
const text = (t: string): Reply => ({ kind: 'text', text: t });

/** The ticket a choice or a text names, if any. */
function ticketIn(input: InboundContent): string | null {
  if (input.kind === 'choice' && input.id.startsWith(PREFIX)) return findTicket(input.id.slice(PREFIX.length));
  if (input.kind === 'text' || input.kind === 'command') return findTicket(input.kind === 'text' ? input.text : input.payload);
  return null;
}

export function complaintContestFlow(deps: { actions: TicketActions }): Flow<AppServices> {
  const { actions } = deps;

  const newReport = (lang: Lang): Choice => ({ id: 'm:complaint', title: say(lang, 'newReport') });

  const begin = async (ctx: StepContext<AppServices>, input: InboundContent): Promise<StepOutcome> => {
    const named = ticketIn(input);
    if (named) {
      const check = await actions.contestable(named, ctx.contact, ctx.now);
      switch (check.kind) {
        case 'ok':
          return { kind: 'next', step: 'reason', data: { ticket: named } };
        case 'too-late':
          return { kind: 'done', say: [{ kind: 'text', text: say(ctx.lang, 'tooLate', { ticket: named, days: check.days }), choices: [newReport(ctx.lang)] }] };
        case 'not-finished':
          return { kind: 'done', say: [text(say(ctx.lang, 'notFinished', { ticket: named }))] };
        case 'not-found':
          return { kind: 'done', say: [text(say(ctx.lang, 'notFound', { ticket: named }))] };
      }
    }
    const open = await actions.contestableOf(ctx.contact, ctx.now);
    if (open.length === 0) return { kind: 'done', say: [{ kind: 'text', text: say(ctx.lang, 'none', { days: actions.contestDays }), choices: [newReport(ctx.lang)] }] };
    if (open.length === 1) return { kind: 'next', step: 'reason', data: { ticket: open[0]!.ticketNo } };
    return {
      kind: 'stay',
      say: [
        {
          kind: 'text',
          text: say(ctx.lang, 'which'),
          choices: open.slice(0, 10).map((c) => ({ id: `${PREFIX}${c.ticketNo}`, title: c.ticketNo, description: categoryLabel(c.category, ctx.lang) })),
        },
      ],
    };
  };

  return {
    name: 'complaint-contest',
    title: { id: 'Pengaduan belum selesai', en: 'Complaint not resolved' },
    start: 'begin',
    // "belum selesai", "lampunya mati lagi padahal katanya sudah", "not fixed yet".
    intents: ['complaint.contest'],
    steps: {
      begin: {
        prompt: (ctx) => [text(say(ctx.lang, 'which'))],
        handle: (ctx, input) => begin(ctx, input),
      },
      reason: {
        freeText: true,
        prompt: (ctx) => [text(say(ctx.lang, 'askReason', { ticket: String(ctx.data['ticket']) }))],
        handle(ctx, input) {
          if (input.kind !== 'text') return { kind: 'stay', say: [text(say(ctx.lang, 'needText'))] };
          const reason = cleanText(input.text);
          const len = charLength(reason);
          if (len < 3) return { kind: 'stay', say: [text(say(ctx.lang, 'tooShort'))] };
          if (len > REASON_MAX) return { kind: 'stay', say: [text(say(ctx.lang, 'tooLong', { length: len, max: REASON_MAX }))] };
          return { kind: 'next', step: 'confirm', data: { ...ctx.data, reason } };
        },
      },
      confirm: confirmStep({
        prefix: PREFIX,
        question: (ctx) => say(ctx.lang, 'confirm', { ticket: String(ctx.data['ticket']), reason: String(ctx.data['reason']) }),
        yesTitle: (ctx) => say(ctx.lang, 'yes'),
        noTitle: (ctx) => say(ctx.lang, 'no'),
        onNo: (ctx) => ({ kind: 'done', say: [text(say(ctx.lang, 'kept', { ticket: String(ctx.data['ticket']) }))] }),
        async onYes(ctx) {
          const ticket = String(ctx.data['ticket']);
          const r = await actions.contest(ticket, ctx.contact, String(ctx.data['reason']), ctx.idempotencyKey, ctx.now);
          switch (r.kind) {
            case 'reopened': {
              const lines = [say(ctx.lang, 'reopened', { ticket, due: dueDay(r.complaint.responseDueAt, ctx.lang, ctx.tz) })];
              if (r.toHead) lines.push('', say(ctx.lang, 'reopenedHead'));
              return { kind: 'done', say: [text(lines.join('\n'))] };
            }
            case 'too-late':
              return { kind: 'done', say: [{ kind: 'text', text: say(ctx.lang, 'tooLate', { ticket, days: r.days }), choices: [newReport(ctx.lang)] }] };
            case 'not-finished':
              return { kind: 'done', say: [text(say(ctx.lang, 'notFinished', { ticket }))] };
            case 'not-found':
              return { kind: 'done', say: [text(say(ctx.lang, 'notFound', { ticket }))] };
          }
        },
      }),
    },
  };
}
