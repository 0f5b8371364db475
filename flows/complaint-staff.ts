/**
 * Staff handling of a complaint, started by the buttons under a staff alert:
 * Terima / Proses / Selesai / Tolak ask for a short note, then change the status and tell the
 * reporter; "Balas pelapor" asks for a message and passes it to the reporter through the bot.
 * Staff write in Bahasa Indonesia; the office works in it.
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { InboundContent, Reply } from '../src/core/messages.js';
import type { NotifyOutcome } from '../src/core/notifier.js';
import { isStatus, statusLabel, TRANSITIONS, type ComplaintStatus } from '../src/domain/complaints/catalog.js';
import type { ComplaintService } from '../src/domain/complaints/service.js';
import { charLength, cleanText, findTicket } from '../src/domain/complaints/text.js';
import type { AppServices } from '../src/services.js';

export const NOTE_MAX = 500;
export const MESSAGE_MAX = 1000;
/** A rejection must say why. */
export const REJECT_REASON_MIN = 5;

const PREFIX = 'complaint-staff:';

const reply = (text: string): Reply => ({ kind: 'text', text });

const OUTCOME_TEXT: Record<NotifyOutcome, string> = {
  queued: 'Pelapor sudah diberi tahu lewat chat.',
  'queued-template': 'Pelapor diberi tahu lewat pesan templat WhatsApp (di luar jendela 24 jam).',
  blocked: 'Pelapor tidak bisa dihubungi: ia memblokir bot.',
  'outside-window': 'Pelapor tidak bisa dihubungi: di luar jendela 24 jam WhatsApp dan templat belum diatur.',
  'unknown-contact': 'Pelapor tidak bisa dihubungi (kontak tidak dikenal).',
};

/** Reads `complaint-staff:<action>:<ticket>`. */
function parseAction(input: InboundContent): { action: ComplaintStatus | 'balas'; ticket: string } | null {
  if (input.kind !== 'choice' || !input.id.startsWith(PREFIX)) return null;
  const [action = '', ...rest] = input.id.slice(PREFIX.length).split(':');
  const ticket = findTicket(rest.join(':'));
  if (!ticket) return null;
  if (action === 'balas') return { action, ticket };
  return isStatus(action) && action !== 'baru' ? { action, ticket } : null;
}

export interface ComplaintStaffFlowDeps {
  service: ComplaintService;
}

