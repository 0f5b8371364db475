/**
 * Sends channel-neutral replies through the Telegram Bot API (telegraf's client).
 */
import { Telegram } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { MediaTooLargeError, MediaUnavailableError, type MediaFile } from '../../core/media.js';
import type { Choice, Reply } from '../../core/messages.js';
import { splitText } from '../split-text.js';
import { SendError, type ChannelSender, type SendResult } from '../../core/sender.js';

export const TELEGRAM_TEXT_MAX = 4096;
export const TELEGRAM_CAPTION_MAX = 1024;

/** Lays out choices: two short ones per row, long ones alone. */
export function inlineKeyboard(choices: Choice[]): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
  for (const c of choices) {
    if (Buffer.byteLength(c.id, 'utf8') > 64) throw new SendError('permanent', 'callback-data-too-long', `choice id over 64 bytes: ${c.id}`);
    const short = [...c.title].length <= 18;
    if (!short || row.length === 2) {
      if (row.length) rows.push(row);
      row = [];
    }
    row.push({ text: c.title, callback_data: c.id });
    if (!short) {
      rows.push(row);
      row = [];
    }
  }
  if (row.length) rows.push(row);
  return rows;
}

/** Maps a telegraf/network error to what the outbox should do. */
export function classifyTelegramError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  const e = err as { code?: unknown; description?: string; response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } }; message?: string };
  const status = typeof e.response?.error_code === 'number' ? e.response.error_code : typeof e.code === 'number' ? e.code : undefined;
  const description = e.response?.description ?? e.description ?? e.message ?? 'unknown error';
  if (status === 429) {
    const s = e.response?.parameters?.retry_after ?? 1;
    return new SendError('rateLimited', '429', description, s * 1000, 'chat');
  }
  if (status === 403) return new SendError('blocked', '403', description);
  if (status === 401 || status === 400 || status === 404) return new SendError('permanent', String(status), description);
  if (status !== undefined && status >= 500) return new SendError('retryable', String(status), description);
  // No HTTP status: network failure (refused, reset, timeout).
  return new SendError('retryable', typeof e.code === 'string' ? e.code : 'network', description);
}

export class TelegramSender implements ChannelSender {
  readonly channel = 'telegram' as const;
  /** Bot FAQ: ~30/s overall (we keep 25), ~1/s per chat with short bursts, 20/min per group. */
  readonly limits = { perSecond: 25, perChatPerSecond: 1, perChatBurst: 3, groupPerMinute: 20 };
  readonly api: Telegram;

  constructor(token: string, apiRoot: string) {
    this.api = new Telegram(token, { apiRoot });
  }

  split(reply: Reply): Reply[] {
    if (reply.kind !== 'text') return [reply];
    const parts = splitText(reply.text, TELEGRAM_TEXT_MAX);
    return parts.map((text, i) =>
      i === parts.length - 1 ? { ...reply, text } : { kind: 'text' as const, text },
    );
  }

  async send(chat: string, reply: Reply): Promise<SendResult> {
    const chatId = /^-?\d+$/.test(chat) ? Number(chat) : chat;
    try {
      switch (reply.kind) {
        case 'text': {
          // Telegram can only ask for the phone number from a reply keyboard; choices then become
          // text buttons, which the engine maps back to the choice by their title.
          const markup = reply.requestPhone
            ? {
                reply_markup: {
                  keyboard: [[{ text: reply.requestPhone, request_contact: true }], ...(reply.choices ?? []).map((c) => [{ text: c.title }])],
                  one_time_keyboard: true,
                  resize_keyboard: true,
                },
              }
            : reply.choices?.length
              ? { reply_markup: { inline_keyboard: inlineKeyboard(reply.choices) } }
              : {};
          const m = await this.api.sendMessage(chatId, reply.text, { link_preview_options: { is_disabled: true }, ...markup });
          return { platformMessageIds: [String(m.message_id)] };
        }
        case 'document': {
          const caption = reply.caption ? splitText(reply.caption, TELEGRAM_CAPTION_MAX)[0] : undefined;
          const m = await this.api.sendDocument(
            chatId,
            { source: Buffer.from(reply.base64, 'base64'), filename: reply.fileName },
            caption ? { caption } : {},
          );
          return { platformMessageIds: [String(m.message_id)] };
        }
        case 'location': {
          const m = await this.api.sendLocation(chatId, reply.latitude, reply.longitude);
          return { platformMessageIds: [String(m.message_id)] };
        }
        case 'template': {
          const m = await this.api.sendMessage(chatId, reply.fallbackText, { link_preview_options: { is_disabled: true } });
          return { platformMessageIds: [String(m.message_id)] };
        }
      }
    } catch (err) {
      throw classifyTelegramError(err);
    }
  }

  /** Downloads a file a person sent (photo, document) by its file_id. */
  async fetchMedia(fileId: string, maxBytes: number): Promise<MediaFile> {
    let link: URL;
    try {
      const file = await this.api.getFile(fileId);
      if (file.file_size !== undefined && file.file_size > maxBytes) throw new MediaTooLargeError(file.file_size, maxBytes);
      link = await this.api.getFileLink(file);
    } catch (err) {
      if (err instanceof MediaTooLargeError) throw err;
      throw new MediaUnavailableError(`telegram getFile failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const res = await fetch(link);
    if (!res.ok) throw new MediaUnavailableError(`telegram file download answered ${res.status}`);
    const data = Buffer.from(await res.arrayBuffer());
    if (data.length > maxBytes) throw new MediaTooLargeError(data.length, maxBytes);
    const name = link.pathname.split('/').pop();
    return { data, mimeType: res.headers.get('content-type') ?? 'application/octet-stream', ...(name ? { fileName: name } : {}) };
  }

  /** Stops the spinner on a tapped button. Telegram requires an answer to every callback query. */
  async answerCallback(callbackQueryId: string): Promise<void> {
    await this.api.answerCbQuery(callbackQueryId);
  }
}
