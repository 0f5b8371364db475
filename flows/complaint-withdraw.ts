/**
 * "Cabut laporan": the reporter withdraws their own ticket, as long as staff have not accepted it.
 * Asks which ticket when there are several, and always asks "yakin?" before withdrawing. The
 * ticket keeps its number and shows "dicabut".
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { InboundContent, Lang, Reply } from '../src/core/messages.js';
import { categoryLabel, statusLabel } from '../src/domain/complaints/catalog.js';
import type { TicketActions } from '../src/domain/complaints/ticket-actions.js';
import { findTicket, preview } from '../src/domain/complaints/text.js';
import type { AppServices } from '../src/services.js';
import { confirmStep } from './confirm.js';
import { fill } from '../src/core/texts.js';

const PREFIX = 'complaint-withdraw:';

const T = {
  none: { id: 'Anda tidak punya pengaduan yang masih bisa dicabut.', en: 'You have no complaint that can still be withdrawn.' },
  accepted: { id: 'Pengaduan {ticket} sudah ditangani petugas ({status}), jadi tidak bisa dicabut lagi. Jika masalahnya sudah beres, tulis saja pesan untuk petugas, misalnya "sudah beres, terima kasih".', en: 'Complaint {ticket} is already being handled ({status}), so it can no longer be withdrawn. If the problem is solved, just send staff a message, e.g. "it is fixed, thank you".' },
  which: { id: 'Pengaduan mana yang ingin dicabut?', en: 'Which complaint do you want to withdraw?' },
  confirm: { id: 'Cabut pengaduan {ticket}?\n"{desc}"\n\nPengaduan yang dicabut tidak ditindaklanjuti. Yakin?', en: 'Withdraw complaint {ticket}?\n"{desc}"\n\nA withdrawn complaint is not followed up. Are you sure?' },
  yes: { id: 'Ya, cabut', en: 'Yes, withdraw' },
  no: { id: 'Tidak', en: 'No' },
  kept: { id: 'Baik, pengaduan {ticket} tidak dicabut dan tetap diproses.', en: 'OK, complaint {ticket} is not withdrawn and stays in progress.' },
  done: { id: '↩️ Pengaduan {ticket} sudah dicabut. Nomornya tetap tercatat dengan status "dicabut". Terima kasih telah memberi tahu kami.', en: '↩️ Complaint {ticket} is withdrawn. Its number stays on record as "withdrawn". Thank you for letting us know.' },
  notFound: { id: 'Pengaduan {ticket} tidak ditemukan.', en: 'Complaint {ticket} was not found.' },
} as const satisfies Record<string, Record<Lang, string>>;

const say = (lang: Lang, key: keyof typeof T, vars: Record<string, string> = {}): string => fill(T[key][lang], vars);
const text = (t: string): Reply => ({ kind: 'text', text: t });

function ticketIn(input: InboundContent): string | null {
  if (input.kind === 'choice' && input.id.startsWith(PREFIX)) return findTicket(input.id.slice(PREFIX.length));
  if (input.kind === 'text') return findTicket(input.text);
  if (input.kind === 'command') return findTicket(input.payload);
  return null;
}

export function complaintWithdrawFlow(deps: { actions: TicketActions }): Flow<AppServices> {
  const { actions } = deps;

  const begin = async (ctx: StepContext<AppServices>, input: InboundContent): Promise<StepOutcome> => {
    const open = await actions.openTicketsOf(ctx.contact);
    const named = ticketIn(input);
    const pool = named ? open.filter((c) => c.ticketNo === named) : open;
    if (named && pool.length === 0) return { kind: 'done', say: [text(say(ctx.lang, 'notFound', { ticket: named }))] };
    const withdrawable = pool.filter((c) => c.status === 'baru');
    if (withdrawable.length === 0) {
      const busy = pool[0];
      return { kind: 'done', say: [text(busy ? say(ctx.lang, 'accepted', { ticket: busy.ticketNo, status: statusLabel(busy.status, ctx.lang) }) : say(ctx.lang, 'none'))] };
    }
    if (withdrawable.length === 1) {
      const c = withdrawable[0]!;
      return { kind: 'next', step: 'confirm', data: { ticket: c.ticketNo, desc: preview(c.description, 120) } };
    }
    return {
      kind: 'stay',
      say: [
        {
          kind: 'text',
          text: say(ctx.lang, 'which'),
          choices: withdrawable.slice(0, 10).map((c) => ({ id: `${PREFIX}${c.ticketNo}`, title: c.ticketNo, description: `${categoryLabel(c.category, ctx.lang)} · ${preview(c.description, 40)}` })),
        },
      ],
    };
  };

  return {
    name: 'complaint-withdraw',
    title: { id: 'Cabut pengaduan', en: 'Withdraw a complaint' },
    start: 'begin',
    // "cabut laporan saya", "laporannya dibatalkan aja".
    intents: ['complaint.withdraw'],
    steps: {
      begin: {
        prompt: (ctx) => [text(say(ctx.lang, 'which'))],
        handle: (ctx, input) => begin(ctx, input),
      },
      confirm: confirmStep({
        prefix: PREFIX,
        question: (ctx) => say(ctx.lang, 'confirm', { ticket: String(ctx.data['ticket']), desc: String(ctx.data['desc']) }),
        yesTitle: (ctx) => say(ctx.lang, 'yes'),
        noTitle: (ctx) => say(ctx.lang, 'no'),
        onNo: (ctx) => ({ kind: 'done', say: [text(say(ctx.lang, 'kept', { ticket: String(ctx.data['ticket']) }))] }),
        async onYes(ctx) {
          const ticket = String(ctx.data['ticket']);
          const r = await actions.withdraw(ticket, ctx.contact, ctx.idempotencyKey, ctx.now);
          switch (r.kind) {
            case 'withdrawn':
              return { kind: 'done', say: [text(say(ctx.lang, 'done', { ticket }))] };
            case 'too-late':
              return { kind: 'done', say: [text(say(ctx.lang, 'accepted', { ticket, status: statusLabel(r.current, ctx.lang) }))] };
            case 'not-found':
              return { kind: 'done', say: [text(say(ctx.lang, 'notFound', { ticket }))] };
          }
        },
      }),
    },
  };
}
