/**
 * Renders channel-neutral replies as WhatsApp messages within the platform's limits
 * (text ≤ 4,096; ≤ 3 reply buttons with titles ≤ 20; lists of ≤ 10 rows with titles ≤ 24,
 * descriptions ≤ 72; interactive body ≤ 1,024) and maps Graph errors for the outbox.
 */
import { MediaTooLargeError, MediaUnavailableError, type MediaFile } from '../../core/media.js';
import type { Choice, Reply } from '../../core/messages.js';
import { clip, splitText } from '../split-text.js';
import { SendError, type ChannelSender, type SendResult } from '../../core/sender.js';
import { GraphApiError, type WaOutgoing, type WhatsAppGraphClient } from './graph-client.js';

export const WA_TEXT_MAX = 4096;
export const WA_INTERACTIVE_BODY_MAX = 1024;
export const WA_BUTTON_TITLE_MAX = 20;
export const WA_LIST_ROWS_MAX = 10;
export const WA_ROW_TITLE_MAX = 24;
export const WA_ROW_DESCRIPTION_MAX = 72;

const len = (s: string) => [...s].length;

/** Buttons when ≤ 3 short unique titles fit; otherwise a list. */
export function toInteractive(body: string, choices: Choice[], listButton: string): WaOutgoing {
  const titles = choices.map((c) => c.title);
  const fitsButtons =
    choices.length <= 3 && titles.every((t) => len(t) <= WA_BUTTON_TITLE_MAX) && new Set(titles).size === titles.length && choices.every((c) => !c.description);
  if (fitsButtons) {
    return {
      type: 'interactive',
      interactive: { type: 'button', body: { text: body }, action: { buttons: choices.map((c) => ({ type: 'reply', reply: { id: c.id, title: c.title } })) } },
    };
  }
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body },
      action: {
        button: clip(listButton, WA_BUTTON_TITLE_MAX),
        sections: [
          {
            rows: choices.map((c) => {
              const title = clip(c.title, WA_ROW_TITLE_MAX);
              // A clipped title keeps its full wording in the description.
              const description = c.description ?? (title !== c.title ? c.title : undefined);
              return { id: c.id, title, ...(description ? { description: clip(description, WA_ROW_DESCRIPTION_MAX) } : {}) };
            }),
          },
        ],
      },
    },
  };
}

/** Maps a Graph error to what the outbox should do. Keyed on the error code, not the HTTP status. */
export function classifyGraphError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (!(err instanceof GraphApiError)) return new SendError('retryable', 'unknown', err instanceof Error ? err.message : String(err));
  const code = err.code;
  const msg = `${err.message}${err.details ? ` (${err.details})` : ''}`;
  const c = String(code ?? err.httpStatus);
  if (err.httpStatus === 0) return new SendError('retryable', err.details ?? 'network', msg);
  // The server's Retry-After, when given, wins over our defaults (never shorter than asked).
  const after = (fallbackMs: number) => Math.max(err.retryAfterMs ?? 0, err.retryAfterMs === undefined ? fallbackMs : 0);
  switch (code) {
    case 130429: // throughput of the business number exceeded
      return new SendError('rateLimited', c, msg, after(2000), 'channel');
    case 131056: // too many messages to the same user
      return new SendError('rateLimited', c, msg, after(6000), 'chat');
    case 131048: // spam rate limit
    case 4:
    case 80007:
      return new SendError('rateLimited', c, msg, after(60_000), 'channel');
    case 190: // access token expired or revoked: the whole channel is out until a new token
      return new SendError('channelDown', c, msg);
    case 131047: // more than 24 hours since the user last wrote
      return new SendError('outsideWindow', c, msg);
    case 131000:
    case 1:
    case 2:
      return new SendError('retryable', c, msg);
    default:
      if (err.httpStatus === 429) return new SendError('rateLimited', c, msg, after(2000), 'channel');
      if (err.httpStatus >= 500) return err.retryAfterMs !== undefined ? new SendError('rateLimited', c, msg, err.retryAfterMs, 'channel') : new SendError('retryable', c, msg);
      return new SendError('permanent', c, msg);
  }
}

