/**
 * Builders for real WhatsApp Cloud API webhook bodies (the `messages` field of a
 * `whatsapp_business_account` subscription), plus the `X-Hub-Signature-256` signature.
 *
 * Each item builder (`waText`, `waButtonReply`, … `waStatus`) returns one message or status with
 * its sender; {@link waWebhook} wraps items in the full envelope:
 *
 * ```
 * { object: "whatsapp_business_account",
 *   entry: [{ id: <WABA id>, changes: [{ field: "messages",
 *     value: { messaging_product: "whatsapp", metadata: { display_phone_number, phone_number_id },
 *              contacts: [...], messages: [...] } }] }] }
 * ```
 *
 * Since 2026 Meta adds business-scoped user ids (BSUID): `contacts[].user_id`,
 * `messages[].from_user_id`, `statuses[].recipient_user_id`. The builders include them by
 * default (derived from the phone number, stable across calls); pass `userId: false` to leave
 * them out, or `noPhone: true` for a user with a username whose phone number (`from`, `wa_id`) is
 * withheld. Message ids look like `wamid.HBgM…` and are unique per call; `timestamp` is a string
 * of Unix seconds.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Business-side defaults used in `metadata` and in `context.from`. */
export const WA_DEFAULTS = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '6282220001234',
} as const;

/** A JSON object as it appears in a webhook. */
export type WaJson = Record<string, unknown>;

/** One inbound message plus the `contacts[]` entry of its sender. */
export interface WaMessageItem {
  readonly kind: 'message';
  /** The object placed in `value.messages[]`. */
  readonly message: WaJson;
  /** The object placed in `value.contacts[]`. */
  readonly contact: WaJson;
}

/** One status update for a message the business sent. */
export interface WaStatusItem {
  readonly kind: 'status';
  /** The object placed in `value.statuses[]`. */
  readonly status: WaJson;
}

/** Anything {@link waWebhook} accepts. */
export type WaItem = WaMessageItem | WaStatusItem;

/** Options for {@link waWebhook}. */
export interface WaWebhookOptions {
  wabaId?: string;
  phoneNumberId?: string;
  displayPhoneNumber?: string;
}

/** The full webhook body. */
export interface WaWebhookBody {
  object: 'whatsapp_business_account';
  entry: Array<{
    id: string;
    changes: Array<{ field: 'messages'; value: WaJson }>;
  }>;
}

/** Who sent an inbound message. */
export interface WaSenderOptions {
  /** The user's phone number / wa_id, digits only, e.g. `6281234567890`. */
  from: string;
  /** Profile name; default `Budi Santoso`. */
  name?: string;
  /** Business-scoped user id; default derived from `from`; `false` leaves it out (pre-2026 payload). */
  userId?: string | false;
  /** WhatsApp username (`@…`), shown in `contacts[].profile.username`. */
  username?: string;
  /** The user hides the phone number: no `from` / `wa_id`, only `from_user_id` / `user_id`. */
  noPhone?: boolean;
  /** Message id; default a fresh `wamid.HBgM…`. */
  id?: string;
  /** Unix seconds (number/string) or a Date; default now. */
  timestamp?: number | string | Date;
  /** Id of the business message this one replies to (adds `context`). */
  contextId?: string;
}

let sequence = 0;

/** A fresh, unique `wamid.HBgM…` id (the real ones are base64 of a small protobuf with the phone number). */
export function newWamid(phone = '6281234567890'): string {
  sequence += 1;
  const seq = Buffer.alloc(4);
  seq.writeUInt32BE(sequence);
  const inner = Buffer.concat([Buffer.from(phone), Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]), seq, randomBytes(16)]);
  return `wamid.HBgM${inner.toString('base64')}`;
}

/** Business-scoped user id derived from a phone number (stable): `ID.<digits>`. */
export function bsuidFor(phone: string): string {
  const hex = createHash('sha256').update(`bsuid:${phone}`).digest('hex').slice(0, 15);
  return `ID.${BigInt(`0x${hex}`).toString()}`;
}

function timestampString(value: number | string | Date | undefined): string {
  if (value === undefined) return String(Math.floor(Date.now() / 1000));
  if (value instanceof Date) return String(Math.floor(value.getTime() / 1000));
  return String(value);
}

