/**
 * Small helpers shared by the forum flows (wording in two languages, forum choices, re-asks).
 */
import type { StepContext, StepOutcome } from '../../src/core/flow.js';
import type { Choice, Lang, Reply } from '../../src/core/messages.js';
import type { ForumDoc } from '../../src/domain/forums/forum-model.js';
import type { CleanResult } from '../../src/domain/forums/input.js';
import { formatShort } from '../../src/domain/forums/wib-time.js';
import { kelurahanFromSlug, type Kelurahan } from '../../src/domain/kelurahan.js';
import { kelurahanSlot } from '../../src/domain/understanding/slots/index.js';

/** Picks the wording for the person's language. */
export const L = (lang: Lang, id: string, en: string): string => (lang === 'en' ? en : id);

export const say = (text: string, choices?: Choice[]): Reply => (choices?.length ? { kind: 'text', text, choices } : { kind: 'text', text });

export const stay = (text: string, choices?: Choice[]): StepOutcome => ({ kind: 'stay', say: [say(text, choices)] });

/** ≤ `max` characters, with an ellipsis when cut. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** A forum as a list row / keyboard button. */
export function forumChoice(prefix: string, f: ForumDoc, tz: string, lang: Lang): Choice {
  const where = f.kelurahan ?? L(lang, 'se-kecamatan', 'whole kecamatan');
  return { id: `${prefix}${String(f._id)}`, title: clip(f.title, 24), description: clip(`${formatShort(f.startAt, tz)} WIB · ${where}`, 72) };
}

/** A polite re-ask for a field that was empty, too short or too long. */
export function badField(ctx: StepContext, r: Exclude<CleanResult, { ok: true }>, example: string): StepOutcome {
  const lang = ctx.lang;
  if (r.reason === 'tooLong') return stay(L(lang, `Maaf, terlalu panjang (maksimal ${r.max} karakter). Mohon dipersingkat. Contoh: ${example}`, `Sorry, that is too long (at most ${r.max} characters). Please shorten it. Example: ${example}`));
  if (r.reason === 'tooShort') return stay(L(lang, `Maaf, terlalu pendek (minimal ${r.min} karakter). Contoh: ${example}`, `Sorry, that is too short (at least ${r.min} characters). Example: ${example}`));
  return stay(L(lang, `Mohon ketik jawabannya sebagai teks. Contoh: ${example}`, `Please type the answer as text. Example: ${example}`));
}

/** Text of an input, or undefined for taps, media and the like. */
export const textOf = (input: { kind: string; text?: string }): string | undefined => (input.kind === 'text' && typeof input.text === 'string' ? input.text : undefined);

/** The id after a choice prefix (`forum:f:` + id), or undefined. */
export function choiceArg(input: { kind: string; id?: string }, prefix: string): string | undefined {
  return input.kind === 'choice' && typeof input.id === 'string' && input.id.startsWith(prefix) ? input.id.slice(prefix.length) : undefined;
}

/** A string field of flow data. */
export const str = (data: Record<string, unknown>, key: string): string | undefined => (typeof data[key] === 'string' ? (data[key] as string) : undefined);

/** The kelurahan a typed answer names ("karang rejo", "bdn ngisor"), read by the kelurahan slot. */
export function typedKelurahan(text: string): Kelurahan | undefined {
  const id = kelurahanSlot(text, 'answer');
  return id && id !== 'unknown' ? kelurahanFromSlug(id) : undefined;
}
