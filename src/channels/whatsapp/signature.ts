import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=` followed by exactly 64 hex digits, nothing before or after. */
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` header: an HMAC-SHA256 of the raw request
 * bytes keyed with the app secret, compared in constant time. The hex is parsed strictly: Node's
 * `Buffer.from(s, 'hex')` stops at the first non-hex character, so a valid HMAC followed by extra
 * characters would otherwise pass.
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const m = header ? SIGNATURE.exec(header) : null;
  if (!m) return false;
  const given = Buffer.from(m[1]!, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Compares two secrets in constant time (for their length: the lengths themselves may leak). */
export function secretsEqual(given: string, expected: string): boolean {
  // Hash both so the comparison runs over equal lengths whatever was given.
  const a = createHmac('sha256', 'compare').update(given).digest();
  const b = createHmac('sha256', 'compare').update(expected).digest();
  return timingSafeEqual(a, b);
}
