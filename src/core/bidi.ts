/**
 * Unicode direction controls (embeddings, overrides and isolates: U+202A–202E, U+2066–2069) make
 * text display in a different order from the one it was written in ("Trojan Source"): an address
 * or a description could read differently to staff than what the resident sent. The service never
 * needs them (Bahasa Indonesia and English are left-to-right; right-to-left scripts display
 * correctly without them), so they are removed wherever text is stored or shown to staff.
 */
import type { Reply } from './messages.js';

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** `text` without direction embedding, override or isolate characters. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** True when `text` holds any direction control. */
export function hasBidiControls(text: string): boolean {
  return /[\u202A-\u202E\u2066-\u2069]/.test(text);
}

/** The reply with direction controls removed from every text a person reads in it. */
export function neutraliseReply(reply: Reply): Reply {
  const s = stripBidiControls;
  switch (reply.kind) {
    case 'text':
      return {
        ...reply,
        text: s(reply.text),
        ...(reply.choices ? { choices: reply.choices.map((c) => ({ ...c, title: s(c.title), ...(c.description !== undefined ? { description: s(c.description) } : {}) })) } : {}),
      };
    case 'document':
      return { ...reply, fileName: s(reply.fileName), ...(reply.caption !== undefined ? { caption: s(reply.caption) } : {}) };
    case 'location':
      return { ...reply, ...(reply.name !== undefined ? { name: s(reply.name) } : {}), ...(reply.address !== undefined ? { address: s(reply.address) } : {}) };
    case 'template':
      return { ...reply, bodyParams: reply.bodyParams.map(s), fallbackText: s(reply.fallbackText) };
  }
}
