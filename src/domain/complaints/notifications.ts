/**
 * Messages the complaints feature starts itself: alerts to staff, status updates and staff replies
 * to the reporter, escalations to the head of office. Every send is idempotent by key (the outbox
 * never queues a key twice), so a retried action or two instances never send twice.
 */
import type { Logger } from 'pino';
import type { Reply } from '../../core/messages.js';
import type { Notifier, NotifyOutcome, StaffTarget } from '../../core/notifier.js';
import { maskId } from '../../logging/mask.js';
import { categoryLabel, kelurahanName, statusLabel } from './catalog.js';
import type { ComplaintMediaStore } from './media-store.js';
import { maskText } from '../../logging/mask.js';
import type { ComplaintDoc, HistoryEntry, ThreadEntry } from './types.js';
import { mapLink } from './text.js';
import { ratingChoices, staffActionChoices, staffNewComplaintText, dueDay } from './views.js';

/** Where and how notifications go. */
export interface NotificationSettings {
  /** Approved WhatsApp template for status updates outside the 24-hour window. */
  statusTemplate: string;
  templateLanguage: string;
  /** Receive `rahasia` complaints (fallback: head of office). */
  seniorStaff: StaffTarget[];
  /** Receives escalations of breached targets. */
  headOfOffice: StaffTarget[];
  tz: string;
}

/** WhatsApp template parameters may not hold newlines, tabs or long runs of spaces. */
function templateParam(s: string, max = 300): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat || '-';
}

export class ComplaintNotifications {
  constructor(
    private readonly notifier: Pick<Notifier, 'staffTargets' | 'toStaff' | 'toContact'>,
    private readonly media: ComplaintMediaStore,
    private readonly settings: NotificationSettings,
    private readonly logger: Logger,
  ) {}

  /** Staff destinations of a complaint: senior staff alone for `rahasia`. */
  targetsFor(c: Pick<ComplaintDoc, 'identity'>): StaffTarget[] {
    if (c.identity !== 'rahasia') return this.notifier.staffTargets;
    return this.settings.seniorStaff.length ? this.settings.seniorStaff : this.settings.headOfOffice;
  }

  /** Posts a new complaint to staff: its photos, then the summary with the action buttons. */
  async newComplaint(c: ComplaintDoc): Promise<number> {
    const targets = this.targetsFor(c);
    if (targets.length === 0) {
      this.logger.error({ ticket: c.ticketNo, identity: c.identity }, 'no staff destination configured for this complaint');
      return 0;
    }
    const replies: Reply[] = [];
    for (const [i, p] of c.photos.entries()) {
      const data = await this.media.read(p.fileId);
      const ext = p.mimeType === 'image/png' ? 'png' : 'jpg';
      replies.push({
        kind: 'document',
        fileName: `${c.ticketNo}-foto-${i + 1}.${ext}`,
        mimeType: p.mimeType,
        base64: data.toString('base64'),
        caption: `${c.ticketNo} · foto ${i + 1}/${c.photos.length}`,
      });
    }
    replies.push({ kind: 'text', text: staffNewComplaintText(c, this.settings.tz), choices: staffActionChoices(c.ticketNo) });
    return this.notifier.toStaff(replies, `complaint:${c.ticketNo}:new`, targets);
  }

