/**
 * A reporter's message meant for their open ticket — an answer to a staff question, a new photo
 * or location, "sudah diperbaiki belum?" — is added to the ticket's thread and reaches its staff.
 * With one open ticket it is attached at once (and the reporter is told); with several, the
 * reporter picks which. Started with the message as input (by the router, or by the
 * `complaint-followup:<ticket>` button under a staff message).
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { InboundContent, Lang, Reply } from '../src/core/messages.js';
import { categoryLabel, statusLabel } from '../src/domain/complaints/catalog.js';
import type { PhotoIntake } from '../src/domain/complaints/photo-intake.js';
import { isPhotoInput } from '../src/domain/complaints/photo-intake.js';
import type { ReporterContent, TicketActions } from '../src/domain/complaints/ticket-actions.js';
import { charLength, cleanText, findTicket, preview } from '../src/domain/complaints/text.js';
import type { AppServices } from '../src/services.js';
import { fill } from '../src/core/texts.js';

export const FOLLOWUP_MAX = 1000;
const PREFIX = 'complaint-followup:';

const T = {
  none: { id: 'Anda tidak punya pengaduan yang sedang ditangani, jadi pesan ini tidak bisa ditambahkan ke laporan. Ketik "menu" untuk layanan lain, atau "lapor" untuk laporan baru.', en: 'You have no complaint in progress, so this message cannot be added to a report. Type "menu" for other services, or "lapor" for a new report.' },
  noneAttachment: { id: 'Terima kasih. Foto atau lokasi ini belum bisa saya kaitkan dengan laporan, karena Anda tidak punya pengaduan yang sedang ditangani. Untuk membuat laporan baru, ketik "lapor"; untuk layanan lain, ketik "menu".', en: 'Thank you. I cannot attach this photo or location to a report, as you have no complaint in progress. To file a new report, type "lapor"; for other services, type "menu".' },
  which: { id: 'Pesan Anda untuk pengaduan yang mana?', en: 'Which complaint is your message about?' },
  added: { id: '✅ Pesan Anda sudah ditambahkan ke pengaduan {ticket} ({status}) dan diteruskan ke petugas. Untuk melihat seluruh percakapan, ketik: cek {ticket}', en: '✅ Your message was added to complaint {ticket} ({status}) and passed to staff. To see the whole conversation, type: cek {ticket}' },
  closed: { id: 'Pengaduan {ticket} sudah {status}, jadi pesan tidak bisa ditambahkan. Jika masalahnya belum selesai, ketik "belum selesai"; atau "lapor" untuk laporan baru.', en: 'Complaint {ticket} is already {status}, so nothing can be added. If the problem is not solved, type "not resolved"; or "lapor" for a new report.' },
  photoFailed: { id: 'Maaf, foto itu tidak bisa kami simpan (bukan gambar, terlalu besar, atau gagal diunduh). Silakan kirim ulang sebagai foto, maksimal 5 MB.', en: 'Sorry, that photo could not be saved (not an image, too large, or the download failed). Please send it again as a photo, at most 5 MB.' },
  tooLong: { id: 'Pesannya terlalu panjang ({length} karakter). Maksimal {max}.', en: 'The message is too long ({length} characters). At most {max}.' },
  empty: { id: 'Pesannya kosong. Silakan tulis pesan untuk petugas.', en: 'The message is empty. Please write your message for staff.' },
  notFound: { id: 'Pengaduan {ticket} tidak ditemukan.', en: 'Complaint {ticket} was not found.' },
  askMessage: { id: 'Tulis pesan, atau kirim foto atau lokasi, untuk pengaduan {ticket}:', en: 'Write your message, or send a photo or location, for complaint {ticket}:' },
} as const satisfies Record<string, Record<Lang, string>>;

const say = (lang: Lang, key: keyof typeof T, vars: Record<string, string | number> = {}): string => fill(T[key][lang], vars);
const text = (t: string): Reply => ({ kind: 'text', text: t });

/** Content worth adding, as JSON the session can hold while the reporter picks a ticket. */
type Pending = { text?: string; photo?: { fileId: string; mimeType: string; size: number }; location?: { latitude: number; longitude: number; address?: string } };

