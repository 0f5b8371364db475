/**
 * Words that work in every state of a conversation. Matched against the whole message only,
 * so "menu" inside a sentence is not a command. Everything else a person types (greetings,
 * thanks, questions, reports) goes through the understanding step (src/domain/understanding/).
 */
import type { InboundContent, Lang } from './messages.js';

export type GlobalWord =
  | { kind: 'menu' }
  | { kind: 'cancel' }
  | { kind: 'back' }
  | { kind: 'help' }
  | { kind: 'language'; to: Lang | 'toggle' };

const WORDS: Record<string, GlobalWord> = {};
const add = (w: GlobalWord, ...keys: string[]) => keys.forEach((k) => (WORDS[k] = w));
add({ kind: 'menu' }, 'menu', 'mulai', 'start', 'menu utama', 'main menu', 'home', 'beranda', 'kembali ke menu');
add({ kind: 'cancel' }, 'batal', 'batalkan', 'cancel', 'stop', 'berhenti');
add({ kind: 'back' }, 'kembali', 'back', 'balik', 'sebelumnya', 'previous');
add({ kind: 'help' }, 'bantuan', 'help', 'tolong', 'panduan', 'petunjuk', 'info');
add({ kind: 'language', to: 'toggle' }, 'bahasa', 'language', 'ganti bahasa', 'change language');
add({ kind: 'language', to: 'en' }, 'english', 'in english', 'bahasa inggris');
add({ kind: 'language', to: 'id' }, 'bahasa indonesia', 'indonesia', 'indonesian');

const COMMANDS: Record<string, GlobalWord> = {
  start: { kind: 'menu' },
  menu: { kind: 'menu' },
  mulai: { kind: 'menu' },
  batal: { kind: 'cancel' },
  cancel: { kind: 'cancel' },
  kembali: { kind: 'back' },
  back: { kind: 'back' },
  bantuan: { kind: 'help' },
  help: { kind: 'help' },
  bahasa: { kind: 'language', to: 'toggle' },
  language: { kind: 'language', to: 'toggle' },
};


/** Lower-cases, drops punctuation/emoji and collapses spaces: "Menu!!" → "menu". */
export function simplify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}\s/]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The global word a message is, if any. */
export function globalWordOf(content: InboundContent): GlobalWord | null {
  if (content.kind === 'command') return COMMANDS[content.command] ?? null;
  if (content.kind === 'choice') {
    if (content.id === 'g:menu') return { kind: 'menu' };
    if (content.id === 'g:help') return { kind: 'help' };
    if (content.id === 'g:lang') return { kind: 'language', to: 'toggle' };
    if (content.id === 'g:back') return { kind: 'back' };
    if (content.id === 'g:cancel') return { kind: 'cancel' };
    return null;
  }
  if (content.kind !== 'text') return null;
  const s = simplify(content.text).replace(/^\//, '');
  return WORDS[s] ?? null;
}
