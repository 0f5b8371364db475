/**
 * A fake WhatsApp Cloud API (Graph API) server for tests.
 *
 * Point the service's own client at it through `WHATSAPP_API_BASE` = `fake.baseUrl`
 * (`http://127.0.0.1:PORT/v21.0`). It implements what a bot uses:
 *
 * - `POST /{version}/{phone-number-id}/messages`: text, interactive (button / list / others),
 *   image, document, audio, video, sticker, location, contacts, reaction, template, and the
 *   mark-as-read body `{ messaging_product, status: "read", message_id }`.
 * - `POST /{version}/{phone-number-id}/media`: multipart upload, answers `{ id }`.
 * - `GET /{version}/{media-id}`: media metadata with a short-lived `url` on this server;
 *   `GET` on that url (with the bearer token) returns the bytes. `DELETE /{version}/{media-id}`.
 *
 * Every request needs `Authorization: Bearer <token>`; a wrong or missing token answers HTTP 401
 * with Graph error code 190. Messages over the platform's limits are refused with error 131009
 * (HTTP 400), so a test catches a bot that would be refused in production. Errors use the Graph
 * shape `{ error: { message, type, code, error_subcode?, error_data: { messaging_product, details }, fbtrace_id } }`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';

/** A failure injected with {@link FakeWhatsApp.failNext}. */
export type WhatsAppFailure =
  /** 130429: Cloud API throughput reached (HTTP 400), with a `Retry-After` header when `retryAfter` (seconds) is given. */
  | { kind: 'throughput'; retryAfter?: number }
  /** HTTP 429 (code 80007, rate limit issues) with a `Retry-After` header of `retryAfter` seconds. */
  | { kind: 'tooManyRequests'; retryAfter: number }
  /** 131056: too many messages to the same user (pair rate limit, HTTP 400). */
  | { kind: 'pairRateLimit' }
  /** 131047: more than 24 hours since the user's last message; only templates allowed (HTTP 400). */
  | { kind: 'reEngagement' }
  /** 131026: message undeliverable (HTTP 400). */
  | { kind: 'undeliverable' }
  /** 190: access token expired (HTTP 401). */
  | { kind: 'tokenExpired' }
  /** HTTP 500 (code 1, unknown error) or 503 (code 2, service temporarily unavailable). */
  | { kind: 'server'; status?: 500 | 503 }
  /** Any other Graph error. */
  | { kind: 'graph'; status: number; code: number; message: string; details?: string; subcode?: number };

/** Restricts an injected failure to sends to one recipient. */
export interface WhatsAppFailureFilter {
  /** Matches the request's `to` (digits compared, `+` ignored) or `recipient` (BSUID). */
  to?: string;
}

/** One message the fake accepted (read receipts are kept apart in `readReceipts`). */
export interface WhatsAppSentMessage {
  /** `to` of the request (phone number / wa_id), when given. */
  to?: string;
  /** `recipient` of the request (business-scoped user id), when given. */
  recipient?: string;
  /** Message type: text, interactive, template, document, image, … */
  type: string;
  /** The full request body. */
  body: Record<string, unknown>;
  /** The `wamid.…` id the fake answered with (use it to build status webhooks). */
  id: string;
  /** `Date.now()` when received. */
  at: number;
}

/** A send the fake refused (injected failure, limit violation, bad token …). */
export interface WhatsAppRejectedRequest {
  path: string;
  body: unknown;
  status: number;
  /** Graph error code, e.g. 131009. */
  code: number;
  at: number;
}

/** A mark-as-read (or typing indicator) request. */
export interface WhatsAppReadReceipt {
  messageId: string;
  /** True when the body asked for a typing indicator too. */
  typingIndicator: boolean;
  body: Record<string, unknown>;
  at: number;
}

/** Media stored in the fake (uploaded by the bot or registered by the test). */
export interface FakeWhatsAppMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
  filename?: string;
}