  /** Tells the reporter about a status change, on their own channel (template outside WhatsApp's window). */
  async statusChanged(c: ComplaintDoc, entry: HistoryEntry): Promise<NotifyOutcome> {
    const lang = c.reporter.lang;
    const label = statusLabel(entry.status, lang);
    const lines =
      lang === 'en'
        ? [`📢 Update on your complaint ${c.ticketNo}`, `Status: ${label}`]
        : [`📢 Kabar pengaduan Anda ${c.ticketNo}`, `Status: ${label}`];
    if (entry.note) lines.push(lang === 'en' ? `Staff note: ${entry.note}` : `Catatan petugas: ${entry.note}`);
    if (entry.status === 'diterima' || entry.status === 'diproses') {
      lines.push(lang === 'en' ? `Target to finish: ${dueDay(c.resolutionDueAt, lang, this.settings.tz)}` : `Target selesai: ${dueDay(c.resolutionDueAt, lang, this.settings.tz)}`);
    }
    lines.push('', lang === 'en' ? `To see the history, type: cek ${c.ticketNo}` : `Untuk melihat riwayatnya, ketik: cek ${c.ticketNo}`);
    const replies: Reply[] = [
      entry.status === 'selesai'
        ? { kind: 'text', text: lines.join('\n'), choices: [{ id: `complaint-contest:${c.ticketNo}`, title: lang === 'en' ? 'Not resolved' : 'Belum selesai' }] }
        : { kind: 'text', text: lines.join('\n') },
    ];
    if (entry.status === 'selesai') {
      replies.push({
        kind: 'text',
        text: lang === 'en' ? 'How well was your complaint handled? Please rate from 1 (poor) to 5 (very good).' : 'Bagaimana penanganan pengaduan Anda? Mohon beri nilai 1 (buruk) sampai 5 (sangat baik).',
        choices: ratingChoices(c.ticketNo),
      });
    }
    const outcome = await this.notifier.toContact(c.reporter.channel, c.reporter.userKey, replies, {
      key: `complaint:${c.ticketNo}:status:${entry.key}`,
      template: {
        name: this.settings.statusTemplate,
        language: this.settings.templateLanguage,
        bodyParams: [c.ticketNo, templateParam(statusLabel(entry.status, 'id')), templateParam(entry.note ?? '-')],
      },
      // After "selesai" the reporter is asked for a rating: a typed "5" is that rating.
      ...(entry.status === 'selesai' ? { expect: { flow: 'complaint-rating', step: 'rate', data: { ticket: c.ticketNo } } } : {}),
    });
    this.logger.info({ ticket: c.ticketNo, status: entry.status, user: maskId(c.reporter.userKey), outcome }, 'reporter told of status change');
    return outcome;
  }

  /** Passes a staff message to the reporter. */
  async staffMessage(c: ComplaintDoc, message: string, key: string): Promise<NotifyOutcome> {
    const lang = c.reporter.lang;
    const text =
      lang === 'en'
        ? `💬 Message from the sub-district office about your complaint ${c.ticketNo}:\n\n${message}\n\nTo answer, tap Reply or just type your answer. To see its status, type: cek ${c.ticketNo}`
        : `💬 Pesan dari petugas kecamatan tentang pengaduan Anda ${c.ticketNo}:\n\n${message}\n\nUntuk menjawab, tekan Balas atau langsung ketik jawaban Anda. Untuk melihat statusnya, ketik: cek ${c.ticketNo}`;
    const answer = { id: `complaint-followup:${c.ticketNo}`, title: lang === 'en' ? 'Reply' : 'Balas' };
    return this.notifier.toContact(c.reporter.channel, c.reporter.userKey, [{ kind: 'text', text, choices: [answer] }], {
      key: `complaint:${c.ticketNo}:message:${key}`,
      template: {
        name: this.settings.statusTemplate,
        language: this.settings.templateLanguage,
        bodyParams: [c.ticketNo, templateParam(statusLabel(c.status, 'id')), templateParam(message)],
      },
      // The reporter's typed answer goes back to staff (flows/complaint-reply.ts).
      expect: { flow: 'complaint-reply', step: 'answer', data: { ticket: c.ticketNo } },
    });
  }

  /** Alerts the head of office that a ticket is past a target. */
  async escalation(c: ComplaintDoc, target: 'response' | 'resolution'): Promise<number> {
    if (this.settings.headOfOffice.length === 0) {
      this.logger.warn({ ticket: c.ticketNo, target }, 'complaint past its target, but no head of office is configured');
      return 0;
    }
    const due = target === 'response' ? c.responseDueAt : c.resolutionDueAt;
    const what = target === 'response' ? 'belum diterima/ditolak' : 'belum selesai ditangani';
    const text = [
      `⚠️ Pengaduan ${c.ticketNo} lewat target: ${what}.`,
      `Batas: ${dueDay(due, 'id', this.settings.tz)}`,
      `Status sekarang: ${statusLabel(c.status, 'id')}`,
      `Kategori: ${categoryLabel(c.category, 'id')} · Kelurahan: ${kelurahanName(c.kelurahan)}`,
      c.identity === 'rahasia' ? 'Laporan ini RAHASIA.' : '',
    ]
      .filter(Boolean)
      .join('\n');
    return this.notifier.toStaff([{ kind: 'text', text }], `complaint:${c.ticketNo}:escalate:${target}`, this.settings.headOfOffice);
  }

