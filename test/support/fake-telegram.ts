/**
 * A fake Telegram Bot API server for tests.
 *
 * Point the real telegraf client at it with `telegram: { apiRoot: fake.apiRoot }` (or the
 * `TELEGRAM_API_ROOT` env var). Requests arrive at `${apiRoot}/bot${token}/${method}` as JSON,
 * urlencoded or multipart bodies (telegraf uses multipart for uploads); files download from
 * `${apiRoot}/file/bot${token}/${file_path}`.
 *
 * Answers follow the Bot API envelope: `{ ok: true, result }` or
 * `{ ok: false, error_code, description, parameters? }`. Limits a bot could exceed (text length,
 * caption length, callback_data bytes) are checked like the platform does, so tests catch them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/** A failure the fake answers instead of a normal result. */
export type TelegramFailure =
  /** HTTP 429 with `parameters.retry_after` (seconds). */
  | { kind: 'rateLimited'; retryAfter: number }
  /** HTTP 403 "Forbidden: bot was blocked by the user". */
  | { kind: 'blocked' }
  /** HTTP 5xx (default 500). telegraf reports these with the status text. */
  | { kind: 'server'; status?: number }
  /** HTTP 400 with the given description (e.g. "Bad Request: chat not found"). */
  | { kind: 'badRequest'; description: string };

/** Restricts an injected failure to calls for one chat. */
export interface TelegramFailureFilter {
  /** Only calls whose `chat_id` equals this (compared as strings). */
  chatId?: number | string;
}

/** One recorded Bot API call (every call is recorded, including failed and injected ones). */
export interface TelegramCall {
  /** Bot API method name, e.g. `sendMessage`. */
  method: string;
  /** Parameters after parsing: JSON fields such as `reply_markup` are objects, numeric ids are numbers, uploads are {@link UploadedFile}. */
  params: Record<string, unknown>;
  /** `Date.now()` when the request was received. */
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
}

/** A file the bot uploaded in a multipart request. */
export interface UploadedFile {
  upload: true;
  filename: string;
  mimeType: string;
  size: number;
  bytes: Buffer;
}

/** A file the fake can serve through `getFile` and the download route. */
export interface FakeTelegramFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
  bytes: Buffer;
}

/** Webhook state as set by `setWebhook`. */
export interface FakeWebhookState {
  url: string;
  secretToken?: string;
  allowedUpdates?: unknown;
  maxConnections?: number;
}

/** Options for {@link startFakeTelegram}. */
export interface FakeTelegramOptions {
  /** Bot token; its numeric prefix becomes the bot's user id. Default `123456789:AAFakeTokenForTests_0123456789abcdefgh`. */
  token?: string;
  /** Bot username returned by getMe. Default `sapa_gajahmungkur_test_bot`. */
  username?: string;
}