/** Options for {@link startFakeWhatsApp}. */
export interface FakeWhatsAppOptions {
  /** Business phone number id in the path. Default `106540352242922`. */
  phoneNumberId?: string;
  /** Access token expected as `Authorization: Bearer …`. Default `fake-whatsapp-token`. */
  token?: string;
  /** Graph API version in the base URL. Default `v21.0`. Any `vNN.N` is accepted in requests. */
  version?: string;
}

/** Handle of a running fake WhatsApp Cloud API server. */
export interface FakeWhatsApp {
  /** `http://127.0.0.1:PORT/v21.0`, the value for `WHATSAPP_API_BASE`. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly phoneNumberId: string;
  readonly token: string;
  readonly version: string;
  /** Accepted messages, in order (read receipts excluded). */
  readonly messages: WhatsAppSentMessage[];
  /** Mark-as-read requests, in order. */
  readonly readReceipts: WhatsAppReadReceipt[];
  /** Refused requests (injected failures and validation errors), in order. */
  readonly rejected: WhatsAppRejectedRequest[];
  /** Media uploaded by the bot, in order. */
  readonly uploads: FakeWhatsAppMedia[];
  /** Accepted messages to one user (by `to`, digits compared, or by `recipient`). */
  sentTo(waId: string): WhatsAppSentMessage[];
  /** Text a user would see in each accepted message: text body, interactive body, caption, or template name. */
  sentTexts(waId?: string): string[];
  /** Forgets messages, receipts, rejections, uploads and pending failures (registered media stay). */
  clear(): void;
  /** Resolves once at least `count` messages were accepted; rejects after `timeoutMs` listing what was received. */
  waitForMessages(count: number, timeoutMs?: number): Promise<WhatsAppSentMessage[]>;
  /** Makes the next `times` sends (optionally only to one recipient) fail with `failure`. */
  failNext(failure: WhatsAppFailure, times?: number, filter?: WhatsAppFailureFilter): void;
  /**
   * The next `times` sends (optionally only to `to`) are never answered: the client times out.
   * With `deliver`, the message is accepted first (recorded in `messages` and `hung`), as when a
   * platform takes a message and the answer is lost.
   */
  hangNext(times?: number, opts?: { to?: string; deliver?: boolean }): void;
  /** Messages accepted whose answer never came back (`hangNext` with `deliver`). */
  readonly hung: WhatsAppSentMessage[];
  /** Closes the listening socket (and open connections): connections are refused until `acceptConnections`. */
  refuseConnections(): Promise<void>;
  /** Listens again on the same port. */
  acceptConnections(): Promise<void>;
  /** Registers inbound media the bot can fetch with `GET /{media-id}`. */
  addMedia(id: string, bytes: Buffer | string, mimeType: string): FakeWhatsAppMedia;
  /** Stops the server. */
  close(): Promise<void>;
}

interface PendingHang {
  remaining: number;
  to?: string;
  deliver: boolean;
}

interface PendingFailure {
  failure: WhatsAppFailure;
  remaining: number;
  to?: string;
}

interface GraphErrorSpec {
  status: number;
  code: number;
  message: string;
  type?: string;
  details?: string;
  subcode?: number;
  transient?: boolean;
  /** Seconds for a `Retry-After` header. */
  retryAfter?: number;
}

/** A Graph error, thrown inside handlers and turned into a response. */
class GraphError extends Error {
  constructor(readonly spec: GraphErrorSpec) {
    super(spec.message);
  }
}

function limitError(details: string): GraphError {
  return new GraphError({ status: 400, code: 131009, message: '(#131009) Parameter value is not valid', details });
}

function paramError(details: string): GraphError {
  return new GraphError({ status: 400, code: 100, message: `(#100) ${details}`, details });
}

