/**
 * Every Indonesian text the service sends addresses the person as "Anda": never "kamu", "kak" or
 * a possessive "-mu" (checked on the FAQ answers and on the flow and domain source texts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFaqEntries } from '../../src/domain/faq/load-content.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Words ending in "mu" that are not the possessive. */
const NOT_POSSESSIVE = new Set(['ilmu', 'umum', 'temu', 'ketemu', 'bertemu', 'tamu', 'jamu', 'semu', 'ramu', 'jumu']);
const informal = (s: string): string[] =>
  [...s.matchAll(/\b(kamu|kak|kakak|\p{L}{3,}mu)\b/giu)].map((m) => m[1]!).filter((w) => !NOT_POSSESSIVE.has(w.toLowerCase()));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'content' || e.name === 'slots' ? [] : sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('Addressing people as "Anda"', () => {
  it('in every Indonesian FAQ answer', async () => {
    const entries = await loadFaqEntries(path.join(ROOT, 'flows/content/faq'));
    const found = entries.flatMap((e) => informal(e.answer.id).map((w) => `${e.id}: ${w}`));
    expect(found).toEqual([]);
  });

  it('in the Indonesian texts of the flows and domain messages', () => {
    // Indonesian strings are the `id:` texts and `L(lang, '<id>', …)` first arguments; comments and
    // the understanding lexicons (which read what people type) are left out.
    const found: string[] = [];
    for (const file of [...sourceFiles(path.join(ROOT, 'flows')), ...sourceFiles(path.join(ROOT, 'src/domain'))]) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const m of code.matchAll(/\bid:\s*(['`])((?:(?!\1).)*)\1|\bL\([^,]+,\s*(['`])((?:(?!\3).)*)\3/g)) {
        for (const w of informal(m[2] ?? m[4] ?? '')) found.push(`${path.relative(ROOT, file)}: ${w}`);
      }
    }
    expect(found).toEqual([]);
  });
});
