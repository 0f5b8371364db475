/**
 * Loads and validates the FAQ knowledge base (`flows/content/faq/*.yaml`).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { FaqEntry } from './types.js';

/** One problem found in the FAQ content. */
export interface FaqContentProblem {
  /** File name (relative to the loaded folder). */
  file: string;
  /** Entry id, when the entry has one. */
  id?: string;
  /** Index of the entry in its file (0-based), when relevant. */
  index?: number;
  /** Dotted path of the offending field inside the entry, if any. */
  field?: string;
  /** Human-readable description. */
  message: string;
}

/** Thrown by {@link loadFaqEntries} when the content is broken; lists every problem found. */
export class FaqContentError extends Error {
  /** All problems, one per field/entry. */
  readonly problems: FaqContentProblem[];

  constructor(problems: FaqContentProblem[]) {
    const lines = problems.map((p) => {
      const where = [p.file, p.id ?? (p.index !== undefined ? `#${p.index}` : undefined), p.field].filter(Boolean).join(' › ');
      return `  - ${where}: ${p.message}`;
    });
    super(`FAQ content has ${problems.length} problem(s):\n${lines.join('\n')}`);
    this.name = 'FaqContentError';
    this.problems = problems;
  }
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const bilingual = z.object({ id: nonEmpty, en: nonEmpty }).strict();
const answerText = nonEmpty.max(1000, 'answer must be under 1,000 characters');

/** Zod schema of one {@link FaqEntry}. */
export const faqEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id must be kebab-case'),
    topic: nonEmpty,
    track: z.enum(['cpns', 'pppk', 'umum']),
    title: bilingual,
    questions: z
      .object({
        id: z.array(nonEmpty).min(4, 'needs at least 4 Indonesian questions'),
        en: z.array(nonEmpty).min(2, 'needs at least 2 English questions'),
      })
      .strict(),
    keywords: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
    answer: z.object({ id: answerText, en: answerText }).strict(),
    source: nonEmpty,
    sourceUrls: z.array(z.string().url('must be a URL')).optional(),
    appliesTo: bilingual,
    year: z.number().int().min(2000).max(2100),
  })
  .strict();

/**
 * Reads every `*.yaml` / `*.yml` file directly under `dir` (sorted by name),
 * each holding an array of entries, and validates them. Duplicate ids across
 * files are an error too.
 *
 * @throws FaqContentError listing every problem with file and entry id.
 */
export async function loadFaqEntries(dir: string): Promise<FaqEntry[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  const problems: FaqContentProblem[] = [];
  const entries: FaqEntry[] = [];
  const seen = new Map<string, string>();
  if (names.length === 0) problems.push({ file: dir, message: 'no *.yaml file found' });

  for (const file of names) {
    let doc: unknown;
    try {
      doc = parseYaml(await readFile(path.join(dir, file), 'utf8'));
    } catch (err) {
      problems.push({ file, message: `YAML syntax error: ${(err as Error).message.split('\n')[0] ?? ''}` });
      continue;
    }
    if (doc === null || doc === undefined) continue; // empty file
    if (!Array.isArray(doc)) {
      problems.push({ file, message: 'the file must contain a YAML list of entries' });
      continue;
    }
    doc.forEach((raw: unknown, index) => {
      const rawId = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : undefined;
      const parsed = faqEntrySchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          problems.push({ file, id: rawId, index, field: issue.path.join('.') || undefined, message: issue.message });
        }
        return;
      }
      const entry = parsed.data as FaqEntry;
      const previous = seen.get(entry.id);
      if (previous !== undefined) {
        problems.push({ file, id: entry.id, index, message: `duplicate id (also in ${previous})` });
        return;
      }
      seen.set(entry.id, file);
      entries.push(entry);
    });
  }
  if (problems.length > 0) throw new FaqContentError(problems);
  return entries;
}