/** Builds the message skeleton (from, id, timestamp, type, context) and the sender's contact. */
function inbound(opts: WaSenderOptions, type: string, content: WaJson, extra: WaJson = {}): WaMessageItem {
  const userId = opts.userId === false ? undefined : (opts.userId ?? bsuidFor(opts.from));
  if (opts.noPhone && userId === undefined) throw new Error('waText & co: noPhone needs a business-scoped user id (userId)');

  const profile: WaJson = { name: opts.name ?? 'Budi Santoso' };
  if (opts.username !== undefined) profile['username'] = opts.username;
  const contact: WaJson = { profile };
  if (!opts.noPhone) contact['wa_id'] = opts.from;
  if (userId !== undefined) contact['user_id'] = userId;

  const message: WaJson = {};
  if (opts.contextId !== undefined || extra['context'] !== undefined) {
    message['context'] = extra['context'] ?? { from: WA_DEFAULTS.displayPhoneNumber, id: opts.contextId };
  }
  if (!opts.noPhone) message['from'] = opts.from;
  if (userId !== undefined) message['from_user_id'] = userId;
  message['id'] = opts.id ?? newWamid(opts.from);
  message['timestamp'] = timestampString(opts.timestamp);
  for (const [key, value] of Object.entries(extra)) if (key !== 'context') message[key] = value;
  message['type'] = type;
  Object.assign(message, content);
  return { kind: 'message', message, contact };
}

/** Options for {@link waText}. */
export interface WaTextOptions extends WaSenderOptions {
  text: string;
}

/** A text message. */
export function waText(opts: WaTextOptions): WaMessageItem {
  return inbound(opts, 'text', { text: { body: opts.text } });
}

/** Options for {@link waButtonReply}. */
export interface WaButtonReplyOptions extends WaSenderOptions {
  /** `id` of the reply button the bot sent. */
  replyId: string;
  title: string;
}

/** A tap on a reply button of an interactive message (always has `context`). */
export function waButtonReply(opts: WaButtonReplyOptions): WaMessageItem {
  return inbound(
    { ...opts, contextId: opts.contextId ?? newWamid(WA_DEFAULTS.displayPhoneNumber) },
    'interactive',
    { interactive: { type: 'button_reply', button_reply: { id: opts.replyId, title: opts.title } } },
  );
}

/** Options for {@link waListReply}. */
export interface WaListReplyOptions extends WaSenderOptions {
  /** `id` of the list row the bot sent. */
  replyId: string;
  title: string;
  description?: string;
}

/** A choice from a list message (always has `context`). */
export function waListReply(opts: WaListReplyOptions): WaMessageItem {
  const listReply: WaJson = { id: opts.replyId, title: opts.title };
  if (opts.description !== undefined) listReply['description'] = opts.description;
  return inbound(
    { ...opts, contextId: opts.contextId ?? newWamid(WA_DEFAULTS.displayPhoneNumber) },
    'interactive',
    { interactive: { type: 'list_reply', list_reply: listReply } },
  );
}

/** Options for {@link waTemplateButton}. */
export interface WaTemplateButtonOptions extends WaSenderOptions {
  /** The quick-reply button's payload defined in the template. */
  payload: string;
  /** The button's label. */
  text: string;
}

/** A tap on a quick-reply button of a template message (type `button`). */
export function waTemplateButton(opts: WaTemplateButtonOptions): WaMessageItem {
  return inbound(
    { ...opts, contextId: opts.contextId ?? newWamid(WA_DEFAULTS.displayPhoneNumber) },
    'button',
    { button: { payload: opts.payload, text: opts.text } },
  );
}

