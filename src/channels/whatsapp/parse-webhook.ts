/**
 * Turns a WhatsApp webhook body into inbound messages and delivery statuses.
 */
import type { InboundContent, InboundMessage } from '../../core/messages.js';
import { waMessageSchema, waStatusSchema, type WaMessage, type WaWebhook } from './webhook-schema.js';

/** A delivery report for a message we sent. */
export interface DeliveryStatus {
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  recipient?: string;
  error?: { code: string; message: string };
}

export interface ParsedWebhook {
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
  /** Items we skipped, with why (logged). */
  skipped: Array<{ reason: string; id?: string }>;
}

function contentOf(m: WaMessage): InboundContent {
  switch (m.type) {
    case 'text':
      return m.text ? { kind: 'text', text: m.text.body } : { kind: 'unsupported', what: 'text without body' };
    case 'interactive': {
      const r = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return r ? { kind: 'choice', id: r.id, title: r.title } : { kind: 'unsupported', what: `interactive ${m.interactive?.type ?? ''}` };
    }
    case 'button':
      // Quick-reply button of a template: the payload is our choice id when we set one.
      return m.button ? (m.button.payload ? { kind: 'choice', id: m.button.payload, title: m.button.text } : { kind: 'text', text: m.button.text }) : { kind: 'unsupported', what: 'button' };
    case 'location':
      return m.location
        ? {
            kind: 'location',
            latitude: m.location.latitude,
            longitude: m.location.longitude,
            ...(m.location.name ? { name: m.location.name } : {}),
            ...(m.location.address ? { address: m.location.address } : {}),
          }
        : { kind: 'unsupported', what: 'location' };
    case 'image':
    case 'document':
    case 'audio':
    case 'video':
    case 'sticker': {
      const f = m[m.type];
      if (!f) return { kind: 'unsupported', what: m.type };
      return {
        kind: 'media',
        mediaType: m.type,
        mediaId: f.id,
        ...(f.mime_type ? { mimeType: f.mime_type } : {}),
        ...(f.filename ? { fileName: f.filename } : {}),
        ...(f.file_size ? { fileSize: f.file_size } : {}),
        ...(f.caption ? { caption: f.caption } : {}),
      };
    }
    case 'contacts': {
      const c = m.contacts?.[0];
      const phone = c?.phones?.find((p) => p.phone || p.wa_id);
      if (!phone) return { kind: 'unsupported', what: 'contacts without phone' };
      return { kind: 'contact', phone: phone.phone ?? phone.wa_id ?? '', ...(c?.name?.formatted_name ? { name: c.name.formatted_name } : {}), isSender: false };
    }
    default:
      return { kind: 'unsupported', what: m.type };
  }
}

const STATUS = new Set(['sent', 'delivered', 'read', 'failed']);

/** Reads every entry, change, message and status in one POST. */
export function parseWhatsAppWebhook(body: WaWebhook, phoneNumberId: string): ParsedWebhook {
  const out: ParsedWebhook = { messages: [], statuses: [], skipped: [] };
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        out.skipped.push({ reason: `field ${change.field}` });
        continue;
      }
      const v = change.value;
      if (v.metadata && v.metadata.phone_number_id !== phoneNumberId) {
        out.skipped.push({ reason: 'another phone number id' });
        continue;
      }
      const contacts = v.contacts ?? [];
      for (const raw of v.messages ?? []) {
        const parsed = waMessageSchema.safeParse(raw);
        if (!parsed.success) {
          out.skipped.push({ reason: 'malformed message', id: (raw as { id?: string } | null)?.id });
          continue;
        }
        const m = parsed.data;
        if (m.type === 'reaction') {
          out.skipped.push({ reason: m.reaction?.emoji ? 'reaction' : 'reaction removed', id: m.id });
          continue;
        }
        const contact = contacts.find((c) => (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id)) ?? (contacts.length === 1 ? contacts[0] : undefined);
        const waId = m.from ?? contact?.wa_id;
        const userId = m.from_user_id ?? contact?.user_id;
        // From 2026 a user with a username may come with no phone number: key them by user id.
        const key = waId ?? userId;
        if (!key) {
          out.skipped.push({ reason: 'message without sender', id: m.id });
          continue;
        }
        const seconds = Number(m.timestamp);
        out.messages.push({
          channel: 'whatsapp',
          externalId: m.id,
          userKey: key,
          chatId: key,
          occurredAt: Number.isFinite(seconds) ? new Date(seconds * 1000) : new Date(),
          ...(contact?.profile?.name ? { profileName: contact.profile.name } : {}),
          ...(waId ? { phone: waId } : {}),
          ...(userId ? { platformUserId: userId } : {}),
          content: contentOf(m),
        });
      }
      for (const raw of v.statuses ?? []) {
        const parsed = waStatusSchema.safeParse(raw);
        if (!parsed.success || !STATUS.has(parsed.data.status)) {
          out.skipped.push({ reason: 'unknown status', id: (raw as { id?: string } | null)?.id });
          continue;
        }
        const s = parsed.data;
        const err = s.errors?.[0];
        const recipient = s.recipient_id ?? s.recipient_user_id;
        out.statuses.push({
          messageId: s.id,
          status: s.status as DeliveryStatus['status'],
          at: new Date(Number(s.timestamp) * 1000),
          ...(recipient ? { recipient } : {}),
          ...(err ? { error: { code: String(err.code), message: err.message ?? err.title ?? '' } } : {}),
        });
      }
    }
  }
  return out;
}
