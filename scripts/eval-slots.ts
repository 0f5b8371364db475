/**
 * Slot extraction report on the labelled utterances of `flows/content/understanding/`.
 *
 *   npx tsx scripts/eval-slots.ts            # the train split (tune freely)
 *   npx tsx scripts/eval-slots.ts test       # the test split (report only, never tune on it)
 *   npx tsx scripts/eval-slots.ts train -v   # also list every miss, wrong value and extra
 *
 * Per slot: labelled, correct, missed, wrong value, extra (a slot found where the label lists
 * none), precision and recall. Labels list "only what the text really says", so a category found
 * in an FAQ question counts as extra. Street, person, date, time and ticket compare the text as
 * written (one containing the other); kelurahan, category and rating compare values. Dates are
 * resolved against Monday 30 November 2026, 10:00 WIB. Exit code 0 unless a file is broken.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { extractSlots } from '../src/domain/understanding/slots/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const split = process.argv[2] === 'test' ? 'test' : 'train';
const verbose = process.argv.includes('-v');
const dir = path.join(ROOT, 'flows/content/understanding', split);
const NOW = new Date('2026-11-30T03:00:00Z');

const itemSchema = z.object({ text: z.string(), intent: z.string(), slots: z.record(z.string(), z.unknown()).optional(), lang: z.string().optional() });
const TEXT_SLOTS = new Set(['street', 'person', 'date', 'time', 'ticket']);

const asText = (v: unknown): string =>
  String(typeof v === 'object' && v !== null ? ((v as { text?: unknown }).text ?? JSON.stringify(v)) : v).toLowerCase().trim();

if (!existsSync(dir)) {
  console.log(`No labelled utterances in ${path.relative(ROOT, dir)}.`);
  process.exit(0);
}
const stats = new Map<string, { correct: number; missed: number; wrong: number; extra: number }>();
const of = (k: string) => stats.get(k) ?? (stats.set(k, { correct: 0, missed: 0, wrong: 0, extra: 0 }), stats.get(k)!);
let items = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  const parsed = z.array(itemSchema).safeParse(parse(readFileSync(path.join(dir, file), 'utf8')));
  if (!parsed.success) {
    console.error(`${file}: ${parsed.error.message}`);
    process.exit(1);
  }
  for (const it of parsed.data) {
    items += 1;
    const want = it.slots ?? {};
    const got = extractSlots(it.text, NOW, 'Asia/Jakarta') as Record<string, unknown>;
    for (const k of new Set([...Object.keys(want), ...Object.keys(got)])) {
      // Ratings are read only where a rating was asked for; a bare "5" elsewhere is not one.
      if (k === 'rating' && !(k in want)) continue;
      const w = k in want ? asText(want[k]) : undefined;
      const g = k in got ? asText(got[k]) : undefined;
      const s = of(k);
      if (w !== undefined && g !== undefined) {
        if (TEXT_SLOTS.has(k) ? g.includes(w) || w.includes(g) : g === w) s.correct += 1;
        else {
          s.wrong += 1;
          if (verbose) console.log(`wrong  ${k}: "${it.text}" — labelled ${w}, found ${g}`);
        }
      } else if (w !== undefined) {
        s.missed += 1;
        if (verbose) console.log(`missed ${k}: "${it.text}" — labelled ${w}`);
      } else {
        s.extra += 1;
        if (verbose) console.log(`extra  ${k}: "${it.text}" — found ${g}`);
      }
    }
  }
}
const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)} %`);
console.log(`Slots on the ${split} split (${items} utterances)`);
console.log('slot        labelled  correct  missed  wrong  extra  precision  recall');
for (const [k, s] of [...stats.entries()].sort()) {
  const labelled = s.correct + s.missed + s.wrong;
  console.log(
    `${k.padEnd(11)} ${String(labelled).padStart(8)} ${String(s.correct).padStart(8)} ${String(s.missed).padStart(7)} ${String(s.wrong).padStart(6)} ${String(s.extra).padStart(6)}  ${pct(s.correct, s.correct + s.wrong + s.extra).padStart(9)}  ${pct(s.correct, labelled).padStart(6)}`,
  );
}