/** Handle of a running fake Telegram Bot API server. */
export interface FakeTelegram {
  /** `http://127.0.0.1:PORT`, to use as telegraf's `apiRoot`. */
  readonly apiRoot: string;
  /** The token the fake accepts. Other tokens get 401 Unauthorized. */
  readonly token: string;
  /** The bot's own user object (also the `from` of every sent message). */
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string };
  /** Every call received, in order. */
  readonly calls: TelegramCall[];
  /** Calls of one method. */
  callsOf(method: string): TelegramCall[];
  /**
   * Texts the bot made the user see, in order: `sendMessage` and `editMessageText` texts and
   * `sendPhoto`/`sendDocument` captions of successful calls, optionally for one chat.
   */
  sentTexts(chatId?: number | string): string[];
  /** Forgets recorded calls and pending failures (not queued updates, files or webhook state). */
  clear(): void;
  /** Resolves with the calls once at least `count` calls of `method` were received; rejects after `timeoutMs` listing what was received. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<TelegramCall[]>;
  /** Makes the next `times` calls of `method` (optionally only for one chat) fail with `failure`. */
  failNext(method: string, failure: TelegramFailure, times?: number, filter?: TelegramFailureFilter): void;
  /** Queues an update for `getUpdates` (polling mode). Chats seen in updates are echoed in replies. */
  queueUpdate(update: object): void;
  /** Updates queued and not yet confirmed by a later `offset`. */
  pendingUpdates(): object[];
  /** Current webhook state, or undefined when none is set. */
  webhook(): FakeWebhookState | undefined;
  /**
   * Posts an update to the webhook the bot registered with `setWebhook`, with its secret token
   * header, like Telegram does. Rejects when no webhook is set.
   */
  deliverWebhook(update: object): Promise<{ status: number; body: string }>;
  /** Registers a downloadable file (for `getFile` and the file route). */
  addFile(fileId: string, bytes: Buffer | string, opts?: { filePath?: string; fileUniqueId?: string }): FakeTelegramFile;
  /** Closes the listening socket (and open connections): connections are refused until `acceptConnections`. */
  refuseConnections(): Promise<void>;
  /** Listens again on the same port. */
  acceptConnections(): Promise<void>;
  /** Stops the server, ending pending long polls. */
  close(): Promise<void>;
}

const DEFAULT_TOKEN = '123456789:AAFakeTokenForTests_0123456789abcdefgh';
/** Longest time a `getUpdates` call is held open when nothing is queued. */
const MAX_POLL_WAIT_MS = 200;
/** Fields that carry JSON when sent urlencoded or multipart. */
const JSON_FIELDS = new Set([
  'reply_markup',
  'entities',
  'caption_entities',
  'allowed_updates',
  'link_preview_options',
  'reply_parameters',
  'media',
  'commands',
  'scope',
]);
/** Fields that are numbers in the Bot API but arrive as strings in form bodies. */
const NUMERIC_FIELDS = new Set([
  'chat_id',
  'message_id',
  'reply_to_message_id',
  'message_thread_id',
  'offset',
  'limit',
  'timeout',
  'latitude',
  'longitude',
  'horizontal_accuracy',
  'live_period',
  'heading',
  'proximity_alert_radius',
  'cache_time',
  'max_connections',
]);

interface PendingFailure {
  method: string;
  failure: TelegramFailure;
  remaining: number;
  chatId?: string;
}

interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

class BotApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
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

/** Turns a form value into what the JSON body would have held. */
function normaliseFormValue(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  if (NUMERIC_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Parses a JSON, urlencoded or multipart body into Bot API parameters. */
async function parseParams(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) params[key] = normaliseFormValue(key, value);
  const raw = await readBody(req);
  if (raw.length === 0) return params;
  const contentType = String(req.headers['content-type'] ?? '');
  if (contentType.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (!isRecord(parsed)) throw new BotApiError(400, 'Bad Request: invalid JSON body');
    return { ...params, ...parsed };
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
      params[key] = normaliseFormValue(key, value);
    }
    return params;
  }
  if (contentType.includes('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        params[key] = normaliseFormValue(key, value);
      } else {
        const bytes = Buffer.from(await value.arrayBuffer());
        const file: UploadedFile = {
          upload: true,
          filename: value.name,
          mimeType: value.type || 'application/octet-stream',
          size: bytes.length,
          bytes,
        };
        params[key] = file;
      }
    }
    return params;
  }
  throw new BotApiError(400, `Bad Request: unsupported content-type ${contentType}`);
}

function isUploadedFile(value: unknown): value is UploadedFile {
  return isRecord(value) && value['upload'] === true && Buffer.isBuffer(value['bytes']);
}