function failureSpec(failure: WhatsAppFailure): GraphErrorSpec {
  switch (failure.kind) {
    case 'throughput':
      return {
        status: 400,
        code: 130429,
        message: '(#130429) Rate limit hit',
        details: 'Cloud API message throughput has been reached.',
        ...(failure.retryAfter !== undefined ? { retryAfter: failure.retryAfter } : {}),
      };
    case 'tooManyRequests':
      return { status: 429, code: 80007, message: '(#80007) Rate limit issues', retryAfter: failure.retryAfter };
    case 'pairRateLimit':
      return {
        status: 400,
        code: 131056,
        message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
        details: 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
      };
    case 'reEngagement':
      return {
        status: 400,
        code: 131047,
        message: '(#131047) Re-engagement message',
        details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      };
    case 'undeliverable':
      return { status: 400, code: 131026, message: '(#131026) Message undeliverable', details: 'Message Undeliverable.' };
    case 'tokenExpired':
      return {
        status: 401,
        code: 190,
        subcode: 463,
        message: 'Error validating access token: Session has expired.',
      };
    case 'server':
      return failure.status === 503
        ? { status: 503, code: 2, message: 'Service temporarily unavailable', transient: true }
        : { status: 500, code: 1, message: 'An unknown error occurred', transient: true };
    case 'graph': {
      const spec: GraphErrorSpec = { status: failure.status, code: failure.code, message: failure.message };
      if (failure.details !== undefined) spec.details = failure.details;
      if (failure.subcode !== undefined) spec.subcode = failure.subcode;
      return spec;
    }
  }
}

function errorBody(spec: GraphErrorSpec): Record<string, unknown> {
  const error: Record<string, unknown> = {
    message: spec.message,
    type: spec.type ?? 'OAuthException',
    code: spec.code,
  };
  if (spec.subcode !== undefined) error['error_subcode'] = spec.subcode;
  if (spec.transient) error['is_transient'] = true;
  if (spec.details !== undefined) error['error_data'] = { messaging_product: 'whatsapp', details: spec.details };
  error['fbtrace_id'] = randomBytes(9).toString('base64url');
  return { error };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Characters as a user sees them (code points), which is how the limits are counted here. */
function charCount(text: string): number {
  return Array.from(text).length;
}

function digits(value: string): string {
  return value.replace(/\D/g, '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function newWamid(seed: string): string {
  const inner = Buffer.concat([Buffer.from(seed || 'fake'), Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]), randomBytes(12)]);
  return `wamid.HBgM${inner.toString('base64')}`;
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw paramError(`The parameter ${name} is required.`);
  return value;
}

function checkMax(value: unknown, max: number, what: string): void {
  if (typeof value === 'string' && charCount(value) > max) {
    throw limitError(`${what} is too long: ${charCount(value)} characters, at most ${max} allowed.`);
  }
}

function checkMediaObject(body: Record<string, unknown>, type: string, captionAllowed: boolean): void {
  const media = body[type];
  if (!isRecord(media)) throw paramError(`The parameter ${type} is required.`);
  if (typeof media['id'] !== 'string' && typeof media['link'] !== 'string') {
    throw paramError(`Param ${type} must contain either id or link.`);
  }
  if (captionAllowed) checkMax(media['caption'], 1024, `${type}.caption`);
  else if (media['caption'] !== undefined) throw paramError(`Param ${type}['caption'] is not allowed for ${type} messages.`);
}

