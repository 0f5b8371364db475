/**
 * CSV export of registrants for staff: UTF-8 with a byte-order mark (so Excel shows names with
 * accents correctly), CRLF line ends, every cell quoted. Cells that a spreadsheet would run as a
 * formula (= + - @ at the start) get a leading apostrophe.
 */

import { stripBidiControls } from '../../core/bidi.js';

const BOM = '\uFEFF';

function cell(value: string | number | undefined | null): string {
  let s = value === undefined || value === null ? '' : stripBidiControls(String(value));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Rows → CSV bytes (header first). */
export function toCsv(header: string[], rows: Array<Array<string | number | undefined | null>>): Buffer {
  const lines = [header, ...rows].map((r) => r.map(cell).join(','));
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
