/**
 * Builders for real Telegram Bot API `Update` objects, as Telegram sends them to a webhook or
 * returns them from `getUpdates`. Typed with telegraf's own Bot API types, so a builder that
 * drifted from the real shape fails the typecheck.
 *
 * `update_id` auto-increments when not given (and jumps past any explicit id); `message_id`
 * auto-increments too. Dates are Unix seconds. In private chats `chat.id` equals the user id.
 */
import { randomBytes } from 'node:crypto';
import type {
  CallbackQuery,
  Chat,
  ChatMemberUpdated,
  Message,
  MessageEntity,
  PhotoSize,
  Update,
  User,
} from 'telegraf/types';

/** The bot user the builders put in `from` of the bot's own messages (matches the fake's default token). */
export const TG_DEFAULT_BOT: User = {
  id: 123456789,
  is_bot: true,
  first_name: 'Sapa Gajahmungkur',
  username: 'sapa_gajahmungkur_test_bot',
};

let lastUpdateId = 700000000;
let lastMessageId = 1;

/** Returns the next update id, or `given` (remembering it so later ids stay increasing). */
export function nextUpdateId(given?: number): number {
  if (given !== undefined) {
    lastUpdateId = Math.max(lastUpdateId, given);
    return given;
  }
  lastUpdateId += 1;
  return lastUpdateId;
}

function nextMessageId(given?: number): number {
  if (given !== undefined) {
    lastMessageId = Math.max(lastMessageId, given);
    return given;
  }
  lastMessageId += 1;
  return lastMessageId;
}

/** A new (not edited) message outside channels, as `Update.MessageUpdate` carries it. */
type Incoming<M> = Update.New & Update.NonChannel & M;

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** Fields common to builders that describe the sending user. */
export interface TgUserOptions {
  /** Explicit update id; auto-incremented when omitted. */
  updateId?: number;
  /** Telegram user id (positive). Also the chat id in private chats. */
  userId: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  /** IETF language tag of the user's client, e.g. `id` or `en`. */
  languageCode?: string;
  /** Unix seconds; default now. */
  date?: number;
  /** Explicit message id; auto-incremented when omitted. */
  messageId?: number;
}

/** Builds the `from` user object. */
export function tgUser(opts: Pick<TgUserOptions, 'userId' | 'firstName' | 'lastName' | 'username' | 'languageCode'>): User {
  const user: User = { id: opts.userId, is_bot: false, first_name: opts.firstName ?? 'Budi' };
  if (opts.lastName !== undefined) user.last_name = opts.lastName;
  if (opts.username !== undefined) user.username = opts.username;
  user.language_code = opts.languageCode ?? 'id';
  return user;
}

function privateChat(user: User): Chat.PrivateChat {
  const chat: Chat.PrivateChat = { id: user.id, type: 'private', first_name: user.first_name };
  if (user.last_name !== undefined) chat.last_name = user.last_name;
  if (user.username !== undefined) chat.username = user.username;
  return chat;
}

function groupChat(chatId: number, title: string, supergroup?: boolean): Chat.GroupChat | Chat.SupergroupChat {
  const isSuper = supergroup ?? chatId <= -1000000000000;
  return isSuper ? { id: chatId, type: 'supergroup', title } : { id: chatId, type: 'group', title };
}

/**
 * Entities Telegram computes for plain text: `bot_command` for every `/command` (offsets in
 * UTF-16 units), plus `url` for http(s) links.
 */
export function tgEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const pattern = /(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=$|\s)|(https?:\/\/[^\s]+)/g;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (match[2] !== undefined) {
      entities.push({ type: 'bot_command', offset: index + (match[1]?.length ?? 0), length: match[2].length });
    } else if (match[3] !== undefined) {
      entities.push({ type: 'url', offset: index, length: match[3].length });
    }
  }
  return entities;
}

/** Options for {@link tgText}. */
export interface TgTextOptions extends TgUserOptions {
  text: string;
  /** Chat type; default `private` (chat.id = user id). For groups pass `chatId` too (negative). */
  chatType?: 'private' | 'group' | 'supergroup';
  /** Chat id for group/supergroup chats; default derived from the user id. */
  chatId?: number;
  /** Override computed entities. */
  entities?: MessageEntity[];
  /** Message this one replies to (e.g. the bot's question, for force_reply flows). */
  replyTo?: Message.TextMessage;
}