export function complaintFollowupFlow(deps: { actions: TicketActions; photos: PhotoIntake }): Flow<AppServices> {
  const { actions, photos } = deps;

  /** Turns the input into thread content; photos are stored at once (platform links expire). */
  const contentOf = async (ctx: StepContext<AppServices>, input: InboundContent): Promise<{ ok: true; pending: Pending } | { ok: false; say: string }> => {
    if (input.kind === 'text') {
      const t = cleanText(input.text);
      if (charLength(t) === 0) return { ok: false, say: say(ctx.lang, 'empty') };
      if (charLength(t) > FOLLOWUP_MAX) return { ok: false, say: say(ctx.lang, 'tooLong', { length: charLength(t), max: FOLLOWUP_MAX }) };
      return { ok: true, pending: { text: t } };
    }
    if (input.kind === 'location') {
      const address = [input.name, input.address].filter(Boolean).join(', ');
      return { ok: true, pending: { location: { latitude: input.latitude, longitude: input.longitude, ...(address ? { address } : {}) } } };
    }
    if (input.kind === 'media' && !isPhotoInput(input)) return { ok: false, say: say(ctx.lang, 'photoFailed') };
    if (isPhotoInput(input)) {
      const r = await photos.take(input, ctx.contact, ctx.idempotencyKey, ctx.now);
      if (r.kind !== 'stored') return { ok: false, say: say(ctx.lang, 'photoFailed') };
      const caption = input.caption ? cleanText(input.caption) : '';
      return { ok: true, pending: { photo: r.photo, ...(caption ? { text: caption } : {}) } };
    }
    return { ok: false, say: say(ctx.lang, 'empty') };
  };

  const attach = async (ctx: StepContext<AppServices>, ticket: string, pending: Pending): Promise<StepOutcome> => {
    const content: ReporterContent = {
      ...(pending.text ? { text: pending.text } : {}),
      ...(pending.location ? { location: pending.location } : {}),
      ...(pending.photo ? { photo: pending.photo } : {}),
    };
    const r = await actions.reporterMessage(ticket, ctx.contact, content, ctx.idempotencyKey, ctx.now);
    switch (r.kind) {
      case 'added':
        return { kind: 'done', say: [text(say(ctx.lang, 'added', { ticket, status: statusLabel(r.complaint.status, ctx.lang) }))] };
      case 'closed':
        return { kind: 'done', say: [text(say(ctx.lang, 'closed', { ticket, status: statusLabel(r.complaint.status, ctx.lang).toLowerCase() }))] };
      case 'not-found':
        return { kind: 'done', say: [text(say(ctx.lang, 'notFound', { ticket }))] };
    }
  };

  return {
    name: 'complaint-followup',
    title: { id: 'Pesan untuk pengaduan', en: 'Message about a complaint' },
    start: 'begin',
    // "nomor tiangnya 0231 pak", "ini fotonya tambahan", "sudah diperbaiki belum?" — fed as the message itself.
    intents: ['complaint.reply'],
    takesAttachments: true,
    steps: {
      begin: {
        prompt: (ctx) => [text(say(ctx.lang, 'which'))],
        async handle(ctx, input) {
          // A button naming the ticket ("Balas" under a staff message): ask for the message.
          if (input.kind === 'choice' && input.id.startsWith(PREFIX)) {
            const ticket = findTicket(input.id.slice(PREFIX.length));
            if (!ticket) return { kind: 'done', say: [text(say(ctx.lang, 'empty'))] };
            return { kind: 'next', step: 'message', data: { ticket } };
          }
          const got = await contentOf(ctx, input);
          if (!got.ok) return { kind: 'done', say: [text(got.say)] };
          const open = await actions.openTicketsOf(ctx.contact);
          const named = got.pending.text ? findTicket(got.pending.text) : null;
          const target = named ? open.find((c) => c.ticketNo === named) : open.length === 1 ? open[0] : undefined;
          if (target) return attach(ctx, target.ticketNo, got.pending);
          if (open.length === 0) return { kind: 'done', say: [text(say(ctx.lang, input.kind === 'text' ? 'none' : 'noneAttachment'))] };
          return { kind: 'next', step: 'pick', data: { pending: got.pending, tickets: open.slice(0, 10).map((c) => c.ticketNo) } };
        },
      },
      pick: {
        async prompt(ctx) {
          const open = await actions.openTicketsOf(ctx.contact);
          return [
            {
              kind: 'text',
              text: say(ctx.lang, 'which'),
              choices: open.slice(0, 10).map((c) => ({ id: `${PREFIX}pick:${c.ticketNo}`, title: c.ticketNo, description: `${categoryLabel(c.category, ctx.lang)} · ${preview(c.description, 40)}` })),
            },
          ];
        },
        handle(ctx, input) {
          const ticket = input.kind === 'choice' && input.id.startsWith(`${PREFIX}pick:`) ? findTicket(input.id.slice(`${PREFIX}pick:`.length)) : input.kind === 'text' ? findTicket(input.text) : null;
          const offered = (ctx.data['tickets'] as string[] | undefined) ?? [];
          if (!ticket || !offered.includes(ticket)) return { kind: 'stay', say: [text(say(ctx.lang, 'which'))] };
          return attach(ctx, ticket, ctx.data['pending'] as Pending);
        },
      },
      message: {
        freeText: true,
        prompt: (ctx) => [text(say(ctx.lang, 'askMessage', { ticket: String(ctx.data['ticket']) }))],
        async handle(ctx, input) {
          const got = await contentOf(ctx, input);
          if (!got.ok) return { kind: 'stay', say: [text(got.say)] };
          return attach(ctx, String(ctx.data['ticket']), got.pending);
        },
      },
    },
  };
}