function checkInteractive(body: Record<string, unknown>): void {
  const interactive = body['interactive'];
  if (!isRecord(interactive)) throw paramError('The parameter interactive is required.');
  const kind = requireString(interactive['type'], 'interactive.type');
  const bodyObj = interactive['body'];
  if (isRecord(bodyObj)) {
    checkMax(bodyObj['text'], 1024, 'interactive.body.text');
  }
  const header = interactive['header'];
  if (isRecord(header) && header['type'] === 'text') checkMax(header['text'], 60, 'interactive.header.text');
  const footer = interactive['footer'];
  if (isRecord(footer)) checkMax(footer['text'], 60, 'interactive.footer.text');
  const action = interactive['action'];
  if (kind === 'button' || kind === 'list') {
    if (!isRecord(bodyObj) || typeof bodyObj['text'] !== 'string' || bodyObj['text'] === '') {
      throw paramError('The parameter interactive[\'body\'][\'text\'] is required.');
    }
    if (!isRecord(action)) throw paramError('The parameter interactive[\'action\'] is required.');
  }
  if (kind === 'button' && isRecord(action)) {
    const buttons = action['buttons'];
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
      throw limitError(`Reply buttons: ${Array.isArray(buttons) ? buttons.length : 0} given, 1 to 3 allowed.`);
    }
    const titles = new Set<string>();
    const ids = new Set<string>();
    for (const button of buttons) {
      const reply = isRecord(button) ? button['reply'] : undefined;
      if (!isRecord(button) || button['type'] !== 'reply' || !isRecord(reply)) {
        throw paramError('Each button must be {type: "reply", reply: {id, title}}.');
      }
      const title = requireString(reply['title'], 'button title');
      const id = requireString(reply['id'], 'button id');
      checkMax(title, 20, 'Button title');
      checkMax(id, 256, 'Button id');
      if (titles.has(title)) throw limitError(`Button titles must be unique: "${title}" is repeated.`);
      if (ids.has(id)) throw limitError(`Button ids must be unique: "${id}" is repeated.`);
      titles.add(title);
      ids.add(id);
    }
  }
  if (kind === 'list' && isRecord(action)) {
    const label = requireString(action['button'], 'interactive.action.button');
    checkMax(label, 20, 'List button label');
    const sections = action['sections'];
    if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
      throw limitError(`List sections: ${Array.isArray(sections) ? sections.length : 0} given, 1 to 10 allowed.`);
    }
    let rowCount = 0;
    const rowIds = new Set<string>();
    for (const section of sections) {
      if (!isRecord(section) || !Array.isArray(section['rows'])) throw paramError('Each section needs rows.');
      if (sections.length > 1) requireString(section['title'], 'section title (required with several sections)');
      checkMax(section['title'], 24, 'Section title');
      for (const row of section['rows']) {
        if (!isRecord(row)) throw paramError('Each row must be an object.');
        rowCount += 1;
        const id = requireString(row['id'], 'row id');
        checkMax(requireString(row['title'], 'row title'), 24, 'Row title');
        checkMax(row['description'], 72, 'Row description');
        checkMax(id, 200, 'Row id');
        if (rowIds.has(id)) throw limitError(`Row ids must be unique: "${id}" is repeated.`);
        rowIds.add(id);
      }
    }
    if (rowCount < 1 || rowCount > 10) throw limitError(`List rows: ${rowCount} given in total, 1 to 10 allowed.`);
  }
}

/** Validates a send body the way the platform would; throws a {@link GraphError} when it would refuse it. */
function validateSend(body: Record<string, unknown>): string {
  const type = typeof body['type'] === 'string' ? body['type'] : 'text';
  switch (type) {
    case 'text': {
      const text = body['text'];
      if (!isRecord(text)) throw paramError('The parameter text is required.');
      const content = requireString(text['body'], "text['body']");
      if (charCount(content) > 4096) throw limitError(`Message text is too long: ${charCount(content)} characters, at most 4096 allowed.`);
      return type;
    }
    case 'interactive':
      checkInteractive(body);
      return type;
    case 'image':
    case 'video':
    case 'document':
      checkMediaObject(body, type, true);
      return type;
    case 'audio':
    case 'sticker':
      checkMediaObject(body, type, false);
      return type;
    case 'template': {
      const template = body['template'];
      if (!isRecord(template)) throw paramError('The parameter template is required.');
      requireString(template['name'], "template['name']");
      const language = template['language'];
      if (!isRecord(language)) throw paramError("The parameter template['language'] is required.");
      requireString(language['code'], "template['language']['code']");
      return type;
    }
    case 'location': {
      const location = body['location'];
      if (!isRecord(location) || location['latitude'] === undefined || location['longitude'] === undefined) {
        throw paramError('The parameter location[latitude] and location[longitude] are required.');
      }
      return type;
    }
    case 'contacts':
      if (!Array.isArray(body['contacts']) || body['contacts'].length === 0) throw paramError('The parameter contacts is required.');
      return type;
    case 'reaction': {
      const reaction = body['reaction'];
      if (!isRecord(reaction)) throw paramError('The parameter reaction is required.');
      requireString(reaction['message_id'], "reaction['message_id']");
      return type;
    }
    default:
      throw paramError(`Param type must be one of {AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO} - got "${type}".`);
  }
}