/** Options for {@link waLocation}. */
export interface WaLocationOptions extends WaSenderOptions {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

/** A shared location (a pinned place adds name/address). */
export function waLocation(opts: WaLocationOptions): WaMessageItem {
  const location: WaJson = { latitude: opts.latitude, longitude: opts.longitude };
  if (opts.name !== undefined) location['name'] = opts.name;
  if (opts.address !== undefined) location['address'] = opts.address;
  if (opts.url !== undefined) location['url'] = opts.url;
  return inbound(opts, 'location', { location });
}

/** Common options of inbound media. */
export interface WaMediaOptions extends WaSenderOptions {
  /** Media id to fetch with `GET /<media-id>` (register it in the fake with `addMedia`). */
  mediaId: string;
  mimeType?: string;
  /** SHA-256 (hex) of the file; default derived from the media id. */
  sha256?: string;
}

function mediaObject(opts: WaMediaOptions, defaultMime: string): WaJson {
  return {
    mime_type: opts.mimeType ?? defaultMime,
    sha256: opts.sha256 ?? createHash('sha256').update(opts.mediaId).digest('base64'),
    id: opts.mediaId,
  };
}

/** An image (default JPEG), with an optional caption. */
export function waImage(opts: WaMediaOptions & { caption?: string }): WaMessageItem {
  const image = mediaObject(opts, 'image/jpeg');
  if (opts.caption !== undefined) image['caption'] = opts.caption;
  return inbound(opts, 'image', { image });
}

/** A document (default PDF). */
export function waDocument(opts: WaMediaOptions & { filename?: string; caption?: string }): WaMessageItem {
  const document = mediaObject(opts, 'application/pdf');
  if (opts.caption !== undefined) document['caption'] = opts.caption;
  document['filename'] = opts.filename ?? 'dokumen.pdf';
  return inbound(opts, 'document', { document });
}

/** An audio file, by default a voice note (`voice: true`, ogg/opus). */
export function waAudio(opts: WaMediaOptions & { voice?: boolean }): WaMessageItem {
  const voice = opts.voice ?? true;
  const audio = mediaObject(opts, voice ? 'audio/ogg; codecs=opus' : 'audio/mpeg');
  audio['voice'] = voice;
  return inbound(opts, 'audio', { audio });
}

/** A video (default MP4), with an optional caption. */
export function waVideo(opts: WaMediaOptions & { caption?: string }): WaMessageItem {
  const video = mediaObject(opts, 'video/mp4');
  if (opts.caption !== undefined) video['caption'] = opts.caption;
  return inbound(opts, 'video', { video });
}

/** A sticker (WebP). */
export function waSticker(opts: WaMediaOptions & { animated?: boolean }): WaMessageItem {
  const sticker = mediaObject(opts, 'image/webp');
  sticker['animated'] = opts.animated ?? false;
  return inbound(opts, 'sticker', { sticker });
}

/** One shared contact card. */
export interface WaSharedContact {
  formattedName: string;
  firstName?: string;
  lastName?: string;
  phone: string;
  /** Present when the shared number is on WhatsApp. */
  waId?: string;
}

/** Shared contact card(s). */
export function waContacts(opts: WaSenderOptions & { contacts: WaSharedContact[] }): WaMessageItem {
  const contacts = opts.contacts.map((c) => {
    const name: WaJson = { formatted_name: c.formattedName, first_name: c.firstName ?? c.formattedName.split(' ')[0] };
    if (c.lastName !== undefined) name['last_name'] = c.lastName;
    const phone: WaJson = { phone: c.phone, type: 'CELL' };
    if (c.waId !== undefined) phone['wa_id'] = c.waId;
    return { name, phones: [phone] };
  });
  return inbound(opts, 'contacts', { contacts });
}

/** A reaction to a message; without `emoji` it is a removed reaction (the field is absent). */
export function waReaction(opts: WaSenderOptions & { messageId: string; emoji?: string }): WaMessageItem {
  const reaction: WaJson = { message_id: opts.messageId };
  if (opts.emoji !== undefined) reaction['emoji'] = opts.emoji;
  return inbound(opts, 'reaction', { reaction });
}

/** A message type the Cloud API does not support (e.g. a poll): `type: "unsupported"` with `errors`. */
export function waUnsupported(opts: WaSenderOptions): WaMessageItem {
  return inbound(opts, 'unsupported', {
    errors: [
      {
        code: 131051,
        title: 'Message type unknown',
        message: 'Message type unknown',
        error_data: { details: 'Message type is currently not supported.' },
      },
    ],
  });
}

/** An error in a status update (shorthand; title/message default from the code). */
export interface WaStatusError {
  code: number;
  title?: string;
  message?: string;
  details?: string;
}

const ERROR_TITLES: Record<number, string> = {
  130429: 'Rate limit hit',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
  131050: 'User has stopped marketing messages',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  131000: 'Something went wrong',
};

/** Options for {@link waStatus}. */
export interface WaStatusOptions {
  /** The `wamid.…` the send API returned. */
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'played';
  /** The recipient's phone / wa_id; omitted from the payload when `noPhone`. */
  recipient: string;
  /** Recipient's business-scoped user id; default derived from `recipient`; `false` leaves it out. */
  recipientUserId?: string | false;
  noPhone?: boolean;
  timestamp?: number | string | Date;
  /** For `failed`: the reasons. Default for `failed` is 131026. */
  errors?: WaStatusError[];
  /** Pricing category for sent/delivered/read; default `service`. `false` omits `pricing`. */
  pricingCategory?: 'service' | 'utility' | 'marketing' | 'authentication' | false;
}

/** A status update (sent / delivered / read / failed) for a message the bot sent. */
export function waStatus(opts: WaStatusOptions): WaStatusItem {
  const userId = opts.recipientUserId === false ? undefined : (opts.recipientUserId ?? bsuidFor(opts.recipient));
  const status: WaJson = {
    id: opts.messageId,
    status: opts.status,
    timestamp: timestampString(opts.timestamp),
  };
  if (!opts.noPhone) status['recipient_id'] = opts.recipient;
  if (userId !== undefined) status['recipient_user_id'] = userId;
  if (opts.status !== 'failed' && opts.pricingCategory !== false) {
    const category = opts.pricingCategory ?? 'service';
    status['pricing'] = {
      billable: category !== 'service',
      pricing_model: 'PMP',
      category,
      type: category === 'service' ? 'free_customer_service' : 'regular',
    };
  }
  const errors = opts.errors ?? (opts.status === 'failed' ? [{ code: 131026 }] : undefined);
  if (errors !== undefined) {
    status['errors'] = errors.map((e) => {
      const title = e.title ?? ERROR_TITLES[e.code] ?? 'Error';
      return {
        code: e.code,
        title,
        message: e.message ?? title,
        error_data: { details: e.details ?? title },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      };
    });
  }
  return { kind: 'status', status };
}

function isOptions(value: WaItem | WaWebhookOptions): value is WaWebhookOptions {
  return !('kind' in value);
}

function entryFor(items: WaItem[], opts: WaWebhookOptions): WaWebhookBody['entry'][number] {
  const metadata = {
    display_phone_number: opts.displayPhoneNumber ?? WA_DEFAULTS.displayPhoneNumber,
    phone_number_id: opts.phoneNumberId ?? WA_DEFAULTS.phoneNumberId,
  };
  const messageItems = items.filter((i): i is WaMessageItem => i.kind === 'message');
  const statusItems = items.filter((i): i is WaStatusItem => i.kind === 'status');
  const changes: Array<{ field: 'messages'; value: WaJson }> = [];
  if (messageItems.length > 0) {
    // One contacts[] entry per sender, like Meta sends.
    const contacts = new Map<string, WaJson>();
    for (const item of messageItems) {
      const key = String(item.contact['wa_id'] ?? item.contact['user_id']);
      if (!contacts.has(key)) contacts.set(key, item.contact);
    }
    changes.push({
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata,
        contacts: [...contacts.values()],
        messages: messageItems.map((i) => i.message),
      },
    });
  }
  if (statusItems.length > 0) {
    changes.push({
      field: 'messages',
      value: { messaging_product: 'whatsapp', metadata, statuses: statusItems.map((i) => i.status) },
    });
  }
  return { id: opts.wabaId ?? WA_DEFAULTS.wabaId, changes };
}