export function complaintStaffFlow(deps: ComplaintStaffFlowDeps): Flow<AppServices> {
  const { service } = deps;

  /** Starts (or restarts, when another button is tapped mid-way) on an action button. */
  const begin = async (ctx: StepContext<AppServices>, input: InboundContent): Promise<StepOutcome> => {
    const parsed = parseAction(input);
    if (!parsed) return { kind: 'done', say: [reply('Tindakan tidak dikenali. Gunakan tombol di bawah pesan pengaduan, atau ketik "cek GJM-2026-00042".')] };
    if (!service.access.isHandler(ctx.contact)) return { kind: 'done', say: [reply(`Pengaduan ${parsed.ticket} tidak ditemukan.`)] };
    const c = await service.findVisible(parsed.ticket, ctx.contact);
    if (!c || !service.access.canHandle(c, ctx.contact)) return { kind: 'done', say: [reply(`Pengaduan ${parsed.ticket} tidak ditemukan.`)] };
    const data = { ticket: parsed.ticket, action: parsed.action };
    if (parsed.action === 'balas') return { kind: 'next', step: 'message', data };
    if (!TRANSITIONS[c.status].includes(parsed.action)) {
      return { kind: 'done', say: [reply(`${c.ticketNo} sudah berstatus "${statusLabel(c.status, 'id')}", jadi tidak bisa diubah ke "${statusLabel(parsed.action, 'id')}".`)] };
    }
    return { kind: 'next', step: 'note', data };
  };

  /** Another staff button while a note is awaited: follow the new button. */
  const otherButton = (input: InboundContent): StepOutcome | null =>
    input.kind === 'choice' && input.id.startsWith(PREFIX) ? { kind: 'switch', flow: 'complaint-staff', input } : null;

  return {
    name: 'complaint-staff',
    title: { id: 'Tindak lanjut pengaduan', en: 'Complaint handling' },
    start: 'action',
    steps: {
      action: {
        prompt: () => [reply('Pilih tindakan dengan tombol di bawah pesan pengaduan.')],
        handle: (ctx, input) => begin(ctx, input),
      },

      note: {
        prompt(ctx) {
          const action = String(ctx.data['action']) as ComplaintStatus;
          const ticket = String(ctx.data['ticket']);
          const need = action === 'ditolak' ? 'Tulis alasan penolakan' : 'Tulis catatan singkat (ketik "-" jika tanpa catatan)';
          return [reply(`${ticket} → ${statusLabel(action, 'id')}.\n${need}, maksimal ${NOTE_MAX} karakter. Catatan ini dikirim ke pelapor. Ketik "batal" untuk membatalkan.`)];
        },
        async handle(ctx, input) {
          const other = otherButton(input);
          if (other) return other;
          if (input.kind !== 'text') return { kind: 'stay', say: [reply('Mohon tulis catatannya sebagai teks.')] };
          const action = String(ctx.data['action']);
          const ticket = findTicket(String(ctx.data['ticket']));
          if (!isStatus(action) || !ticket) return { kind: 'done', say: [reply('Data tindakan hilang; silakan tekan tombolnya lagi.')] };
          const raw = cleanText(input.text);
          const note = raw === '-' ? '' : raw;
          if (charLength(note) > NOTE_MAX) return { kind: 'stay', say: [reply(`Catatan terlalu panjang (${charLength(note)} karakter). Maksimal ${NOTE_MAX}.`)] };
          if (action === 'ditolak' && charLength(note) < REJECT_REASON_MIN) return { kind: 'stay', say: [reply('Penolakan perlu alasan yang jelas untuk pelapor. Mohon tulis alasannya.')] };
          const r = await service.changeStatus(ticket, action, ctx.contact, note || undefined, ctx.idempotencyKey, ctx.now);
          switch (r.kind) {
            case 'changed':
              return { kind: 'done', say: [reply(`✅ ${ticket} sekarang "${statusLabel(r.entry.status, 'id')}". ${OUTCOME_TEXT[r.reporter]}`)] };
            case 'not-found':
              return { kind: 'done', say: [reply(`Pengaduan ${ticket} tidak ditemukan.`)] };
            case 'not-allowed':
              return { kind: 'done', say: [reply(`${ticket} sudah berstatus "${statusLabel(r.current, 'id')}" (mungkin baru diubah petugas lain), jadi tidak diubah.`)] };
          }
        },
      },

      message: {
        prompt: (ctx) => [reply(`Tulis pesan untuk pelapor ${String(ctx.data['ticket'])} (maksimal ${MESSAGE_MAX} karakter). Pesan dikirim atas nama kantor kecamatan. Ketik "batal" untuk membatalkan.`)],
        async handle(ctx, input) {
          const other = otherButton(input);
          if (other) return other;
          if (input.kind !== 'text') return { kind: 'stay', say: [reply('Mohon tulis pesannya sebagai teks.')] };
          const ticket = findTicket(String(ctx.data['ticket']));
          if (!ticket) return { kind: 'done', say: [reply('Data tindakan hilang; silakan tekan tombolnya lagi.')] };
          const message = cleanText(input.text);
          const len = charLength(message);
          if (len < 2) return { kind: 'stay', say: [reply('Pesannya kosong. Mohon tulis pesan untuk pelapor.')] };
          if (len > MESSAGE_MAX) return { kind: 'stay', say: [reply(`Pesan terlalu panjang (${len} karakter). Maksimal ${MESSAGE_MAX}.`)] };
          const r = await service.messageReporter(ticket, ctx.contact, message, ctx.idempotencyKey);
          if (r.kind === 'not-found') return { kind: 'done', say: [reply(`Pengaduan ${ticket} tidak ditemukan.`)] };
          return { kind: 'done', say: [reply(`✉️ Pesan untuk ${ticket} diproses. ${OUTCOME_TEXT[r.outcome]}`)] };
        },
      },
    },
  };
}
