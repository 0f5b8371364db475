/**
 * Masking of personal numbers in anything we log or show to staff.
 * NIK (16-digit national id) and phone numbers keep only their last digits.
 */

const NIK_RE = /(?<!\d)(\d{12})(\d{4})(?!\d)/g;
// Indonesian and international phone numbers: +62 / 62 / 0 followed by 8-13 digits, with optional separators.
const PHONE_RE = /(?<![\d])(\+?62|0)([\s.-]?\d){8,13}(?![\d])/g;

/** Masks an identifier such as a phone number or wa_id: `6281234567890` → `62********890`. */
export function maskId(id: string | number | undefined | null): string {
  if (id === undefined || id === null) return '';
  const s = String(id);
  if (s.length <= 4) return '*'.repeat(s.length);
  const keepStart = s.length > 8 ? 2 : 0;
  return s.slice(0, keepStart) + '*'.repeat(s.length - keepStart - 3) + s.slice(-3);
}

/** Masks NIK numbers and phone numbers found inside free text. */
export function maskText(text: string): string {
  return text
    .replace(NIK_RE, (_m, _a: string, b: string) => `************${b}`)
    .replace(PHONE_RE, (m) => {
      const digits = m.replace(/\D/g, '');
      return `${digits.slice(0, 2)}******${digits.slice(-3)}`;
    });
}