/** A text message (`/start payload` gets a `bot_command` entity like Telegram sends). */
export function tgText(opts: TgTextOptions): Update.MessageUpdate<Message.TextMessage> {
  const from = tgUser(opts);
  const chatType = opts.chatType ?? 'private';
  const chat =
    chatType === 'private'
      ? privateChat(from)
      : groupChat(opts.chatId ?? (chatType === 'supergroup' ? -1000000000000 - opts.userId : -opts.userId), 'Warga Gajahmungkur', chatType === 'supergroup');
  const message: Incoming<Message.TextMessage> = {
    message_id: nextMessageId(opts.messageId),
    from,
    chat,
    date: opts.date ?? unixNow(),
    text: opts.text,
  };
  const entities = opts.entities ?? tgEntities(opts.text);
  if (entities.length > 0) message.entities = entities;
  if (opts.replyTo !== undefined) message.reply_to_message = { ...opts.replyTo, reply_to_message: undefined };
  return { update_id: nextUpdateId(opts.updateId), message };
}

/** Options for {@link tgGroupText}. */
export interface TgGroupTextOptions extends TgUserOptions {
  /** Negative group id (`-100…` for supergroups). */
  chatId: number;
  text: string;
  title?: string;
  /** Default: true when chatId ≤ -1000000000000. */
  supergroup?: boolean;
}

/** A text message in a group or supergroup. */
export function tgGroupText(opts: TgGroupTextOptions): Update.MessageUpdate<Message.TextMessage> {
  if (opts.chatId >= 0) throw new Error('tgGroupText: group chat ids are negative');
  const from = tgUser(opts);
  const message: Incoming<Message.TextMessage> = {
    message_id: nextMessageId(opts.messageId),
    from,
    chat: groupChat(opts.chatId, opts.title ?? 'Warga Gajahmungkur', opts.supergroup),
    date: opts.date ?? unixNow(),
    text: opts.text,
  };
  const entities = tgEntities(opts.text);
  if (entities.length > 0) message.entities = entities;
  return { update_id: nextUpdateId(opts.updateId), message };
}

/** Options for {@link tgCallback}. */
export interface TgCallbackOptions extends TgUserOptions {
  /** `callback_data` of the pressed button (1–64 bytes on the real platform). */
  data: string;
  /** Id of the bot message carrying the keyboard; default auto. */
  messageId?: number;
  /** Text of that bot message. */
  messageText?: string;
  /** Inline keyboard of that bot message, if the test wants it echoed. */
  replyMarkup?: Message.TextMessage['reply_markup'];
  /** The bot user (sender of the keyboard message). */
  bot?: User;
}

/** A press on an inline keyboard button under a bot message in the private chat. */
export function tgCallback(opts: TgCallbackOptions): Update.CallbackQueryUpdate<CallbackQuery.DataQuery> {
  const from = tgUser(opts);
  const message: Message.TextMessage = {
    message_id: nextMessageId(opts.messageId),
    from: opts.bot ?? TG_DEFAULT_BOT,
    chat: privateChat(from),
    date: (opts.date ?? unixNow()) - 5,
    text: opts.messageText ?? 'Silakan pilih menu:',
  };
  if (opts.replyMarkup !== undefined) message.reply_markup = opts.replyMarkup;
  const callback_query: CallbackQuery.DataQuery = {
    id: BigInt.asUintN(63, BigInt(`0x${randomBytes(8).toString('hex')}`)).toString(),
    from,
    message,
    chat_instance: `-${BigInt.asUintN(62, BigInt(opts.userId) * 2654435761n).toString()}`,
    data: opts.data,
  };
  return { update_id: nextUpdateId(opts.updateId), callback_query };
}

/** Options for {@link tgLocation}. */
export interface TgLocationOptions extends TgUserOptions {
  latitude: number;
  longitude: number;
  horizontalAccuracy?: number;
  /** Seconds; present for live locations. */
  livePeriod?: number;
  /** Direction of movement (1–360) for live locations; default 1. */
  heading?: number;
}

