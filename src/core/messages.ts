/**
 * Channel-neutral messages. Channel adapters turn platform payloads into {@link InboundMessage}
 * and render {@link Reply} into platform calls; flows and domain services see only these types.
 */
/** A language the bot answers in. Bahasa Indonesia is the default. */
export type Lang = 'id' | 'en';

/** Text in both languages. */
export interface Bilingual {
  id: string;
  en: string;
}

/** A channel the service talks on. `cli` is the local terminal chat. */
export type Channel = 'telegram' | 'whatsapp' | 'cli';

/** What a person sent, reduced to what the conversation needs. */
export type InboundContent =
  | { kind: 'text'; text: string }
  /** A tapped button / list row / inline keyboard button; `id` is the {@link Choice.id} we sent. */
  | { kind: 'choice'; id: string; title?: string }
  /** A bot command such as `/start abc` (Telegram); `command` has no slash, lower case. */
  | { kind: 'command'; command: string; payload: string }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | {
      kind: 'media';
      mediaType: 'image' | 'document' | 'audio' | 'video' | 'sticker';
      /** Platform media handle (Telegram file_id, WhatsApp media id) to download later. */
      mediaId: string;
      mimeType?: string;
      fileName?: string;
      fileSize?: number;
      caption?: string;
    }
  | { kind: 'contact'; phone: string; name?: string; isSender: boolean }
  /** Something we cannot use (reaction, unknown type): acknowledged politely, never an error. */
  | { kind: 'unsupported'; what: string };

/** One inbound message from a person, normalised. */
export interface InboundMessage {
  channel: Channel;
  /** Platform id used to drop redeliveries (Telegram `update_id`, WhatsApp `wamid`). */
  externalId: string;
  /** Stable key of the person on this channel (Telegram user id, WhatsApp wa_id or business-scoped user id). */
  userKey: string;
  /** Where replies go (Telegram chat id; WhatsApp wa_id or user id). */
  chatId: string;
  /** When the platform says it was sent. */
  occurredAt: Date;
  /** Display name the platform gives, if any. */
  profileName?: string;
  /** Phone number when the platform gives one (WhatsApp wa_id); never logged unmasked. */
  phone?: string;
  /** WhatsApp business-scoped user id, when Meta sends one. */
  platformUserId?: string;
  /** Language hint from the platform (Telegram `language_code`). */
  languageHint?: string;
  /** True for a group chat (only staff groups are served). */
  isGroup?: boolean;
  content: InboundContent;
}

/** A tappable option. `id` must be ≤ 64 bytes (Telegram callback_data). */
export interface Choice {
  id: string;
  /** Short label: ≤ 20 chars shows as a WhatsApp button, ≤ 24 as a list row. */
  title: string;
  /** Optional second line (WhatsApp list row description, ≤ 72 chars). */
  description?: string;
}

/** What the bot says back, independent of the platform. */
export type Reply =
  | {
      kind: 'text';
      text: string;
      /** Choices shown with the text (buttons or a list). */
      choices?: Choice[];
      /** Label of the button that opens a WhatsApp list (≤ 20 chars). Default "Pilih" / "Choose". */
      listButton?: string;
      /**
       * Offer a one-tap "share my phone number" button with this label where the platform has one
       * (Telegram). Elsewhere it is left out (WhatsApp already knows the number).
       */
      requestPhone?: string;
    }
  | {
      kind: 'document';
      fileName: string;
      mimeType: string;
      /** File content, base64-encoded (so the outbox can store it). */
      base64: string;
      caption?: string;
    }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | {
      kind: 'template';
      /** Approved WhatsApp template name and language code (e.g. `id`). */
      name: string;
      language: string;
      bodyParams: string[];
      /** What other channels show instead. */
      fallbackText: string;
    };

export const text = (t: string, choices?: Choice[]): Reply =>
  choices && choices.length > 0 ? { kind: 'text', text: t, choices } : { kind: 'text', text: t };
