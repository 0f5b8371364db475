/**
 * HTML built by tagged templates that escape every interpolated value. Only a {@link SafeHtml}
 * (the result of `html`…`` or {@link raw}) is inserted as is; strings, numbers and dates are
 * escaped, arrays are joined, and `null`, `undefined` and `false` render nothing.
 */

/** Markup that is already safe to insert. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for use in element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\`` — escapes every value that is not already {@link SafeHtml}. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Trusted markup (constants written in this code base only; never user input). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** `selected` / `checked` attribute helper. */
export function attrIf(on: boolean, name: 'selected' | 'checked' | 'disabled'): SafeHtml {
  return new SafeHtml(on ? ` ${name}` : '');
}