/** A shared location (e.g. where a complaint is). */
export function tgLocation(opts: TgLocationOptions): Update.MessageUpdate<Message.LocationMessage> {
  const from = tgUser(opts);
  const location: Message.LocationMessage['location'] =
    opts.livePeriod !== undefined
      ? { latitude: opts.latitude, longitude: opts.longitude, live_period: opts.livePeriod, heading: opts.heading ?? 1 }
      : { latitude: opts.latitude, longitude: opts.longitude };
  if (opts.horizontalAccuracy !== undefined) location.horizontal_accuracy = opts.horizontalAccuracy;
  return {
    update_id: nextUpdateId(opts.updateId),
    message: { message_id: nextMessageId(opts.messageId), from, chat: privateChat(from), date: opts.date ?? unixNow(), location },
  };
}

/** Options for {@link tgContact}. */
export interface TgContactOptions extends TgUserOptions {
  /** As Telegram sends it; a user's own number often comes without `+` (e.g. `6281234567890`). */
  phoneNumber: string;
  /** Contact's first name; default the sender's. */
  contactFirstName?: string;
  contactLastName?: string;
  /** Telegram user id of the contact; default the sender (own contact shared via a request_contact button). Pass `null` for a contact with no Telegram account. */
  contactUserId?: number | null;
  vcard?: string;
}

/** A shared contact; by default the user's own (as a `request_contact` keyboard button sends it). */
export function tgContact(opts: TgContactOptions): Update.MessageUpdate<Message.ContactMessage> {
  const from = tgUser(opts);
  const contact: Message.ContactMessage['contact'] = {
    phone_number: opts.phoneNumber,
    first_name: opts.contactFirstName ?? from.first_name,
  };
  const lastName = opts.contactLastName ?? (opts.contactFirstName === undefined ? from.last_name : undefined);
  if (lastName !== undefined) contact.last_name = lastName;
  const contactUserId = opts.contactUserId === undefined ? opts.userId : opts.contactUserId;
  if (contactUserId !== null) contact.user_id = contactUserId;
  if (opts.vcard !== undefined) contact.vcard = opts.vcard;
  return {
    update_id: nextUpdateId(opts.updateId),
    message: { message_id: nextMessageId(opts.messageId), from, chat: privateChat(from), date: opts.date ?? unixNow(), contact },
  };
}

function fileIds(prefix: string): { file_id: string; file_unique_id: string } {
  return {
    file_id: `${prefix}${randomBytes(30).toString('base64url')}`,
    file_unique_id: `AQAD${randomBytes(9).toString('base64url')}`,
  };
}

/** Options for {@link tgPhoto}. */
export interface TgPhotoOptions extends TgUserOptions {
  caption?: string;
  /** file_id of the largest size (the one a bot downloads); default random. */
  fileId?: string;
  /** Size in bytes of the largest size; default 180 000. */
  fileSize?: number;
  mediaGroupId?: string;
}

/** A photo: several PhotoSize entries, smallest first, like Telegram sends. The last is the largest. */
export function tgPhoto(opts: TgPhotoOptions): Update.MessageUpdate<Message.PhotoMessage> {
  const from = tgUser(opts);
  const largest = opts.fileSize ?? 180000;
  const base = fileIds('AgACAgUAAxkBAAI');
  const photo: PhotoSize[] = [
    { ...fileIds('AgACAgUAAxkBAAI'), width: 90, height: 68, file_size: Math.max(1, Math.round(largest / 120)) },
    { ...fileIds('AgACAgUAAxkBAAI'), width: 320, height: 240, file_size: Math.max(1, Math.round(largest / 12)) },
    { ...fileIds('AgACAgUAAxkBAAI'), width: 800, height: 600, file_size: Math.max(1, Math.round(largest / 2.5)) },
    { file_id: opts.fileId ?? base.file_id, file_unique_id: base.file_unique_id, width: 1280, height: 960, file_size: largest },
  ];
  const message: Incoming<Message.PhotoMessage> = {
    message_id: nextMessageId(opts.messageId),
    from,
    chat: privateChat(from),
    date: opts.date ?? unixNow(),
    photo,
  };
  if (opts.caption !== undefined) message.caption = opts.caption;
  if (opts.mediaGroupId !== undefined) message.media_group_id = opts.mediaGroupId;
  return { update_id: nextUpdateId(opts.updateId), message };
}

/** Options for {@link tgDocument}. */
export interface TgDocumentOptions extends TgUserOptions {
  fileName?: string;
  mimeType?: string;
  fileSize?: number;
  fileId?: string;
  caption?: string;
}

