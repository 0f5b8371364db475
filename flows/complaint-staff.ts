/**
 * Staff handling of a complaint, started by the buttons under a staff alert:
 * Terima / Proses / Selesai / Tolak ask for a short note, then change the status and tell the
 * reporter; "Teruskan ke instansi" asks which agency, its reference number and a note, then hands
 * the ticket over (the reporter is told, the target clock pauses); "Jawaban instansi" records the
 * agency's answer and closes the ticket or takes it back; "Balas pelapor" passes a message to the
 * reporter; "Catatan internal" adds a note only staff see.
 * Staff write in Bahasa Indonesia; the office works in it.
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { InboundContent, Reply } from '../src/core/messages.js';
import type { NotifyOutcome } from '../src/core/notifier.js';
import { isStatus, STAFF_BUTTON_STATUSES, statusLabel, TRANSITIONS, type ComplaintStatus } from '../src/domain/complaints/catalog.js';
import type { ComplaintService } from '../src/domain/complaints/service.js';
import type { TicketActions } from '../src/domain/complaints/ticket-actions.js';
import { charLength, cleanText, findTicket } from '../src/domain/complaints/text.js';
import type { AppServices } from '../src/services.js';

export const NOTE_MAX = 500;
export const MESSAGE_MAX = 1000;
/** A rejection must say why. */
export const REJECT_REASON_MIN = 5;

const PREFIX = 'complaint-staff:';

const reply = (text: string): Reply => ({ kind: 'text', text });

/** What reaching the reporter came to, in staff words (also shown on the staff console). */
export const OUTCOME_TEXT: Record<NotifyOutcome, string> = {
  queued: 'Pelapor sudah diberi tahu lewat chat.',
  'queued-template': 'Pelapor diberi tahu lewat pesan templat WhatsApp (di luar jendela 24 jam).',
  blocked: 'Pelapor tidak bisa dihubungi: ia memblokir bot.',
  'outside-window': 'Pelapor tidak bisa dihubungi: di luar jendela 24 jam WhatsApp dan templat belum diatur.',
  'unknown-contact': 'Pelapor tidak bisa dihubungi (kontak tidak dikenal).',
};

/** Buttons that start a conversation of their own rather than a status change. */
const OTHER_ACTIONS = ['balas', 'teruskan', 'jawaban', 'catatan'] as const;
type OtherAction = (typeof OTHER_ACTIONS)[number];
const isOtherAction = (s: string): s is OtherAction => (OTHER_ACTIONS as readonly string[]).includes(s);

/** Reads `complaint-staff:<action>:<ticket>`. */
function parseAction(input: InboundContent): { action: ComplaintStatus | OtherAction; ticket: string } | null {
  if (input.kind !== 'choice' || !input.id.startsWith(PREFIX)) return null;
  const [action = '', ...rest] = input.id.slice(PREFIX.length).split(':');
  const ticket = findTicket(rest.join(':'));
  if (!ticket) return null;
  if (isOtherAction(action)) return { action, ticket };
  return isStatus(action) && STAFF_BUTTON_STATUSES.includes(action) ? { action, ticket } : null;
}

export interface ComplaintStaffFlowDeps {
  service: ComplaintService;
  actions: TicketActions;
}

/** A short free text from staff, or why not. */
function staffText(input: InboundContent, max: number): { ok: true; text: string } | { ok: false; say: string } {
  if (input.kind !== 'text') return { ok: false, say: 'Mohon tulis sebagai teks.' };
  const text = cleanText(input.text);
  if (charLength(text) > max) return { ok: false, say: `Terlalu panjang (${charLength(text)} karakter). Maksimal ${max}.` };
  return { ok: true, text };
}