/** Length Telegram checks against its limits: text after entity parsing, in UTF-16 units. */
function visibleLength(text: string, parseMode: unknown): number {
  if (parseMode === 'HTML') {
    const stripped = text
      .replace(/<[^>]*>/g, '')
      .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, '_');
    return stripped.length;
  }
  if (parseMode === 'MarkdownV2' || parseMode === 'Markdown') {
    // Rough: drop escapes and formatting markers; good enough to avoid false positives.
    return text.replace(/\\(.)/g, '$1').replace(/[*_~`|]/g, '').length;
  }
  return text.length;
}

/** Collects callback_data values of an inline keyboard, if any. */
function callbackDataOf(markup: unknown): string[] {
  if (!isRecord(markup) || !Array.isArray(markup['inline_keyboard'])) return [];
  const out: string[] = [];
  for (const row of markup['inline_keyboard']) {
    if (!Array.isArray(row)) continue;
    for (const button of row) {
      if (isRecord(button) && typeof button['callback_data'] === 'string') out.push(button['callback_data']);
    }
  }
  return out;
}

function checkReplyMarkup(markup: unknown): void {
  if (markup === undefined) return;
  if (!isRecord(markup)) throw new BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  if (Array.isArray(markup['inline_keyboard'])) {
    for (const row of markup['inline_keyboard']) {
      if (!Array.isArray(row)) throw new BotApiError(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const button of row) {
        if (!isRecord(button) || typeof button['text'] !== 'string' || button['text'] === '') {
          throw new BotApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
        }
      }
    }
  }
  for (const data of callbackDataOf(markup)) {
    const bytes = Buffer.byteLength(data, 'utf8');
    if (bytes < 1 || bytes > 64) throw new BotApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
  }
}

function checkText(text: unknown, parseMode: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') throw new BotApiError(400, 'Bad Request: message text is empty');
  if (visibleLength(text, parseMode) > 4096) throw new BotApiError(400, 'Bad Request: message is too long');
  return text;
}

function checkCaption(caption: unknown, parseMode: unknown): void {
  if (typeof caption === 'string' && visibleLength(caption, parseMode) > 1024) {
    throw new BotApiError(400, 'Bad Request: message caption is too long');
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts a fake Telegram Bot API server on 127.0.0.1 (random port). */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = opts.token ?? DEFAULT_TOKEN;
  const botId = Number(token.split(':')[0]) || 123456789;
  const botUser = {
    id: botId,
    is_bot: true as const,
    first_name: 'Sapa Gajahmungkur',
    username: opts.username ?? 'sapa_gajahmungkur_test_bot',
  };

  const calls: TelegramCall[] = [];
  let failures: PendingFailure[] = [];
  let updates: Array<{ update_id: number } & Record<string, unknown>> = [];
  const updateWaiters = new Set<() => void>();
  const chats = new Map<string, Record<string, unknown>>();
  /** Messages the bot sent or that appeared in updates, keyed by `${chatId}:${messageId}`. */
  const messages = new Map<string, Record<string, unknown>>();
  const files = new Map<string, FakeTelegramFile>();
  let webhookState: FakeWebhookState | undefined;
  let lastMessageId = 1000;

  function chatFor(chatId: unknown): Record<string, unknown> {
    if (typeof chatId !== 'number' && typeof chatId !== 'string') throw new BotApiError(400, 'Bad Request: chat_id is empty');
    const key = String(chatId);
    const known = chats.get(key);
    if (known) return known;
    if (typeof chatId === 'string' && chatId.startsWith('@')) {
      return { id: -1001000000000, type: 'channel', title: chatId.slice(1), username: chatId.slice(1) };
    }
    const id = Number(chatId);
    if (!Number.isInteger(id) || id === 0) throw new BotApiError(400, 'Bad Request: chat not found');
    if (id > 0) return { id, type: 'private', first_name: 'Pengguna' };
    if (id <= -1000000000000) return { id, type: 'supergroup', title: 'Grup' };
    return { id, type: 'group', title: 'Grup' };
  }

  /** Remembers chats and messages from a queued or delivered update, so replies echo real chats. */
  function learnFromUpdate(update: object): void {
    for (const value of Object.values(update)) {
      if (!isRecord(value)) continue;
      const message = isRecord(value['message']) ? value['message'] : value;
      const chat = message['chat'];
      if (isRecord(chat) && (typeof chat['id'] === 'number' || typeof chat['id'] === 'string')) {
        chats.set(String(chat['id']), chat);
        if (typeof message['message_id'] === 'number') messages.set(`${String(chat['id'])}:${message['message_id']}`, message);
      }
    }
  }

  function newMessage(params: Record<string, unknown>, content: Record<string, unknown>): Record<string, unknown> {
    const chat = chatFor(params['chat_id']);
    lastMessageId += 1;
    const message: Record<string, unknown> = {
      message_id: lastMessageId,
      from: botUser,
      chat,
      date: nowSeconds(),
      ...content,
    };
    const markup = params['reply_markup'];
    // Telegram only echoes inline keyboards in the returned Message.
    if (isRecord(markup) && Array.isArray(markup['inline_keyboard'])) message['reply_markup'] = markup;
    messages.set(`${String(chat['id'])}:${lastMessageId}`, message);
    return message;
  }

  function fileIdFor(kind: string): { file_id: string; file_unique_id: string } {
    return {
      file_id: `${kind}-${randomBytes(12).toString('base64url')}`,
      file_unique_id: randomBytes(8).toString('base64url'),
    };
  }

  /** Handles an uploaded or referenced file field; registers uploads for getFile. */
  function fileField(params: Record<string, unknown>, field: string, kind: string): { ids: { file_id: string; file_unique_id: string }; upload?: UploadedFile } {
    const value = params[field];
    if (isUploadedFile(value)) {
      const ids = fileIdFor(kind);
      files.set(ids.file_id, {
        ...ids,
        file_size: value.size,
        file_path: `${kind}s/file_${files.size}${extensionOf(value.filename)}`,
        bytes: value.bytes,
      });
      return { ids, upload: value };
    }
    if (typeof value === 'string' && value !== '') {
      const known = files.get(value);
      if (known) return { ids: { file_id: known.file_id, file_unique_id: known.file_unique_id } };
      if (/^https?:\/\//.test(value)) return { ids: fileIdFor(kind) };
      // Any other string is taken as a file_id Telegram knows.
      return { ids: { file_id: value, file_unique_id: randomBytes(8).toString('base64url') } };
    }
    throw new BotApiError(400, `Bad Request: there is no ${field} in the request`);
  }

  function findMessage(params: Record<string, unknown>): Record<string, unknown> | undefined {
    const key = `${String(params['chat_id'])}:${String(params['message_id'])}`;
    return messages.get(key);
  }

  /** Edits a message; unknown messages are accepted (the test may have built them) and synthesised. */
  function editMessage(params: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> | true {
    if (params['inline_message_id'] !== undefined) return true;
    if (params['message_id'] === undefined) throw new BotApiError(400, 'Bad Request: message identifier is not specified');
    const existing = findMessage(params);
    const before = existing ?? {
      message_id: Number(params['message_id']),
      from: botUser,
      chat: chatFor(params['chat_id']),
      date: nowSeconds(),
    };
    const markup = params['reply_markup'];
    const after: Record<string, unknown> = { ...before, ...change, edit_date: nowSeconds() };
    if (isRecord(markup) && Array.isArray(markup['inline_keyboard'])) after['reply_markup'] = markup;
    else delete after['reply_markup'];
    if (existing) {
      const sameText = JSON.stringify(existing['text']) === JSON.stringify(after['text']);
      const sameMarkup = JSON.stringify(existing['reply_markup']) === JSON.stringify(after['reply_markup']);
      if (sameText && sameMarkup) {
        throw new BotApiError(
          400,
          'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      }
    }
    messages.set(`${String(params['chat_id'])}:${String(params['message_id'])}`, after);
    return after;
  }

  async function getUpdates(params: Record<string, unknown>): Promise<unknown> {
    if (webhookState) {
      throw new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = typeof params['offset'] === 'number' ? params['offset'] : undefined;
    if (offset !== undefined && offset > 0) updates = updates.filter((u) => u.update_id >= offset);
    const limit = typeof params['limit'] === 'number' && params['limit'] > 0 ? Math.min(params['limit'], 100) : 100;
    const timeoutSeconds = typeof params['timeout'] === 'number' ? params['timeout'] : 0;
    if (updates.length === 0 && timeoutSeconds > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          updateWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(timeoutSeconds * 1000, MAX_POLL_WAIT_MS));
        updateWaiters.add(done);
      });
    }
    return updates.slice(0, limit);
  }

  async function dispatch(method: string, params: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return { ...botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'logOut':
      case 'close':
        return true;
      case 'setWebhook': {
        const url = params['url'];
        if (typeof url !== 'string') throw new BotApiError(400, 'Bad Request: bad webhook: URL must be provided');
        if (url === '') {
          webhookState = undefined;
          return true;
        }
        const secret = params['secret_token'];
        if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
          throw new BotApiError(400, 'Bad Request: secret token contains unallowed characters');
        }
        webhookState = { url };
        if (typeof secret === 'string') webhookState.secretToken = secret;
        if (params['allowed_updates'] !== undefined) webhookState.allowedUpdates = params['allowed_updates'];
        if (typeof params['max_connections'] === 'number') webhookState.maxConnections = params['max_connections'];
        if (params['drop_pending_updates'] === true) updates = [];
        return true;
      }
      case 'deleteWebhook':
        webhookState = undefined;
        if (params['drop_pending_updates'] === true) updates = [];
        return true;
      case 'getWebhookInfo': {
        const info: Record<string, unknown> = {
          url: webhookState?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: updates.length,
        };
        if (webhookState?.maxConnections !== undefined) info['max_connections'] = webhookState.maxConnections;
        if (webhookState?.allowedUpdates !== undefined) info['allowed_updates'] = webhookState.allowedUpdates;
        return info;
      }
      case 'getUpdates':
        return getUpdates(params);
      case 'sendMessage': {
        const text = checkText(params['text'], params['parse_mode']);
        checkReplyMarkup(params['reply_markup']);
        const content: Record<string, unknown> = { text };
        if (Array.isArray(params['entities'])) content['entities'] = params['entities'];
        return newMessage(params, content);
      }
      case 'editMessageText': {
        const text = checkText(params['text'], params['parse_mode']);
        checkReplyMarkup(params['reply_markup']);
        return editMessage(params, { text });
      }
      case 'editMessageReplyMarkup':
        checkReplyMarkup(params['reply_markup']);
        return editMessage(params, {});
      case 'deleteMessage':
        if (params['message_id'] === undefined) throw new BotApiError(400, 'Bad Request: message identifier is not specified');
        chatFor(params['chat_id']);
        messages.delete(`${String(params['chat_id'])}:${String(params['message_id'])}`);
        return true;
      case 'answerCallbackQuery': {
        const id = params['callback_query_id'];
        if (typeof id !== 'string' && typeof id !== 'number') throw new BotApiError(400, 'Bad Request: QUERY_ID_INVALID');
        if (typeof params['text'] === 'string' && params['text'].length > 200) throw new BotApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
        return true;
      }
      case 'sendChatAction':
        chatFor(params['chat_id']);
        if (typeof params['action'] !== 'string') throw new BotApiError(400, 'Bad Request: wrong parameter action in request');
        return true;
      case 'sendLocation': {
        const latitude = params['latitude'];
        const longitude = params['longitude'];
        if (typeof latitude !== 'number' || typeof longitude !== 'number') throw new BotApiError(400, 'Bad Request: wrong latitude or longitude');
        checkReplyMarkup(params['reply_markup']);
        return newMessage(params, { location: { latitude, longitude } });
      }
      case 'sendPhoto': {
        checkCaption(params['caption'], params['parse_mode']);
        checkReplyMarkup(params['reply_markup']);
        const { ids, upload } = fileField(params, 'photo', 'photo');
        const size = upload?.size ?? 50000;
        const photo = [
          { ...fileIdFor('photo'), width: 90, height: 90, file_size: Math.min(size, 1500) },
          { ...ids, width: 800, height: 800, file_size: size },
        ];
        const content: Record<string, unknown> = { photo };
        if (typeof params['caption'] === 'string') content['caption'] = params['caption'];
        return newMessage(params, content);
      }
      case 'sendDocument': {
        checkCaption(params['caption'], params['parse_mode']);
        checkReplyMarkup(params['reply_markup']);
        const { ids, upload } = fileField(params, 'document', 'document');
        const document: Record<string, unknown> = { ...ids };
        if (upload) {
          document['file_name'] = upload.filename;
          document['mime_type'] = upload.mimeType;
          document['file_size'] = upload.size;
        }
        const content: Record<string, unknown> = { document };
        if (typeof params['caption'] === 'string') content['caption'] = params['caption'];
        return newMessage(params, content);
      }
      case 'getFile': {
        const fileId = params['file_id'];
        const file = typeof fileId === 'string' ? files.get(fileId) : undefined;
        if (!file) throw new BotApiError(400, 'Bad Request: invalid file_id');
        return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path };
      }
      case 'setMyCommands':
      case 'deleteMyCommands':
        return true;
      case 'getMyCommands':
        return [];
      default:
        throw new BotApiError(404, 'Not Found');
    }
  }

  /** Finds and consumes an injected failure for this call. */
  function takeFailure(method: string, params: Record<string, unknown>): TelegramFailure | undefined {
    const chatId = params['chat_id'] === undefined ? undefined : String(params['chat_id']);
    const pending = failures.find((f) => f.method === method && (f.chatId === undefined || f.chatId === chatId));
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) failures = failures.filter((f) => f !== pending);
    return pending.failure;
  }

  function failureAnswer(failure: TelegramFailure): ApiAnswer {
    switch (failure.kind) {
      case 'rateLimited':
        return {
          status: 429,
          body: {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${failure.retryAfter}`,
            parameters: { retry_after: failure.retryAfter },
          },
        };
      case 'blocked':
        return { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } };
      case 'server': {
        const status = failure.status ?? 500;
        return { status, body: { ok: false, error_code: status, description: http.STATUS_CODES[status] ?? 'Internal Server Error' } };
      }
      case 'badRequest':
        return { status: 400, body: { ok: false, error_code: 400, description: failure.description } };
    }
  }

  async function handleApi(method: string, tokenInPath: string, req: http.IncomingMessage, url: URL): Promise<ApiAnswer> {
    let params: Record<string, unknown> = {};
    let answer: ApiAnswer;
    try {
      params = await parseParams(req, url);
      // telegraf repeats the method name inside multipart bodies.
      if (params['method'] === method) delete params['method'];
      if (tokenInPath !== token) {
        answer = { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
      } else {
        const failure = takeFailure(method, params);
        answer = failure ? failureAnswer(failure) : { status: 200, body: { ok: true, result: await dispatch(method, params) } };
      }
    } catch (err) {
      if (err instanceof BotApiError) {
        const body: Record<string, unknown> = { ok: false, error_code: err.status, description: err.description };
        if (err.parameters) body['parameters'] = err.parameters;
        answer = { status: err.status, body };
      } else {
        const message = err instanceof Error ? err.message : String(err);
        answer = { status: 400, body: { ok: false, error_code: 400, description: `Bad Request: ${message}` } };
      }
    }
    calls.push({ method, params, at: Date.now(), status: answer.status });
    return answer;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && fileMatch) {
      const filePath = decodeURIComponent(fileMatch[2] ?? '');
      const file = fileMatch[1] === token ? [...files.values()].find((f) => f.file_path === filePath) : undefined;
      if (!file) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const apiMatch = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!apiMatch) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    void handleApi(apiMatch[2] ?? '', apiMatch[1] ?? '', req, url).then(
      (answer) => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      },
      (err: unknown) => {
        if (res.destroyed) return;
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
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
  const apiRoot = `http://127.0.0.1:${address.port}`;

  const fake: FakeTelegram = {
    apiRoot,
    token,
    botUser,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    sentTexts(chatId) {
      const wanted = chatId === undefined ? undefined : String(chatId);
      return calls
        .filter((c) => c.status === 200 && (wanted === undefined || String(c.params['chat_id']) === wanted))
        .flatMap((c) => {
          if (c.method === 'sendMessage' || c.method === 'editMessageText') {
            return typeof c.params['text'] === 'string' ? [c.params['text']] : [];
          }
          if (c.method === 'sendPhoto' || c.method === 'sendDocument') {
            return typeof c.params['caption'] === 'string' ? [c.params['caption']] : [];
          }
          return [];
        });
    },
    clear() {
      calls.length = 0;
      failures = [];
    },
    async waitForCalls(method, count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.filter((c) => c.method === method);
        if (found.length >= count) return found;
        if (Date.now() >= deadline) {
          const tally = new Map<string, number>();
          for (const c of calls) tally.set(c.method, (tally.get(c.method) ?? 0) + 1);
          const summary = [...tally].map(([m, n]) => `${m}×${n}`).join(', ') || 'nothing';
          const recent = calls
            .filter((c) => c.method !== 'getUpdates')
            .slice(-5)
            .map((c) => `  ${c.method} [${c.status}] ${JSON.stringify(c.params, (_k, v: unknown) => (Buffer.isBuffer(v) ? `<${v.length} bytes>` : v)).slice(0, 300)}`)
            .join('\n');
          throw new Error(
            `fake Telegram: expected ${count} call(s) of ${method} within ${timeoutMs} ms, got ${found.length}. ` +
              `Received: ${summary}.${recent ? `\nLast calls:\n${recent}` : ''}`,
          );
        }
        await sleep(10);
      }
    },
    failNext(method, failure, times = 1, filter) {
      const pending: PendingFailure = { method, failure, remaining: times };
      if (filter?.chatId !== undefined) pending.chatId = String(filter.chatId);
      failures.push(pending);
    },
    queueUpdate(update) {
      const id = (update as { update_id?: unknown }).update_id;
      if (typeof id !== 'number') throw new Error('fake Telegram: queued update has no numeric update_id');
      learnFromUpdate(update);
      updates.push({ ...(update as Record<string, unknown>), update_id: id });
      updates.sort((a, b) => a.update_id - b.update_id);
      for (const wake of [...updateWaiters]) wake();
    },
    pendingUpdates: () => [...updates],
    webhook: () => (webhookState ? { ...webhookState } : undefined),
    async deliverWebhook(update) {
      if (!webhookState) throw new Error('fake Telegram: no webhook set (the bot has not called setWebhook)');
      learnFromUpdate(update);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (webhookState.secretToken) headers['x-telegram-bot-api-secret-token'] = webhookState.secretToken;
      const res = await fetch(webhookState.url, { method: 'POST', headers, body: JSON.stringify(update) });
      return { status: res.status, body: await res.text() };
    },
    addFile(fileId, bytes, fileOpts = {}) {
      const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
      const file: FakeTelegramFile = {
        file_id: fileId,
        file_unique_id: fileOpts.fileUniqueId ?? randomBytes(8).toString('base64url'),
        file_size: data.length,
        file_path: fileOpts.filePath ?? `documents/file_${files.size}.dat`,
        bytes: data,
      };
      files.set(fileId, file);
      return file;
    },
    async refuseConnections() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    acceptConnections: () =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address.port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      }),
    async close() {
      for (const wake of [...updateWaiters]) wake();
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot) : '';
}
