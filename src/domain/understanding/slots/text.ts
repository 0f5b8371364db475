/**
 * Shared helpers of the slot extractors: one way to fold what people type ("Kel. Bendan
 * Dhuwur!!" → "kel bendan dhuwur") and a bounded edit distance for close spellings.
 */
import { cleanText } from '../../faq/normalize.js';
import { editDistance } from '../../faq/edit-distance.js';

export { editDistance };

/** Lower-case words without punctuation, elongations folded ("bangettt" → "banget"). */
export function words(text: string): string[] {
  const s = cleanText(text);
  return s ? s.split(' ') : [];
}

/** `words` joined by single spaces and padded, so `has(" lampu jalan ")` is a whole-word test. */
export function padded(text: string): string {
  return ` ${words(text).join(' ')} `;
}

/** True when any of `phrases` occurs as whole words in the padded text. */
export function hasAny(paddedText: string, phrases: readonly string[]): boolean {
  return phrases.some((p) => paddedText.includes(` ${p} `));
}

/** Lower-cased text with only spacing normalised (keeps "/", ".", ":" for dates and times). */
export function lowered(text: string): string {
  return text.toLowerCase().normalize('NFKC').replace(/\s+/g, ' ').trim();
}
