/**
 * Knowledge-base types for the applicants' FAQ (ASN recruitment).
 * The YAML files under `flows/content/faq/` hold arrays of {@link FaqEntry}.
 */

import type { Bilingual, Lang } from '../../core/messages.js';

/** The languages and bilingual texts are the core's (src/core/messages.ts); re-exported for FAQ code. */
export type { Bilingual, Lang };

/**
 * One knowledge-base entry: a question family and its single answer.
 * Stable `id` is the upsert key in MongoDB, so never rename an id once shipped.
 */
export interface FaqEntry {
  /** Stable kebab-case id, e.g. `cpns-usia-maksimal`. */
  id: string;
  /** Topic shared by sibling entries across tracks (e.g. `usia`), used for follow-ups like "kalau PPPK?". */
  topic: string;
  /** Which recruitment track the entry is about. `umum` = applies to both / general. */
  track: 'cpns' | 'pppk' | 'umum';
  /** Short human title, shown as a choice when a question is ambiguous (≤ 24 chars fits a WhatsApp list row). */
  title: Bilingual;
  /** Several ways people ask this, in each language (≥ 4 Indonesian, ≥ 2 English). */
  questions: { id: string[]; en: string[] };
  /** Extra search keywords / synonyms (optional), any language. */
  keywords?: string[];
  /** The answer, under 1,000 characters per language, plain text (no markup). */
  answer: Bilingual;
  /** Regulation or official announcement the answer rests on, e.g. "PermenPANRB No. 6 Tahun 2024". */
  source: string;
  /** Optional public URL(s) backing the source. */
  sourceUrls?: string[];
  /** What the rule applies to, e.g. { id: "seleksi CPNS 2024", en: "the 2024 CPNS selection" }. */
  appliesTo: Bilingual;
  /** Year the rule applies to (the `appliesTo` round). */
  year: number;
}
