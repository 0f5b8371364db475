/**
 * What people type, made safe to store: control characters removed, whitespace tidied, length
 * checked. The text is otherwise kept as written.
 */

// C0/C1 control characters except newline and tab; also zero-width and bidi overrides.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Result of cleaning one field. */
export type CleanResult = { ok: true; value: string } | { ok: false; reason: 'empty' | 'tooLong' | 'tooShort'; max: number; min: number };

/**
 * Cleans one line of input: control characters removed, runs of spaces collapsed, trimmed.
 * `multiline` keeps single newlines (topics, descriptions).
 */
export function cleanInput(raw: string, opts: { min?: number; max: number; multiline?: boolean }): CleanResult {
  const min = opts.min ?? 1;
  let s = raw.replace(CONTROL, '');
  s = opts.multiline ? s.replace(/[ \t]+/g, ' ').replace(/\n{3,}/g, '\n\n') : s.replace(/\s+/g, ' ');
  s = s.trim();
  if (s.length === 0) return { ok: false, reason: 'empty', max: opts.max, min };
  if ([...s].length > opts.max) return { ok: false, reason: 'tooLong', max: opts.max, min };
  if ([...s].length < min) return { ok: false, reason: 'tooShort', max: opts.max, min };
  return { ok: true, value: s };
}

/** An Indonesian phone number as digits in international form (`62…`), or undefined. */
export function normalisePhone(raw: string): string | undefined {
  const digits = raw.replace(/[\s().-]/g, '');
  if (!/^\+?\d{8,15}$/.test(digits)) return undefined;
  const d = digits.replace(/^\+/, '');
  if (d.startsWith('62')) return d.length >= 10 ? d : undefined;
  if (d.startsWith('0')) return `62${d.slice(1)}`;
  if (d.startsWith('8')) return `62${d}`;
  return undefined;
}