/**
 * Wraps messages and/or statuses in one webhook body (one entry; messages and statuses go to
 * separate `changes`, as Meta never mixes them in one `value`). A trailing options object sets the
 * business ids.
 */
export function waWebhook(...args: [...WaItem[]] | [...WaItem[], WaWebhookOptions]): WaWebhookBody {
  const all: Array<WaItem | WaWebhookOptions> = args;
  const last = all[all.length - 1];
  const opts = last !== undefined && isOptions(last) ? last : {};
  const items = all.filter((a): a is WaItem => !isOptions(a));
  if (items.length === 0) throw new Error('waWebhook: give at least one message or status');
  return { object: 'whatsapp_business_account', entry: [entryFor(items, opts)] };
}

/** Puts the entries of several webhook bodies into one POST (Meta may batch this way). */
export function multiEntry(...bodies: WaWebhookBody[]): WaWebhookBody {
  return { object: 'whatsapp_business_account', entry: bodies.flatMap((b) => b.entry) };
}

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`, the `X-Hub-Signature-256` header. */
export function signWhatsApp(rawBody: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * POSTs a webhook body to the service like Meta does: the exact bytes sent are the ones signed.
 * Pass `signature` to send a wrong one. Returns the answer.
 */
export async function postWhatsAppWebhook(
  url: string,
  body: WaWebhookBody | string,
  appSecret: string,
  opts: { signature?: string | null } = {},
): Promise<{ status: number; body: string }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'facebookexternalua' };
  const signature = opts.signature === undefined ? signWhatsApp(raw, appSecret) : opts.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  return { status: res.status, body: await res.text() };
}

/** The first message of a webhook body (handy in assertions). */
export function firstMessage(body: WaWebhookBody): WaJson | undefined {
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      const messages = change.value['messages'];
      if (Array.isArray(messages) && messages.length > 0) return messages[0] as WaJson;
    }
  }
  return undefined;
}
