/**
 * Turns a Telegram Update into what the core understands. Only this folder knows Telegram's shapes.
 */
import type { Update } from 'telegraf/types';
import { z } from 'zod';
import type { InboundContent, InboundMessage } from '../../core/messages.js';

/** Minimal boundary check; the rest is read defensively below. */
export const telegramUpdateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

/** What one update means to us. */
export type TelegramEvent =
  | { kind: 'message'; message: InboundMessage; callbackQueryId?: string }
  | { kind: 'membership'; chatId: string; userKey: string; blocked: boolean; at: Date }
  | { kind: 'ignored'; reason: string; callbackQueryId?: string };

type AnyMessage = Record<string, unknown> & {
  message_id: number;
  date: number;
  chat: { id: number; type: string };
  from?: { id: number; first_name?: string; last_name?: string; language_code?: string; is_bot?: boolean };
};

function contentOf(m: AnyMessage): InboundContent {
  const text = typeof m['text'] === 'string' ? (m['text'] as string) : undefined;
  if (text !== undefined) {
    const entities = (m['entities'] as Array<{ type: string; offset: number; length: number }> | undefined) ?? [];
    const cmd = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
    if (cmd) {
      const command = text.slice(1, cmd.length).split('@')[0]!.toLowerCase();
      return { kind: 'command', command, payload: text.slice(cmd.length).trim() };
    }
    return { kind: 'text', text };
  }
  const caption = typeof m['caption'] === 'string' ? (m['caption'] as string) : undefined;
  const withCaption = caption ? { caption } : {};
  if (m['location']) {
    const loc = m['location'] as { latitude: number; longitude: number };
    const venue = m['venue'] as { title?: string; address?: string } | undefined;
    return {
      kind: 'location',
      latitude: loc.latitude,
      longitude: loc.longitude,
      ...(venue?.title ? { name: venue.title } : {}),
      ...(venue?.address ? { address: venue.address } : {}),
    };
  }
  if (m['contact']) {
    const c = m['contact'] as { phone_number: string; first_name?: string; last_name?: string; user_id?: number };
    const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
    return { kind: 'contact', phone: c.phone_number, ...(name ? { name } : {}), isSender: c.user_id !== undefined && c.user_id === m.from?.id };
  }
  if (Array.isArray(m['photo']) && m['photo'].length > 0) {
    const sizes = m['photo'] as Array<{ file_id: string; file_size?: number }>;
    const largest = sizes[sizes.length - 1]!;
    return { kind: 'media', mediaType: 'image', mediaId: largest.file_id, mimeType: 'image/jpeg', ...(largest.file_size ? { fileSize: largest.file_size } : {}), ...withCaption };
  }
  for (const [field, mediaType] of [
    ['document', 'document'],
    ['video', 'video'],
    ['voice', 'audio'],
    ['audio', 'audio'],
    ['sticker', 'sticker'],
  ] as const) {
    const f = m[field] as { file_id: string; mime_type?: string; file_name?: string; file_size?: number } | undefined;
    if (f?.file_id) {
      return {
        kind: 'media',
        mediaType,
        mediaId: f.file_id,
        ...(f.mime_type ? { mimeType: f.mime_type } : {}),
        ...(f.file_name ? { fileName: f.file_name } : {}),
        ...(f.file_size ? { fileSize: f.file_size } : {}),
        ...withCaption,
      };
    }
  }
  const known = Object.keys(m).find((k) => !['message_id', 'date', 'chat', 'from', 'message_thread_id', 'entities', 'caption'].includes(k));
  return { kind: 'unsupported', what: known ?? 'unknown' };
}

/**
 * Reads one update. `staffChatIds` are the group chats we serve; other groups are ignored.
 */
export function parseTelegramUpdate(update: Update, staffChatIds: readonly string[], now: Date): TelegramEvent {
  const u = update as unknown as Record<string, unknown>;
  const externalId = String(update.update_id);

  if (u['callback_query']) {
    const cq = u['callback_query'] as {
      id: string;
      from: { id: number; first_name?: string; last_name?: string; language_code?: string };
      message?: { chat: { id: number; type: string } };
      data?: string;
    };
    const chat = cq.message?.chat ?? { id: cq.from.id, type: 'private' };
    if (cq.data === undefined) return { kind: 'ignored', reason: 'callback without data (game)', callbackQueryId: cq.id };
    if (chat.type !== 'private' && !staffChatIds.includes(String(chat.id))) {
      return { kind: 'ignored', reason: 'callback in a non-staff group', callbackQueryId: cq.id };
    }
    const name = [cq.from.first_name, cq.from.last_name].filter(Boolean).join(' ');
    return {
      kind: 'message',
      callbackQueryId: cq.id,
      message: {
        channel: 'telegram',
        externalId,
        userKey: chat.type !== 'private' ? `${chat.id}:${cq.from.id}` : String(cq.from.id),
        chatId: String(chat.id),
        occurredAt: now,
        ...(name ? { profileName: name } : {}),
        ...(cq.from.language_code ? { languageHint: cq.from.language_code } : {}),
        ...(chat.type !== 'private' ? { isGroup: true } : {}),
        content: { kind: 'choice', id: cq.data },
      },
    };
  }

  if (u['my_chat_member']) {
    const mcm = u['my_chat_member'] as { chat: { id: number; type: string }; from: { id: number }; date: number; new_chat_member: { status: string } };
    if (mcm.chat.type !== 'private') return { kind: 'ignored', reason: `bot membership changed in ${mcm.chat.type}` };
    const status = mcm.new_chat_member.status;
    return { kind: 'membership', chatId: String(mcm.chat.id), userKey: String(mcm.from.id), blocked: status === 'kicked' || status === 'left', at: new Date(mcm.date * 1000) };
  }

  if (u['edited_message'] || u['edited_channel_post']) return { kind: 'ignored', reason: 'edited message (the original was already handled)' };
  if (u['channel_post']) return { kind: 'ignored', reason: 'channel post' };

  const m = u['message'] as AnyMessage | undefined;
  if (!m) return { kind: 'ignored', reason: `update type ${Object.keys(u).filter((k) => k !== 'update_id').join(',') || 'empty'}` };
  if (!m.from || m.from.is_bot) return { kind: 'ignored', reason: 'message without a human sender' };
  const isGroup = m.chat.type !== 'private';
  if (isGroup && !staffChatIds.includes(String(m.chat.id))) return { kind: 'ignored', reason: 'message in a non-staff group' };
  if (m['new_chat_members'] || m['left_chat_member'] || m['pinned_message'] || m['new_chat_title']) {
    return { kind: 'ignored', reason: 'service message' };
  }
  const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ');
  return {
    kind: 'message',
    message: {
      channel: 'telegram',
      externalId,
      // A staff member's group conversation is kept apart from their private one.
      userKey: isGroup ? `${m.chat.id}:${m.from.id}` : String(m.from.id),
      chatId: String(m.chat.id),
      occurredAt: new Date(m.date * 1000),
      ...(name ? { profileName: name } : {}),
      ...(m.from.language_code ? { languageHint: m.from.language_code } : {}),
      ...(isGroup ? { isGroup: true } : {}),
      content: contentOf(m),
    },
  };
}
