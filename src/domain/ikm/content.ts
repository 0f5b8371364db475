/**
 * The SKM questionnaire (`flows/content/ikm/questionnaire.yaml`), validated at load with zod.
 * The nine elements and their four-point answers are the regulation's (PermenPANRB 14/2017,
 * Lampiran); the office may edit the wording, not the shape.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Lang } from '../../core/messages.js';
import { PROJECT_ROOT } from '../../project-root.js';

/** The nine elements (unsur) a–i of the regulation, in its order. */
export const ELEMENT_IDS = ['persyaratan', 'prosedur', 'waktu', 'biaya', 'produk', 'kompetensi', 'perilaku', 'pengaduan', 'sarana'] as const;
export type ElementId = (typeof ELEMENT_IDS)[number];

/** Kinds of service surveyed. */
export const SERVICE_IDS = ['pengaduan', 'forum', 'layanan'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

/** Profile questions of the regulation's form. */
export const PROFILE_IDS = ['umur', 'jenis_kelamin', 'pendidikan', 'pekerjaan'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** One WhatsApp list row title holds 24 characters. */
export const OPTION_TITLE_MAX = 24;

const text = z.string().trim().min(1, 'must not be empty');
const bilingual = z.object({ id: text, en: text }).strict();
const optionTitle = z.object({ id: text.max(OPTION_TITLE_MAX), en: text.max(OPTION_TITLE_MAX) }).strict();
const question = z.object({ id: text.max(900), en: text.max(900) }).strict();

const elementSchema = z
  .object({
    id: z.enum(ELEMENT_IDS),
    code: z.string().regex(/^U[1-9]$/),
    name: bilingual,
    question,
    answers: z.array(optionTitle).length(4, 'the regulation\'s scale has exactly four answers (1..4)'),
  })
  .strict();

const serviceSchema = z
  .object({
    id: z.enum(SERVICE_IDS),
    name: bilingual,
    questions: z.partialRecord(z.enum(ELEMENT_IDS), question).optional(),
  })
  .strict();

const profileSchema = z
  .object({
    id: z.enum(PROFILE_IDS),
    question: bilingual,
    options: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9<+-]{1,12}$/), title: optionTitle }).strict()).min(2).max(8),
  })
  .strict();

/** Zod schema of the whole questionnaire file. */
export const questionnaireSchema = z
  .object({
    source: text,
    elements: z.array(elementSchema).length(9),
    services: z.array(serviceSchema).min(1),
    profile: z.array(profileSchema).length(PROFILE_IDS.length),
  })
  .strict()
  .superRefine((q, ctx) => {
    q.elements.forEach((e, i) => {
      if (e.id !== ELEMENT_IDS[i]) ctx.addIssue({ code: 'custom', path: ['elements', i, 'id'], message: `element ${i + 1} must be "${ELEMENT_IDS[i]}" (the regulation's order)` });
      if (e.code !== `U${i + 1}`) ctx.addIssue({ code: 'custom', path: ['elements', i, 'code'], message: `must be U${i + 1}` });
    });
    for (const id of SERVICE_IDS) if (!q.services.some((s) => s.id === id)) ctx.addIssue({ code: 'custom', path: ['services'], message: `service "${id}" is missing` });
    q.profile.forEach((p, i) => {
      if (p.id !== PROFILE_IDS[i]) ctx.addIssue({ code: 'custom', path: ['profile', i, 'id'], message: `profile question ${i + 1} must be "${PROFILE_IDS[i]}"` });
    });
  });

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type QuestionnaireElement = Questionnaire['elements'][number];
export type ProfileQuestion = Questionnaire['profile'][number];

/** Raised when the questionnaire file is broken; lists every problem. */
export class IkmContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`IKM questionnaire has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'IkmContentError';
  }
}

/** Parses and validates questionnaire YAML text. */
export function parseQuestionnaire(yamlText: string): Questionnaire {
  const r = questionnaireSchema.safeParse(parseYaml(yamlText));
  if (!r.success) throw new IkmContentError(r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`));
  return r.data;
}

/** Default location of the questionnaire. */
export const QUESTIONNAIRE_FILE = path.join(PROJECT_ROOT, 'flows', 'content', 'ikm', 'questionnaire.yaml');

/** Loads the questionnaire (throws {@link IkmContentError} when it is broken). */
export async function loadQuestionnaire(file = QUESTIONNAIRE_FILE): Promise<Questionnaire> {
  return parseQuestionnaire(await readFile(file, 'utf8'));
}

/** The question of an element for a service (the service's own wording, else the default). */
export function questionFor(q: Questionnaire, service: ServiceId, element: number, lang: Lang): string {
  const e = q.elements[element]!;
  const s = q.services.find((x) => x.id === service);
  return (s?.questions?.[e.id] ?? e.question)[lang];
}

/** The name of a service. */
export function serviceName(q: Questionnaire, service: ServiceId, lang: Lang): string {
  return q.services.find((s) => s.id === service)?.name[lang] ?? service;
}
