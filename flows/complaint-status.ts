/**
 * "Cek status pengaduan": a ticket's status and history ("cek GJM-2026-00042", /cek, the menu),
 * and the person's own recent tickets. Only the reporter and staff see a ticket; anyone else is
 * told it was not found, exactly as for a number that does not exist.
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { Choice, Lang, Reply } from '../src/core/messages.js';
import { categoryLabel, FINAL_STATUSES, statusLabel } from '../src/domain/complaints/catalog.js';
import type { ComplaintMediaStore } from '../src/domain/complaints/media-store.js';
import type { ComplaintService } from '../src/domain/complaints/service.js';
import type { TicketActions } from '../src/domain/complaints/ticket-actions.js';
import { DateTime } from 'luxon';
import { findTicket, formatTicket } from '../src/domain/complaints/text.js';
import { ticketSlot } from '../src/domain/understanding/slots/index.js';
import { ratingChoices, staffActionChoices, ticketView } from '../src/domain/complaints/views.js';
import type { AppServices } from '../src/services.js';
import { fill } from '../src/core/texts.js';

const T = {
  ask: { id: 'Ketik nomor tiket yang ingin dicek, misalnya: GJM-2026-00042', en: 'Type the ticket number to check, e.g. GJM-2026-00042' },
  askWithList: { id: 'Pilih salah satu pengaduan Anda di bawah ini, atau ketik nomor tiketnya (misalnya GJM-2026-00042):', en: 'Choose one of your complaints below, or type its ticket number (e.g. GJM-2026-00042):' },
  none: { id: 'Anda belum pernah mengirim pengaduan dari chat ini.', en: 'You have not sent any complaint from this chat yet.' },
  badFormat: { id: 'Nomor tiket itu tidak dikenali. Formatnya seperti GJM-2026-00042. Coba ketik lagi, atau ketik "menu".', en: 'I could not read that ticket number. It looks like GJM-2026-00042. Please type it again, or type "menu".' },
  notFound: {
    id: 'Pengaduan {ticket} tidak ditemukan. Periksa kembali nomornya; status hanya bisa dilihat dari chat yang mengirim pengaduan.',
    en: 'Complaint {ticket} was not found. Please check the number; a status can only be seen from the chat that sent the complaint.',
  },
  rateAsk: { id: 'Pengaduan ini sudah selesai. Bagaimana penanganannya? Beri nilai 1–5:', en: 'This complaint is resolved. How was it handled? Rate it 1–5:' },
  actions: { id: 'Tindakan petugas:', en: 'Staff actions:' },
  sendMessage: { id: 'Kirim pesan', en: 'Send a message' },
  withdraw: { id: 'Cabut laporan', en: 'Withdraw' },
  notDone: { id: 'Belum selesai', en: 'Not resolved' },
} as const satisfies Record<string, Record<Lang, string>>;

function say(lang: Lang, key: keyof typeof T, vars: Record<string, string> = {}): string {
  return fill(T[key][lang], vars);
}

/** Deps the flow needs from the complaints module. */
export interface ComplaintStatusFlowDeps {
  service: ComplaintService;
  actions: TicketActions;
  media: ComplaintMediaStore;
}