export function complaintStaffFlow(deps: ComplaintStaffFlowDeps): Flow<AppServices> {
  const { service, actions } = deps;

  /** Starts (or restarts, when another button is tapped mid-way) on an action button. */
  const begin = async (ctx: StepContext<AppServices>, input: InboundContent): Promise<StepOutcome> => {
    const parsed = parseAction(input);
    if (!parsed) return { kind: 'done', say: [reply('Tindakan tidak dikenali. Gunakan tombol di bawah pesan pengaduan, atau ketik "cek GJM-2026-00042".')] };
    if (!service.access.isHandler(ctx.contact)) return { kind: 'done', say: [reply(`Pengaduan ${parsed.ticket} tidak ditemukan.`)] };
    const c = await service.findVisible(parsed.ticket, ctx.contact);
    if (!c || !service.access.canHandle(c, ctx.contact)) return { kind: 'done', say: [reply(`Pengaduan ${parsed.ticket} tidak ditemukan.`)] };
    const data = { ticket: parsed.ticket, action: parsed.action };
    if (parsed.action === 'balas') return { kind: 'next', step: 'message', data };
    if (parsed.action === 'catatan') return { kind: 'next', step: 'internal-note', data };
    if (parsed.action === 'teruskan') {
      if (!TRANSITIONS[c.status].includes('diteruskan')) {
        return { kind: 'done', say: [reply(`${c.ticketNo} sudah berstatus "${statusLabel(c.status, 'id')}", jadi tidak bisa diteruskan.`)] };
      }
      return { kind: 'next', step: 'agency', data };
    }
    if (parsed.action === 'jawaban') {
      if (c.status !== 'diteruskan') return { kind: 'done', say: [reply(`${c.ticketNo} tidak sedang diteruskan ke instansi (status: "${statusLabel(c.status, 'id')}").`)] };
      return { kind: 'next', step: 'agency-answer', data };
    }
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

      agency: {
        prompt: (ctx) => [
          {
            kind: 'text',
            text: `Teruskan ${String(ctx.data['ticket'])} ke instansi mana? Ketik "batal" untuk membatalkan.`,
            choices: actions.agencies.map((a) => ({ id: `${PREFIX}agency:${a.id}`, title: a.short ?? a.name, description: a.name })),
            listButton: 'Pilih instansi',
          },
        ],
        handle(ctx, input) {
          const id = input.kind === 'choice' && input.id.startsWith(`${PREFIX}agency:`) ? input.id.slice(`${PREFIX}agency:`.length) : null;
          const other = id ? null : otherButton(input);
          if (other) return other;
          const agency = actions.agencies.find((a) => a.id === id);
          if (!agency) return { kind: 'stay', say: [reply('Mohon pilih instansi dari daftar.')] };
          return { kind: 'next', step: 'agency-ref', data: { ...ctx.data, agencyId: agency.id } };
        },
      },

      'agency-ref': {
        prompt: () => [reply('Nomor referensi dari instansi tersebut, jika sudah ada (ketik "-" jika belum).')],
        handle(ctx, input) {
          const other = otherButton(input);
          if (other) return other;
          const t = staffText(input, 60);
          if (!t.ok) return { kind: 'stay', say: [reply(t.say)] };
          return { kind: 'next', step: 'agency-note', data: { ...ctx.data, agencyRef: t.text === '-' ? '' : t.text } };
        },
      },

      'agency-note': {
        prompt: () => [reply(`Catatan untuk pelapor tentang penerusan ini, maksimal ${NOTE_MAX} karakter (ketik "-" jika tanpa catatan).`)],
        async handle(ctx, input) {
          const other = otherButton(input);
          if (other) return other;
          const t = staffText(input, NOTE_MAX);
          if (!t.ok) return { kind: 'stay', say: [reply(t.say)] };
          const ticket = findTicket(String(ctx.data['ticket']));
          if (!ticket) return { kind: 'done', say: [reply('Data tindakan hilang; silakan tekan tombolnya lagi.')] };
          const ref = String(ctx.data['agencyRef'] ?? '');
          const note = t.text === '-' ? '' : t.text;
          const r = await actions.forward(ticket, ctx.contact, { agencyId: String(ctx.data['agencyId']), ...(note ? { note } : {}), ...(ref ? { agencyRef: ref } : {}) }, ctx.idempotencyKey, ctx.now);
          switch (r.kind) {
            case 'forwarded':
              return {
                kind: 'done',
                say: [
                  {
                    kind: 'text',
                    text: `📤 ${ticket} diteruskan ke ${r.complaint.forward?.agencyName ?? ''}. Target penyelesaian dihentikan sementara sampai ada jawaban. ${OUTCOME_TEXT[r.reporter]}\nSetelah instansi menjawab, tekan "Jawaban instansi".`,
                    choices: [{ id: `${PREFIX}jawaban:${ticket}`, title: 'Jawaban instansi' }],
                  },
                ],
              };
            case 'unknown-agency':
              return { kind: 'next', step: 'agency', say: [reply('Instansi tidak dikenal; mohon pilih lagi.')] };
            case 'not-found':
              return { kind: 'done', say: [reply(`Pengaduan ${ticket} tidak ditemukan.`)] };
            case 'not-allowed':
              return { kind: 'done', say: [reply(`${ticket} sudah berstatus "${statusLabel(r.current, 'id')}" (mungkin baru diubah petugas lain), jadi tidak diteruskan.`)] };
          }
        },
      },

      'agency-answer': {
        prompt: (ctx) => [reply(`Tulis jawaban instansi untuk ${String(ctx.data['ticket'])} (maksimal ${NOTE_MAX} karakter). Jawaban ini dikirim ke pelapor.`)],
        handle(ctx, input) {
          const other = otherButton(input);
          if (other) return other;
          const t = staffText(input, NOTE_MAX);
          if (!t.ok) return { kind: 'stay', say: [reply(t.say)] };
          if (charLength(t.text) < 3) return { kind: 'stay', say: [reply('Jawabannya kosong. Mohon tulis jawaban instansi.')] };
          return { kind: 'next', step: 'agency-then', data: { ...ctx.data, answer: t.text } };
        },
      },

      'agency-then': {
        prompt: () => [
          {
            kind: 'text',
            text: 'Setelah jawaban ini, pengaduan:',
            choices: [
              { id: `${PREFIX}then:selesai`, title: 'Selesai (tutup)' },
              { id: `${PREFIX}then:diproses`, title: 'Kembali diproses' },
            ],
          },
        ],
        async handle(ctx, input) {
          const then = input.kind === 'choice' && input.id === `${PREFIX}then:selesai` ? 'selesai' : input.kind === 'choice' && input.id === `${PREFIX}then:diproses` ? 'diproses' : null;
          if (!then) return otherButton(input) ?? { kind: 'stay', say: [reply('Mohon pilih: Selesai (tutup) atau Kembali diproses.')] };
          const ticket = findTicket(String(ctx.data['ticket']));
          if (!ticket) return { kind: 'done', say: [reply('Data tindakan hilang; silakan tekan tombolnya lagi.')] };
          const r = await actions.agencyAnswer(ticket, ctx.contact, String(ctx.data['answer']), then, ctx.idempotencyKey, ctx.now);
          if (r.kind === 'not-found') return { kind: 'done', say: [reply(`Pengaduan ${ticket} tidak ditemukan.`)] };
          if (r.kind === 'not-forwarded') return { kind: 'done', say: [reply(`${ticket} tidak sedang diteruskan (status: "${statusLabel(r.current, 'id')}").`)] };
          return { kind: 'done', say: [reply(`✅ Jawaban instansi dicatat; ${ticket} sekarang "${statusLabel(r.complaint.status, 'id')}". ${OUTCOME_TEXT[r.reporter]}`)] };
        },
      },

      'internal-note': {
        prompt: (ctx) => [reply(`Tulis catatan internal untuk ${String(ctx.data['ticket'])} (maksimal ${NOTE_MAX} karakter). Catatan ini TIDAK dikirim ke pelapor.`)],
        async handle(ctx, input) {
          const other = otherButton(input);
          if (other) return other;
          const t = staffText(input, NOTE_MAX);
          if (!t.ok) return { kind: 'stay', say: [reply(t.say)] };
          if (charLength(t.text) < 2) return { kind: 'stay', say: [reply('Catatannya kosong.')] };
          const ticket = findTicket(String(ctx.data['ticket']));
          if (!ticket) return { kind: 'done', say: [reply('Data tindakan hilang; silakan tekan tombolnya lagi.')] };
          const r = await actions.staffNote(ticket, ctx.contact, t.text, ctx.idempotencyKey, ctx.now);
          if (r.kind !== 'added') return { kind: 'done', say: [reply(`Pengaduan ${ticket} tidak ditemukan.`)] };
          return { kind: 'done', say: [reply(`📝 Catatan internal untuk ${ticket} disimpan (tidak dikirim ke pelapor).`)] };
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
          const r = await service.messageReporter(ticket, ctx.contact, message, ctx.idempotencyKey, ctx.now);
          if (r.kind === 'not-found') return { kind: 'done', say: [reply(`Pengaduan ${ticket} tidak ditemukan.`)] };
          return { kind: 'done', say: [reply(`✉️ Pesan untuk ${ticket} diproses. ${OUTCOME_TEXT[r.outcome]}`)] };
        },
      },
    },
  };
}