/** The request body for the `rejected` record: parsed JSON when possible. */
function describeBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return `<${raw.length} bytes>`;
  }
}

/** What the user reads in a sent message, for {@link FakeWhatsApp.sentTexts}. */
function visibleText(message: WhatsAppSentMessage): string | undefined {
  const body = message.body;
  const part = body[message.type];
  if (!isRecord(part)) return undefined;
  switch (message.type) {
    case 'text':
      return typeof part['body'] === 'string' ? part['body'] : undefined;
    case 'interactive': {
      const inner = part['body'];
      return isRecord(inner) && typeof inner['text'] === 'string' ? inner['text'] : undefined;
    }
    case 'template':
      return typeof part['name'] === 'string' ? part['name'] : undefined;
    default:
      return typeof part['caption'] === 'string' ? part['caption'] : undefined;
  }
}

/** Starts a fake WhatsApp Cloud API server on 127.0.0.1 (random port). */
export async function startFakeWhatsApp(opts: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
  const phoneNumberId = opts.phoneNumberId ?? '106540352242922';
  const token = opts.token ?? 'fake-whatsapp-token';
  const version = opts.version ?? 'v21.0';

  const messages: WhatsAppSentMessage[] = [];
  const readReceipts: WhatsAppReadReceipt[] = [];
  const rejected: WhatsAppRejectedRequest[] = [];
  const uploads: FakeWhatsAppMedia[] = [];
  const media = new Map<string, FakeWhatsAppMedia>();
  let failures: PendingFailure[] = [];
  let hangs: PendingHang[] = [];
  const hung: WhatsAppSentMessage[] = [];
  let origin = '';

  function storeMedia(id: string, bytes: Buffer, mimeType: string, filename?: string): FakeWhatsAppMedia {
    const item: FakeWhatsAppMedia = { id, bytes, mimeType, sha256: createHash('sha256').update(bytes).digest('hex') };
    if (filename !== undefined) item.filename = filename;
    media.set(id, item);
    return item;
  }

  function authorised(req: http.IncomingMessage): boolean {
    return req.headers['authorization'] === `Bearer ${token}`;
  }

  function takeFailure(body: Record<string, unknown>): WhatsAppFailure | undefined {
    const to = typeof body['to'] === 'string' ? digits(body['to']) : undefined;
    const recipient = typeof body['recipient'] === 'string' ? body['recipient'] : undefined;
    const pending = failures.find(
      (f) => f.to === undefined || (to !== undefined && to !== '' && digits(f.to) === to) || f.to === recipient,
    );
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) failures = failures.filter((f) => f !== pending);
    return pending.failure;
  }

  function takeHang(body: Record<string, unknown>): PendingHang | undefined {
    const to = typeof body['to'] === 'string' ? digits(body['to']) : undefined;
    const pending = hangs.find((h) => h.to === undefined || (to !== undefined && digits(h.to) === to));
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) hangs = hangs.filter((h) => h !== pending);
    return pending;
  }

  function unknownObject(id: string, verb: 'get' | 'post' | 'delete'): GraphError {
    return new GraphError({
      status: 400,
      code: 100,
      subcode: 33,
      type: 'GraphMethodException',
      message: `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    });
  }

  async function postMessages(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
    let parsed: unknown;
    try {
      parsed = contentType.includes('application/json') || contentType === '' ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed)) throw paramError('The request body must be a JSON object (content-type application/json).');
    const body = parsed;
    if (body['messaging_product'] !== 'whatsapp') throw paramError('The parameter messaging_product is required.');

    if (body['status'] === 'read') {
      const messageId = requireString(body['message_id'], 'message_id');
      readReceipts.push({ messageId, typingIndicator: isRecord(body['typing_indicator']), body, at: Date.now() });
      return { success: true };
    }

    const to = typeof body['to'] === 'string' && body['to'] !== '' ? body['to'] : undefined;
    const recipient = typeof body['recipient'] === 'string' && body['recipient'] !== '' ? body['recipient'] : undefined;
    if (to === undefined && recipient === undefined) throw paramError('The parameter to is required.');
    const type = validateSend(body);

    const hang = takeHang(body);
    if (hang && !hang.deliver) return new Promise<never>(() => undefined); // never answered

    const failure = hang ? undefined : takeFailure(body);
    if (failure) throw new GraphError(failureSpec(failure));

    const id = newWamid(to ? digits(to) : (recipient ?? ''));
    const record: WhatsAppSentMessage = { type, body, id, at: Date.now() };
    if (to !== undefined) record.to = to;
    if (recipient !== undefined) record.recipient = recipient;
    messages.push(record);
    if (hang) {
      // Accepted (the person gets it), but the answer never comes back.
      hung.push(record);
      return new Promise<never>(() => undefined);
    }

    const contact: Record<string, unknown> = to !== undefined ? { input: to, wa_id: digits(to) } : { input: recipient, user_id: recipient };
    const sent: Record<string, unknown> = { id };
    if (type === 'template') sent['message_status'] = 'accepted';
    return { messaging_product: 'whatsapp', contacts: [contact], messages: [sent] };
  }

  async function postMedia(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
    if (!contentType.includes('multipart/form-data')) throw paramError('Media upload must be multipart/form-data.');
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    if (form.get('messaging_product') !== 'whatsapp') throw paramError('The parameter messaging_product is required.');
    const file = form.get('file');
    if (file === null || typeof file === 'string') throw paramError('The parameter file is required.');
    const declared = form.get('type');
    const mimeType = typeof declared === 'string' && declared !== '' ? declared : file.type;
    if (!mimeType) throw paramError('The parameter type is required.');
    const bytes = Buffer.from(await file.arrayBuffer());
    const id = (1000000000000000n + (BigInt(`0x${randomBytes(8).toString('hex')}`) % 8999999999999999n)).toString();
    const item = storeMedia(id, bytes, mimeType, file.name || undefined);
    uploads.push(item);
    return { id };
  }

  async function route(req: http.IncomingMessage, url: URL, raw: Buffer): Promise<{ status: number; json?: unknown; bytes?: Buffer; contentType?: string }> {
    const contentType = String(req.headers['content-type'] ?? '');

    // Media download URL (like lookaside.fbsbx.com): needs the same bearer token.
    if (url.pathname === '/whatsapp_business/attachments/' && req.method === 'GET') {
      if (!authorised(req)) throw new GraphError({ status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
      const item = media.get(url.searchParams.get('mid') ?? '');
      if (!item) return { status: 404, bytes: Buffer.from('Not Found'), contentType: 'text/plain' };
      return { status: 200, bytes: item.bytes, contentType: item.mimeType };
    }

    const match = /^\/(v\d+\.\d+)\/([^/]+)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!match) {
      throw new GraphError({ status: 400, code: 2500, message: `Unknown path components: ${url.pathname}` });
    }
    if (!authorised(req)) {
      throw new GraphError({ status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    }
    const objectId = match[2] ?? '';
    const edge = match[3];

    if (edge === undefined) {
      const item = media.get(objectId);
      if (req.method === 'GET') {
        if (!item) throw unknownObject(objectId, 'get');
        const ext = item.mimeType.split('/')[1]?.split(';')[0] ?? 'bin';
        const hash = randomBytes(8).toString('hex');
        return {
          status: 200,
          json: {
            messaging_product: 'whatsapp',
            url: `${origin}/whatsapp_business/attachments/?mid=${encodeURIComponent(item.id)}&ext=${ext}&hash=${hash}`,
            mime_type: item.mimeType,
            sha256: item.sha256,
            file_size: item.bytes.length,
            id: item.id,
          },
        };
      }
      if (req.method === 'DELETE') {
        if (!item) throw unknownObject(objectId, 'delete');
        media.delete(objectId);
        return { status: 200, json: { success: true } };
      }
      throw unknownObject(objectId, 'post');
    }

    if (req.method !== 'POST' || (edge !== 'messages' && edge !== 'media')) {
      throw new GraphError({ status: 400, code: 2500, message: `Unknown path components: /${edge}` });
    }
    if (objectId !== phoneNumberId) throw unknownObject(objectId, 'post');
    if (edge === 'messages') return { status: 200, json: await postMessages(raw, contentType) };
    return { status: 200, json: await postMedia(raw, contentType) };
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let raw: Buffer = Buffer.alloc(0);
    readBody(req)
      .then((body) => {
        raw = body;
        return route(req, url, body);
      })
      .then(
      (answer) => {
        if (answer.bytes) {
          res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/octet-stream', 'content-length': answer.bytes.length });
          res.end(answer.bytes);
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.json));
      },
      (err: unknown) => {
        const spec: GraphErrorSpec =
          err instanceof GraphError
            ? err.spec
            : { status: 400, code: 100, message: `(#100) ${err instanceof Error ? err.message : String(err)}` };
        rejected.push({ path: url.pathname, body: describeBody(raw), status: spec.status, code: spec.code, at: Date.now() });
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (spec.status === 401) headers['www-authenticate'] = 'OAuth "Facebook Platform" "invalid_token"';
        if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
        res.writeHead(spec.status, headers);
        res.end(JSON.stringify(errorBody(spec)));
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${address.port}`;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });

  function sentTo(waId: string): WhatsAppSentMessage[] {
    const wanted = digits(waId);
    return messages.filter((m) => (m.to !== undefined && wanted !== '' && digits(m.to) === wanted) || m.recipient === waId);
  }

  return {
    baseUrl: `${origin}/${version}`,
    origin,
    phoneNumberId,
    token,
    version,
    messages,
    readReceipts,
    rejected,
    uploads,
    sentTo,
    sentTexts(waId) {
      const list = waId === undefined ? messages : sentTo(waId);
      return list.flatMap((m) => {
        const text = visibleText(m);
        return text === undefined ? [] : [text];
      });
    },
    clear() {
      messages.length = 0;
      readReceipts.length = 0;
      rejected.length = 0;
      uploads.length = 0;
      hung.length = 0;
      failures = [];
      hangs = [];
    },
    async waitForMessages(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (messages.length >= count) return [...messages];
        if (Date.now() >= deadline) {
          const got = messages.map((m) => `  ${m.type} to ${m.to ?? m.recipient ?? '?'}: ${JSON.stringify(visibleText(m) ?? '').slice(0, 120)}`).join('\n');
          const refused = rejected.map((r) => `  ${r.path} → HTTP ${r.status} code ${r.code}`).join('\n');
          throw new Error(
            `fake WhatsApp: expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}` +
              `${got ? `:\n${got}` : '.'}` +
              `\nRead receipts: ${readReceipts.length}. Refused requests: ${rejected.length}${refused ? `\n${refused}` : ''}`,
          );
        }
        await sleep(10);
      }
    },
    failNext(failure, times = 1, filter) {
      const pending: PendingFailure = { failure, remaining: times };
      if (filter?.to !== undefined) pending.to = filter.to;
      failures.push(pending);
    },
    hung,
    hangNext(times = 1, opts = {}) {
      const pending: PendingHang = { remaining: times, deliver: opts.deliver ?? false };
      if (opts.to !== undefined) pending.to = opts.to;
      hangs.push(pending);
    },
    async refuseConnections() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    acceptConnections: listen,
    addMedia(id, bytes, mimeType) {
      return storeMedia(id, typeof bytes === 'string' ? Buffer.from(bytes) : bytes, mimeType);
    },
    async close() {
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
