/**
 * The complaint draft kept in the session while the resident fills the form, its limits, and how
 * a first message, a shared location or a typed phone number fill it. No wording here: the
 * dialogue is in `complaint.ts`.
 */
import type { InboundContent } from '../src/core/messages.js';
import { isCategoryId, isIdentity, isKelurahanId, KELURAHAN_UNKNOWN, type CategoryId, type Identity, type KelurahanId } from '../src/domain/complaints/catalog.js';
import type { Place } from '../src/domain/complaints/types.js';
import type { DraftPhoto } from '../src/domain/complaints/service.js';
import { charLength, cleanText } from '../src/domain/complaints/text.js';
import { categorySlot, isBareRequest, kelurahanSlot, requestContent, streetSlot } from '../src/domain/understanding/slots/index.js';

export const DESCRIPTION_MIN = 15;
export const DESCRIPTION_MAX = 2000;
export const ADDRESS_MIN = 5;
export const ADDRESS_MAX = 300;
export const MAX_PHOTOS = 3;

/** The draft kept in the session. Every field is absent until answered. */
export interface ComplaintDraft {
  category?: CategoryId;
  kelurahan?: KelurahanId;
  place?: Place;
  description?: string;
  photos?: DraftPhoto[];
  /** True once the person passed the photo step (with or without photos). */
  photosDone?: boolean;
  identity?: Identity;
  /** Phone shared on Telegram (digits). */
  phone?: string;
  /** True once the phone question was answered or skipped. */
  phoneAsked?: boolean;
  /** True after a free-text complaint pre-filled the draft. */
  prefilled?: boolean;
}

/** Reads the draft back from session data, keeping only well-typed fields. */
export function draftOf(data: Record<string, unknown>): ComplaintDraft {
  const d: ComplaintDraft = {};
  if (typeof data['category'] === 'string' && isCategoryId(data['category'])) d.category = data['category'];
  if (typeof data['kelurahan'] === 'string' && (isKelurahanId(data['kelurahan']) || data['kelurahan'] === KELURAHAN_UNKNOWN)) d.kelurahan = data['kelurahan'];
  if (data['place'] && typeof data['place'] === 'object') d.place = data['place'] as Place;
  if (typeof data['description'] === 'string') d.description = data['description'];
  if (Array.isArray(data['photos'])) d.photos = data['photos'] as DraftPhoto[];
  if (data['photosDone'] === true) d.photosDone = true;
  if (typeof data['identity'] === 'string' && isIdentity(data['identity'])) d.identity = data['identity'];
  if (typeof data['phone'] === 'string') d.phone = data['phone'];
  if (data['phoneAsked'] === true) d.phoneAsked = true;
  if (data['prefilled'] === true) d.prefilled = true;
  return d;
}

export const asData = (d: ComplaintDraft): Record<string, unknown> => ({ ...d });

/**
 * A complaint written as the first message: keeps the whole text as the description unless it is
 * a bare request ("mau lapor"), and pre-fills category, kelurahan and street from its slots.
 */
export function draftFromMessage(d: ComplaintDraft, said: string): ComplaintDraft {
  const next: ComplaintDraft = { ...d, prefilled: true };
  if (!said || isBareRequest(said)) return next;
  // The whole message is the description when there is a story beyond "mau lapor …":
  // "mau lapor jalan rusak" gives a category, and the description is still asked.
  const len = charLength(said);
  if (charLength(requestContent(said)) >= DESCRIPTION_MIN && len <= DESCRIPTION_MAX) next.description = said;
  const kel = kelurahanSlot(said, 'free');
  if (kel) next.kelurahan = kel === 'unknown' ? KELURAHAN_UNKNOWN : kel;
  const street = streetSlot(said);
  if (street && charLength(street) >= ADDRESS_MIN && !next.place) next.place = { address: street.slice(0, ADDRESS_MAX) };
  const category = categorySlot(said, 'free');
  if (category) next.category = category;
  return next;
}

/** A place from a shared location, or null when the coordinates are not real. */
export function placeFrom(input: Extract<InboundContent, { kind: 'location' }>): Place | null {
  const { latitude, longitude } = input;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return {
    latitude,
    longitude,
    ...(input.name ? { name: cleanText(input.name).slice(0, ADDRESS_MAX) } : {}),
    ...(input.address ? { address: cleanText(input.address).slice(0, ADDRESS_MAX) } : {}),
  };
}

/** Digits of a plausible phone number ("0812-3456-7890", "+62 812…"), or null. */
export function phoneFrom(raw: string): string | null {
  const s = raw.trim();
  if (!/^\+?[\d\s().-]{8,20}$/.test(s)) return null;
  const digits = s.replace(/\D/g, '');
  return digits.length >= 8 && digits.length <= 15 ? digits : null;
}
