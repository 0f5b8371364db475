/**
 * A small typed client for the parts of the WhatsApp Cloud API (Graph API) we use.
 * The only place axios talks to Meta.
 */
import axios, { type AxiosInstance } from 'axios';

/** An error answered by the Graph API, or a network failure (`httpStatus` 0). */
export class GraphApiError extends Error {
  override name = 'GraphApiError';
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly code: number | undefined,
    readonly subcode: number | undefined,
    readonly details: string | undefined,
    /** The server's `Retry-After`, in milliseconds, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** `Retry-After` as seconds or an HTTP date → milliseconds from `now` (undefined when absent or unreadable). */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface WaInteractiveButtons {
  type: 'button';
  body: { text: string };
  action: { buttons: Array<{ type: 'reply'; reply: { id: string; title: string } }> };
}
export interface WaInteractiveList {
  type: 'list';
  body: { text: string };
  action: { button: string; sections: Array<{ title?: string; rows: Array<{ id: string; title: string; description?: string }> }> };
}

/** Message bodies we send (`messaging_product` and recipient are added by the client). */
export type WaOutgoing =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | { type: 'interactive'; interactive: WaInteractiveButtons | WaInteractiveList }
  | { type: 'document'; document: { id: string; filename: string; caption?: string } }
  | { type: 'image'; image: { id: string; caption?: string } }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string; address?: string } }
  | {
      type: 'template';
      template: { name: string; language: { code: string }; components?: Array<{ type: 'body'; parameters: Array<{ type: 'text'; text: string }> }> };
    };

export interface MediaInfo {
  url: string;
  mime_type: string;
  file_size?: number;
  sha256?: string;
  id: string;
}

export interface GraphClientOptions {
  /** e.g. https://graph.facebook.com/v21.0 */
  apiBase: string;
  token: string;
  phoneNumberId: string;
  timeoutMs?: number;
}

type GraphErrorBody = { error?: { message?: string; code?: number; error_subcode?: number; error_data?: { details?: string } } };

export class WhatsAppGraphClient {
  private readonly http: AxiosInstance;

  constructor(private readonly opts: GraphClientOptions) {
    this.http = axios.create({
      baseURL: opts.apiBase,
      timeout: opts.timeoutMs ?? 15_000,
      headers: { Authorization: `Bearer ${opts.token}` },
      // We read every status ourselves and turn errors into GraphApiError.
      validateStatus: () => true,
    });
  }

  private async call<T>(method: 'get' | 'post', url: string, data?: unknown, extra?: { responseType?: 'arraybuffer'; headers?: Record<string, string> }): Promise<T> {
    let res;
    try {
      res = await this.http.request({ method, url, data, ...(extra ?? {}) });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw new GraphApiError(e.message ?? 'network error', 0, undefined, undefined, e.code);
    }
    if (res.status >= 200 && res.status < 300) return res.data as T;
    let body = res.data as GraphErrorBody | ArrayBuffer;
    if (body instanceof ArrayBuffer) {
      try {
        body = JSON.parse(Buffer.from(body).toString('utf8')) as GraphErrorBody;
      } catch {
        body = {};
      }
    }
    const e = (body as GraphErrorBody).error;
    const retryAfterMs = parseRetryAfter((res.headers as Record<string, unknown>)['retry-after']);
    throw new GraphApiError(e?.message ?? `HTTP ${res.status}`, res.status, e?.code, e?.error_subcode, e?.error_data?.details, retryAfterMs);
  }

  /** Sends a message to a wa_id (or to a business-scoped user id with `recipient`). */
  async sendMessage(to: string, body: WaOutgoing): Promise<{ messageId: string }> {
    // Business-scoped user ids are not phone numbers; they go in `recipient`.
    const target = /^\d+$/.test(to) ? { to } : { recipient: to };
    const res = await this.call<{ messages?: Array<{ id: string }> }>('post', `/${this.opts.phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...target,
      ...body,
    });
    const id = res.messages?.[0]?.id;
    if (!id) throw new GraphApiError('send answered without a message id', 200, undefined, undefined, undefined);
    return { messageId: id };
  }

  /** Marks an inbound message as read (blue ticks). */
  async markRead(messageId: string): Promise<void> {
    await this.call('post', `/${this.opts.phoneNumberId}/messages`, { messaging_product: 'whatsapp', status: 'read', message_id: messageId });
  }

  /** Uploads a file and returns its media id. */
  async uploadMedia(data: Buffer, mimeType: string, fileName: string): Promise<string> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', mimeType);
    form.append('file', new Blob([new Uint8Array(data)], { type: mimeType }), fileName);
    const res = await this.call<{ id: string }>('post', `/${this.opts.phoneNumberId}/media`, form);
    return res.id;
  }

  /** Media metadata, including a short-lived download URL. */
  async getMediaInfo(mediaId: string): Promise<MediaInfo> {
    return this.call<MediaInfo>('get', `/${encodeURIComponent(mediaId)}`);
  }

  /** Downloads a media URL from {@link getMediaInfo} (same bearer token). */
  async downloadMedia(url: string): Promise<Buffer> {
    const data = await this.call<ArrayBuffer>('get', url, undefined, { responseType: 'arraybuffer' });
    return Buffer.from(data);
  }
}