export function complaintStatusFlow(deps: ComplaintStatusFlowDeps): Flow<AppServices> {
  const { service, media, actions } = deps;

  const ownList = async (ctx: StepContext<AppServices>): Promise<Reply[]> => {
    const mine = await service.recentOf(ctx.contact, 8);
    if (mine.length === 0) return [{ kind: 'text', text: `${say(ctx.lang, 'none')}\n${say(ctx.lang, 'ask')}` }];
    const choices: Choice[] = mine.map((c) => ({
      id: `complaint-status:show:${c.ticketNo}`,
      title: c.ticketNo,
      description: `${categoryLabel(c.category, ctx.lang)} · ${statusLabel(c.status, ctx.lang)}`,
    }));
    return [{ kind: 'text', text: say(ctx.lang, 'askWithList'), choices }];
  };

  const show = async (ctx: StepContext<AppServices>, ticketNo: string): Promise<StepOutcome> => {
    const c = await service.findVisible(ticketNo, ctx.contact);
    if (!c) return { kind: 'done', say: [{ kind: 'text', text: say(ctx.lang, 'notFound', { ticket: ticketNo }) }] };
    const isReporter = service.access.isReporter(c, ctx.contact);
    // Staff who may handle a ticket see it as staff, even one they reported (and the local chat plays both).
    const asStaff = service.access.canHandle(c, ctx.contact);
    const replies: Reply[] = [];
    if (asStaff) {
      // Staff see the photos again (the platform's own links expire; ours are in GridFS).
      for (const [i, p] of c.photos.entries()) {
        const data = await media.read(p.fileId);
        replies.push({ kind: 'document', fileName: `${c.ticketNo}-foto-${i + 1}.jpg`, mimeType: p.mimeType, base64: data.toString('base64'), caption: `${c.ticketNo} · foto ${i + 1}` });
      }
    }
    const view = ticketView(c, { lang: ctx.lang, tz: ctx.tz, asStaff, showReporter: service.access.showsReporterTo(c, ctx.contact) });
    const reporterChoices: Choice[] = [];
    if (isReporter && !FINAL_STATUSES.includes(c.status)) reporterChoices.push({ id: `complaint-followup:${c.ticketNo}`, title: say(ctx.lang, 'sendMessage') });
    if (isReporter && c.status === 'baru') reporterChoices.push({ id: `complaint-withdraw:${c.ticketNo}`, title: say(ctx.lang, 'withdraw') });
    if (isReporter && actions.withinContest(c, ctx.now)) reporterChoices.push({ id: `complaint-contest:${c.ticketNo}`, title: say(ctx.lang, 'notDone') });
    const choices = asStaff && !FINAL_STATUSES.includes(c.status) ? staffActionChoices(c.ticketNo) : reporterChoices;
    replies.push({ kind: 'text', text: view, ...(choices.length ? { choices } : {}) });
    if (isReporter && c.status === 'selesai' && !c.rating) replies.push({ kind: 'text', text: say(ctx.lang, 'rateAsk'), choices: ratingChoices(c.ticketNo) });
    return { kind: 'done', say: replies };
  };

  return {
    name: 'complaint-status',
    title: { id: 'Cek status pengaduan', en: 'Complaint status' },
    start: 'ask',
    menu: {
      order: 21,
      title: { id: 'Cek status pengaduan', en: 'Complaint status' },
      description: { id: 'Lihat status & riwayat pengaduan Anda', en: 'See the status and history of your complaints' },
    },
    commands: ['cek', 'status'],

    intents: ['complaint.status'],

    steps: {
      ask: {
        prompt: (ctx) => ownList(ctx),
        async handle(ctx, input) {
          if (input.kind === 'choice' && input.id.startsWith('complaint-status:show:')) {
            const ticket = findTicket(input.id.slice('complaint-status:show:'.length));
            if (ticket) return show(ctx, ticket);
          }
          const typed = input.kind === 'text' ? input.text : input.kind === 'command' ? input.payload : '';
          const ticket = findTicket(typed);
          if (ticket) return show(ctx, ticket);
          // "tiket 42": the person's own ticket with that number, else this year's.
          const slot = ticketSlot(typed);
          if (slot) {
            const own = (await service.recentOf(ctx.contact, 50)).filter((c) => Number(c.ticketNo.split('-')[2]) === slot.seq);
            if (own.length === 1) return show(ctx, own[0]!.ticketNo);
            return show(ctx, formatTicket(DateTime.fromJSDate(ctx.now, { zone: ctx.tz }).year, slot.seq));
          }
          // "/cek" alone, "status pengaduan saya": list their tickets.
          if ((input.kind === 'command' && typed.trim() === '') || (input.kind === 'text' && !/\d/.test(typed))) {
            return { kind: 'stay', say: await ownList(ctx) };
          }
          return { kind: 'stay', say: [{ kind: 'text', text: say(ctx.lang, 'badFormat') }] };
        },
      },
    },
  };
}