export class WhatsAppSender implements ChannelSender {
  readonly channel = 'whatsapp' as const;
  readonly limits: ChannelSender['limits'];

  constructor(
    private readonly client: WhatsAppGraphClient,
    ratePerSecond: number,
    private readonly defaultListButton = 'Pilih',
  ) {
    // Pair rate: ~1 message / 6 s to one user sustained, short bursts tolerated (131056 beyond
    // that, which the outbox also honours). A burst of 20 keeps a lively conversation unpaced.
    this.limits = { perSecond: ratePerSecond, perChatPerSecond: 1 / 6, perChatBurst: 20 };
  }

  split(reply: Reply): Reply[] {
    if (reply.kind !== 'text') return [reply];
    const choices = reply.choices ?? [];
    if (choices.length === 0) return splitText(reply.text, WA_TEXT_MAX).map((text) => ({ kind: 'text' as const, text }));
    // Interactive body is limited to 1,024: earlier text goes as plain messages first.
    const parts = splitText(reply.text, WA_INTERACTIVE_BODY_MAX);
    const last = parts.pop() ?? '';
    const lead: Reply[] = parts.length ? splitText(parts.join('\n\n'), WA_TEXT_MAX).map((text) => ({ kind: 'text' as const, text })) : [];
    const groups: Choice[][] = [];
    for (let i = 0; i < choices.length; i += WA_LIST_ROWS_MAX) groups.push(choices.slice(i, i + WA_LIST_ROWS_MAX));
    const listButton = reply.listButton ?? this.defaultListButton;
    return [
      ...lead,
      ...groups.map((g, i) => ({ kind: 'text' as const, text: i === 0 ? last : '…', choices: g, listButton })),
    ];
  }

  private render(reply: Reply): WaOutgoing {
    switch (reply.kind) {
      case 'text':
        return reply.choices?.length
          ? toInteractive(reply.text, reply.choices, reply.listButton ?? this.defaultListButton)
          : { type: 'text', text: { body: reply.text, preview_url: false } };
      case 'location':
        return {
          type: 'location',
          location: { latitude: reply.latitude, longitude: reply.longitude, ...(reply.name ? { name: reply.name } : {}), ...(reply.address ? { address: reply.address } : {}) },
        };
      case 'template':
        return {
          type: 'template',
          template: {
            name: reply.name,
            language: { code: reply.language },
            ...(reply.bodyParams.length ? { components: [{ type: 'body' as const, parameters: reply.bodyParams.map((text) => ({ type: 'text' as const, text })) }] } : {}),
          },
        };
      case 'document':
        throw new Error('documents are uploaded first');
    }
  }

  async send(chatId: string, reply: Reply): Promise<SendResult> {
    try {
      if (reply.kind === 'document') {
        const mediaId = await this.client.uploadMedia(Buffer.from(reply.base64, 'base64'), reply.mimeType, reply.fileName);
        const caption = reply.caption ? clip(reply.caption, 1024) : undefined;
        const r = await this.client.sendMessage(chatId, { type: 'document', document: { id: mediaId, filename: reply.fileName, ...(caption ? { caption } : {}) } });
        return { platformMessageIds: [r.messageId] };
      }
      const r = await this.client.sendMessage(chatId, this.render(reply));
      return { platformMessageIds: [r.messageId] };
    } catch (err) {
      throw classifyGraphError(err);
    }
  }

  /** Downloads a media id from a webhook (the URL Meta gives is short-lived: fetch it at once). */
  async fetchMedia(mediaId: string, maxBytes: number): Promise<MediaFile> {
    let info;
    try {
      info = await this.client.getMediaInfo(mediaId);
    } catch (err) {
      throw new MediaUnavailableError(`whatsapp media lookup failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (info.file_size !== undefined && info.file_size > maxBytes) throw new MediaTooLargeError(info.file_size, maxBytes);
    let data: Buffer;
    try {
      data = await this.client.downloadMedia(info.url);
    } catch (err) {
      throw new MediaUnavailableError(`whatsapp media download failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (data.length > maxBytes) throw new MediaTooLargeError(data.length, maxBytes);
    return { data, mimeType: info.mime_type };
  }

  async markRead(messageId: string): Promise<void> {
    await this.client.markRead(messageId);
  }
}
