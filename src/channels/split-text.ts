/**
 * Splits text into pieces of at most `max` characters (counted as code points), preferring
 * paragraph, then line, then sentence, then word boundaries; a word is never cut unless it alone
 * is longer than `max`.
 */
export function splitText(text: string, max: number): string[] {
  const chars = [...text];
  if (chars.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const window = [...rest].slice(0, max + 1).join('');
    let cut = -1;
    for (const sep of ['\n\n', '\n', '. ', ' ']) {
      const i = window.lastIndexOf(sep, window.length - 1);
      if (i > max * 0.3) {
        cut = i + (sep === '. ' ? 1 : 0);
        break;
      }
    }
    if (cut <= 0) cut = [...rest].slice(0, max).join('').length; // one huge word
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts.filter((p) => p.length > 0);
}

/** Shortens a label to `max` characters with an ellipsis. */
export function clip(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