/** A file sent as a document (default a PDF). */
export function tgDocument(opts: TgDocumentOptions): Update.MessageUpdate<Message.DocumentMessage> {
  const from = tgUser(opts);
  const ids = fileIds('BQACAgUAAxkBAAI');
  const message: Incoming<Message.DocumentMessage> = {
    message_id: nextMessageId(opts.messageId),
    from,
    chat: privateChat(from),
    date: opts.date ?? unixNow(),
    document: {
      file_id: opts.fileId ?? ids.file_id,
      file_unique_id: ids.file_unique_id,
      file_name: opts.fileName ?? 'dokumen.pdf',
      mime_type: opts.mimeType ?? 'application/pdf',
      file_size: opts.fileSize ?? 52340,
    },
  };
  if (opts.caption !== undefined) message.caption = opts.caption;
  return { update_id: nextUpdateId(opts.updateId), message };
}

/** Options for {@link tgEdited}. */
export interface TgEditedOptions extends TgUserOptions {
  /** Id of the message being edited (required: an edit refers to an earlier message). */
  messageId: number;
  text: string;
  /** Unix seconds of the edit; default now. `date` stays the original send time (default a minute earlier). */
  editDate?: number;
}

/** An `edited_message` update: the user changed an earlier text message. */
export function tgEdited(opts: TgEditedOptions): Update.EditedMessageUpdate {
  const from = tgUser(opts);
  const editDate = opts.editDate ?? unixNow();
  const edited_message: Update.EditedMessageUpdate['edited_message'] = {
    message_id: opts.messageId,
    from,
    chat: privateChat(from),
    date: opts.date ?? editDate - 60,
    edit_date: editDate,
    text: opts.text,
  };
  const entities = tgEntities(opts.text);
  if (entities.length > 0) edited_message.entities = entities;
  return { update_id: nextUpdateId(opts.updateId), edited_message };
}

/** Options for {@link tgChannelPost}. */
export interface TgChannelPostOptions {
  updateId?: number;
  /** Channel id (`-100…`). */
  chatId: number;
  text: string;
  title?: string;
  username?: string;
  messageId?: number;
  date?: number;
}

/** A post in a channel the bot is admin of (no `from`; `sender_chat` is the channel). */
export function tgChannelPost(opts: TgChannelPostOptions): Update.ChannelPostUpdate<Message.TextMessage> {
  const chat: Chat.ChannelChat = { id: opts.chatId, type: 'channel', title: opts.title ?? 'Info Kecamatan Gajahmungkur' };
  if (opts.username !== undefined) chat.username = opts.username;
  return {
    update_id: nextUpdateId(opts.updateId),
    channel_post: {
      message_id: nextMessageId(opts.messageId),
      sender_chat: chat,
      chat,
      date: opts.date ?? unixNow(),
      text: opts.text,
    },
  };
}

/** Options for {@link tgBlocked} / {@link tgUnblocked}. */
export interface TgMemberOptions extends Omit<TgUserOptions, 'messageId'> {
  /** The bot user; default {@link TG_DEFAULT_BOT}. */
  bot?: User;
}

function myChatMember(opts: TgMemberOptions, blocked: boolean): Update.MyChatMemberUpdate {
  const from = tgUser(opts);
  const bot = opts.bot ?? TG_DEFAULT_BOT;
  const member = { status: 'member' as const, user: bot };
  const kicked = { status: 'kicked' as const, user: bot, until_date: 0 };
  const my_chat_member: ChatMemberUpdated = {
    chat: privateChat(from),
    from,
    date: opts.date ?? unixNow(),
    old_chat_member: blocked ? member : kicked,
    new_chat_member: blocked ? kicked : member,
  };
  return { update_id: nextUpdateId(opts.updateId), my_chat_member };
}

/** The user blocked the bot: `my_chat_member` with `new_chat_member.status = "kicked"`. */
export function tgBlocked(opts: TgMemberOptions): Update.MyChatMemberUpdate {
  return myChatMember(opts, true);
}

/** The user unblocked (restarted) the bot: `kicked` → `member`. */
export function tgUnblocked(opts: TgMemberOptions): Update.MyChatMemberUpdate {
  return myChatMember(opts, false);
}