  /** Passes what the reporter sent on an open ticket to its staff, with a reply button (identity rules hold). */
  async reporterMessage(c: ComplaintDoc, entry: ThreadEntry): Promise<number> {
    const targets = this.targetsFor(c);
    if (targets.length === 0) {
      this.logger.error({ ticket: c.ticketNo }, 'no staff destination configured for a reporter message');
      return 0;
    }
    const who = c.identity === 'anonim' ? 'pelapor ANONIM' : `pelapor${c.reporter.name ? ` (${c.reporter.name})` : ''}`;
    const replies: Reply[] = [];
    if (entry.photo) {
      const data = await this.media.read(entry.photo.fileId);
      replies.push({
        kind: 'document',
        fileName: `${c.ticketNo}-tambahan.${entry.photo.mimeType === 'image/png' ? 'png' : 'jpg'}`,
        mimeType: entry.photo.mimeType,
        base64: data.toString('base64'),
        caption: `${c.ticketNo} · foto tambahan dari ${who}`,
      });
    }
    const lines = [`💬 Pesan ${who} untuk ${c.ticketNo} (${statusLabel(c.status, 'id')}):`];
    if (entry.text) lines.push('', maskText(entry.text));
    if (entry.photo && !entry.text) lines.push('', '[foto terlampir di atas]');
    if (entry.location) lines.push('', `📍 ${entry.location.address ?? ''} ${mapLink(entry.location.latitude, entry.location.longitude)}`.trim());
    replies.push({ kind: 'text', text: lines.join('\n'), choices: [{ id: `complaint-staff:balas:${c.ticketNo}`, title: 'Balas pelapor' }] });
    return this.notifier.toStaff(replies, `complaint:${c.ticketNo}:thread:${entry.key}`, targets);
  }

  /** Tells staff (and the head of office) that the reporter reopened a "selesai" ticket. */
  async reopened(c: ComplaintDoc, reason: string, key: string): Promise<number> {
    const twice = c.reopenCount >= 2;
    const text = [
      `🔁 Pengaduan ${c.ticketNo} DIBUKA KEMBALI oleh pelapor${twice ? ` (ke-${c.reopenCount} kali: ditangani Kepala Kantor)` : ''}.`,
      `Alasan: ${maskText(reason)}`,
      `Kategori: ${categoryLabel(c.category, 'id')} · Kelurahan: ${kelurahanName(c.kelurahan)}`,
      `Target tanggapan baru: ${dueDay(c.responseDueAt, 'id', this.settings.tz)} · target selesai: ${dueDay(c.resolutionDueAt, 'id', this.settings.tz)}`,
    ].join('\n');
    const choices = staffActionChoices(c.ticketNo);
    // Reopened twice: the head of office takes it; otherwise staff handle it and the head is told.
    const staff = twice ? [] : this.targetsFor(c);
    const seen = new Set(staff.map((t) => `${t.channel}:${t.chatId}`));
    const head = this.settings.headOfOffice.filter((t) => !seen.has(`${t.channel}:${t.chatId}`));
    let n = 0;
    if (staff.length) n += await this.notifier.toStaff([{ kind: 'text', text, choices }], `complaint:${c.ticketNo}:reopened:${key}`, staff);
    if (head.length) n += await this.notifier.toStaff([{ kind: 'text', text, choices }], `complaint:${c.ticketNo}:reopened-head:${key}`, head);
    if (n === 0) this.logger.error({ ticket: c.ticketNo }, 'ticket reopened, but no staff or head of office destination is configured');
    return n;
  }

  /** Tells staff that the reporter withdrew a ticket (so nobody works on it). */
  async withdrawn(c: ComplaintDoc, key: string): Promise<number> {
    const targets = this.targetsFor(c);
    if (targets.length === 0) return 0;
    return this.notifier.toStaff([{ kind: 'text', text: `↩️ Pengaduan ${c.ticketNo} dicabut oleh pelapor. Tidak perlu ditindaklanjuti.` }], `complaint:${c.ticketNo}:withdrawn:${key}`, targets);
  }
}
