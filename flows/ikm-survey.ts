/**
 * Survei Kepuasan Masyarakat (PermenPANRB No. 14 Tahun 2017) in the chat:
 *
 *   intro ("Isi survei" / "Nanti saja"; refused when already taken this period)
 *     └─► element ×9 (one tap: the element's four answers; typed "3", "baik", "sangat mudah" too)
 *           └─► profile ×4 (umur, jenis kelamin, pendidikan, pekerjaan; each "Lewati")
 *                 └─► suggestion (free text or "Lewati") ─► stored anonymously ─► thanks + the office's IKM
 *
 * Offered after a complaint is closed and rated (the offer follows the rating's thanks), after a
 * forum the person attended (a pushed offer: a typed "ya" starts it), and from the menu ("layanan
 * kantor kecamatan"). "kembali" goes back one question to change the answer; "batal" stops; the
 * progress lives in the session, so it resumes after a restart. At most once per person per
 * service per period (IKM_PERIOD_MONTHS), decided when the answers are stored.
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { Choice, InboundContent, Lang, Reply } from '../src/core/messages.js';
import { charLength, cleanText } from '../src/domain/complaints/text.js';
import { readScaleAnswer } from '../src/domain/ikm/answer-reader.js';
import { SERVICE_IDS, questionFor, serviceName, type ProfileId, type Questionnaire, type ServiceId } from '../src/domain/ikm/content.js';
import { periodLabel } from '../src/domain/ikm/period.js';
import { GRADE_LABEL, ELEMENT_COUNT } from '../src/domain/ikm/scoring.js';
import type { IkmService } from '../src/domain/ikm/service.js';
import { ikmFigure } from '../src/domain/ikm/tabulation.js';
import { yesNo } from '../src/domain/understanding/slots/index.js';
import type { AppServices } from '../src/services.js';
import { fill } from './texts.js';

export const SUGGESTION_MAX = 1000;

const T = {
  intro: {
    id: 'Survei Kepuasan Masyarakat Kecamatan Gajahmungkur\nLayanan: {service}\n\n9 pertanyaan, masing-masing cukup satu ketukan, tanpa nama. Data diri boleh dilewati. Bersedia mengisi sekarang?',
    en: 'Public Satisfaction Survey of the Gajahmungkur sub-district office\nService: {service}\n\n9 questions, one tap each, anonymous. Personal details can be skipped. Would you like to answer now?',
  },
  offerAfter: {
    id: 'Bersediakah Anda mengisi Survei Kepuasan Masyarakat tentang {service}? 9 pertanyaan singkat, satu ketukan per pertanyaan, tanpa nama.',
    en: 'Would you answer the Public Satisfaction Survey about {service}? 9 short questions, one tap each, anonymous.',
  },
  start: { id: 'Isi survei', en: 'Answer survey' },
  later: { id: 'Nanti saja', en: 'Not now' },
  laterDone: { id: 'Baik, terima kasih. Survei bisa Anda isi kapan saja dari menu (Survei kepuasan).', en: 'All right, thank you. You can answer the survey any time from the menu (Satisfaction survey).' },
  howTo: {
    id: 'Terima kasih! Pilih jawaban yang paling sesuai. Ketik "kembali" untuk mengubah jawaban sebelumnya, atau "batal" untuk berhenti.',
    en: 'Thank you! Pick the answer that fits best. Type "back" to change the previous answer, or "cancel" to stop.',
  },
  question: { id: 'Pertanyaan {n}/{total} · {name}\n{question}', en: 'Question {n}/{total} · {name}\n{question}' },
  pickAnswer: { id: 'Mohon pilih salah satu dari empat jawaban untuk pertanyaan ini (atau ketik 1–4).', en: 'Please pick one of the four answers to this question (or type 1–4).' },
  profileIntro: { id: 'Terakhir, sedikit tentang Anda (boleh dilewati):', en: 'Finally, a little about you (you may skip):' },
  skip: { id: 'Lewati', en: 'Skip' },
  askSuggestion: {
    id: 'Ada saran atau masukan untuk layanan kami? Ketik di sini, atau pilih Lewati.',
    en: 'Any suggestion or feedback for our services? Type it here, or choose Skip.',
  },
  tooLong: { id: 'Sarannya terlalu panjang ({length} karakter). Maksimal {max} karakter.', en: 'The suggestion is too long ({length} characters). At most {max}.' },
  needText: { id: 'Mohon tulis saran Anda sebagai teks, atau pilih Lewati.', en: 'Please type your suggestion, or choose Skip.' },
  thanks: { id: 'Terima kasih, jawaban Anda sudah kami simpan tanpa nama. 🙏', en: 'Thank you, your answers are saved anonymously. 🙏' },
  score: {
    id: 'Indeks Kepuasan Masyarakat Kecamatan Gajahmungkur {period}: {ikm} (mutu {grade}, {label}), dari {n} responden.',
    en: 'Public Satisfaction Index of the Gajahmungkur sub-district office {period}: {ikm} (grade {grade}, {label}), from {n} respondents.',
  },
  provisional: { id: ' (sementara, periode berjalan)', en: ' (provisional, current period)' },
  already: {
    id: 'Terima kasih, Anda sudah mengisi survei tentang {service} pada periode {period}. Survei berikutnya bisa diisi pada periode selanjutnya.',
    en: 'Thank you, you have already answered the survey about {service} for {period}. The next one opens in the next period.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

function say(lang: Lang, key: keyof typeof T, vars: Record<string, string | number> = {}): string {
  return fill(T[key][lang], vars);
}

const text = (t: string, choices?: Choice[]): Reply => (choices?.length ? { kind: 'text', text: t, choices } : { kind: 'text', text: t });

function isService(s: unknown): s is ServiceId {
  return typeof s === 'string' && (SERVICE_IDS as readonly string[]).includes(s);
}

/** The offer shown after a rated complaint (or pushed after a forum): "Isi survei" / "Nanti saja". */
export function ikmOffer(q: Questionnaire, service: ServiceId, lang: Lang): Reply {
  return text(say(lang, 'offerAfter', { service: serviceName(q, service, lang).toLowerCase() }), [
    { id: `ikm-survey:offer:${service}`, title: say(lang, 'start') },
    { id: 'ikm-survey:later', title: say(lang, 'later') },
  ]);
}

type Ctx = StepContext<AppServices>;

/** The age group of a typed age ("35", "umur 35 tahun"). */
function ageGroup(input: string): string | undefined {
  const m = /(\d{1,3})/.exec(input);
  if (!m) return undefined;
  const age = Number(m[1]);
  if (age < 10 || age > 120) return undefined;
  if (age < 20) return '<20';
  if (age >= 60) return '60+';
  const d = Math.floor(age / 10) * 10;
  return `${d}-${d + 9}`;
}

function simple(s: string): string {
  return s.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
}

export function ikmSurveyFlow(deps: { ikm: IkmService; questionnaire: Questionnaire }): Flow<AppServices> {
  const { ikm, questionnaire: q } = deps;

  const serviceOf = (ctx: Ctx): ServiceId => (isService(ctx.data['service']) ? ctx.data['service'] : 'layanan');
  const answersOf = (ctx: Ctx): number[] => (Array.isArray(ctx.data['answers']) ? (ctx.data['answers'] as unknown[]).filter((v): v is number => typeof v === 'number') : []);
  const profileOf = (ctx: Ctx): Partial<Record<ProfileId, string>> => ({ ...((ctx.data['profile'] as Record<string, string> | undefined) ?? {}) });
  const profileIndex = (ctx: Ctx): number => (typeof ctx.data['p'] === 'number' ? ctx.data['p'] : 0);

  const introPrompt = (ctx: Ctx): Reply[] => [
    text(say(ctx.lang, 'intro', { service: serviceName(q, serviceOf(ctx), ctx.lang) }), [
      { id: 'ikm-survey:begin', title: say(ctx.lang, 'start') },
      { id: 'ikm-survey:later', title: say(ctx.lang, 'later') },
    ]),
  ];

  const alreadyTaken = (ctx: Ctx, service: ServiceId): StepOutcome => {
    const period = periodLabel(ikm.periodAt(ctx.now), ikm.settings.tz);
    return { kind: 'done', say: [text(say(ctx.lang, 'already', { service: serviceName(q, service, ctx.lang).toLowerCase(), period }))] };
  };

  const begin = async (ctx: Ctx, service: ServiceId): Promise<StepOutcome> => {
    if (await ikm.hasTaken(ctx.contact, service, ctx.now)) return alreadyTaken(ctx, service);
    return { kind: 'next', step: 'element', data: { service, answers: [] }, say: [text(say(ctx.lang, 'howTo'))] };
  };

  const elementPrompt = (ctx: Ctx, prefix?: string): Reply[] => {
    const i = Math.min(answersOf(ctx).length, ELEMENT_COUNT - 1);
    const e = q.elements[i]!;
    const body = say(ctx.lang, 'question', { n: i + 1, total: ELEMENT_COUNT, name: e.name[ctx.lang], question: questionFor(q, serviceOf(ctx), i, ctx.lang) });
    // The question's number is in the id: a tap on an older question's list is not taken for this one.
    const choices = e.answers.map((a, v) => ({ id: `ikm-survey:a:${i + 1}:${v + 1}`, title: a[ctx.lang] }));
    return [text(prefix ? `${prefix}\n\n${body}` : body, choices)];
  };

  /** The value of an answer to the current element: a tapped answer, or a typed one. */
  const elementValue = (ctx: Ctx, input: InboundContent): number | undefined => {
    if (input.kind === 'choice') {
      const m = /^ikm-survey:a:([1-9]):([1-4])$/.exec(input.id);
      return m && Number(m[1]) === answersOf(ctx).length + 1 ? Number(m[2]) : undefined;
    }
    if (input.kind !== 'text') return undefined;
    const e = q.elements[Math.min(answersOf(ctx).length, ELEMENT_COUNT - 1)]!;
    return readScaleAnswer(input.text, e.answers);
  };

  const profilePrompt = (ctx: Ctx): Reply[] => {
    const p = q.profile[profileIndex(ctx)]!;
    const first = profileIndex(ctx) === 0 ? `${say(ctx.lang, 'profileIntro')}\n\n` : '';
    const choices = [...p.options.map((o) => ({ id: `ikm-survey:p:${o.id}`, title: o.title[ctx.lang] })), { id: 'ikm-survey:p:skip', title: say(ctx.lang, 'skip') }];
    return [{ kind: 'text', text: `${first}${p.question[ctx.lang]}`, choices, listButton: ctx.lang === 'en' ? 'Choose' : 'Pilih' }];
  };

  /** The option id a profile answer picks, `skip`, or null when it is neither. */
  const profileAnswer = (ctx: Ctx, input: InboundContent): string | null => {
    const p = q.profile[profileIndex(ctx)]!;
    if (input.kind === 'choice' && input.id === 'ikm-survey:p:skip') return 'skip';
    if (input.kind === 'choice' && input.id.startsWith('ikm-survey:p:')) return p.options.find((o) => o.id === input.id.slice('ikm-survey:p:'.length))?.id ?? null;
    if (input.kind !== 'text') return null;
    const s = simple(input.text);
    if (/^(lewati|lewat|skip|tidak usah|ga usah|gak usah)$/.test(s)) return 'skip';
    return (p.id === 'umur' ? ageGroup(s) : undefined) ?? p.options.find((o) => simple(o.title.id) === s || simple(o.title.en) === s || simple(o.id) === s)?.id ?? null;
  };

  const submit = async (ctx: Ctx, suggestion: string | undefined): Promise<StepOutcome> => {
    const service = serviceOf(ctx);
    const answers = answersOf(ctx);
    if (answers.length !== ELEMENT_COUNT) return { kind: 'next', step: 'element', data: { ...ctx.data, answers } };
    const r = await ikm.submit(ctx.contact, { service, answers, profile: profileOf(ctx), ...(suggestion ? { suggestion } : {}), lang: ctx.lang }, ctx.now);
    if (r.kind === 'already-taken') return alreadyTaken(ctx, service);
    const lines = [say(ctx.lang, 'thanks')];
    const latest = await ikm.latestScore(ctx.now);
    if (latest && latest.summary.all.ikm !== null && latest.summary.all.grade) {
      const s = latest.summary;
      lines.push(
        say(ctx.lang, 'score', {
          period: periodLabel(s.period, ikm.settings.tz),
          ikm: ikmFigure(s.all.ikm),
          grade: s.all.grade!,
          label: GRADE_LABEL[s.all.grade!][ctx.lang],
          n: s.all.respondents,
        }) + (latest.provisional ? say(ctx.lang, 'provisional') : ''),
      );
    }
    return { kind: 'done', say: [text(lines.join('\n\n'))] };
  };

  return {
    name: 'ikm-survey',
    title: { id: 'Survei kepuasan', en: 'Satisfaction survey' },
    start: 'intro',
    menu: { order: 40, title: { id: 'Survei kepuasan', en: 'Satisfaction survey' }, description: { id: 'Nilai layanan kantor kecamatan (SKM)', en: 'Rate the office’s services (SKM)' } },
    commands: ['survei', 'skm'],
    intents: ['ikm.survey'],
    // "mau isi survei kepuasan" is a request, not an answer: prompt the intro.
    feedIntent: false,
    steps: {
      intro: {
        prompt: (ctx) => introPrompt(ctx),
        // A typed reply to a pushed offer ("ya" / "nanti saja").
        accepts: (_ctx, input) => input.kind === 'text' && (yesNo(input.text) !== undefined || /^nanti( saja| aja)?$/.test(simple(input.text))),
        async handle(ctx, input) {
          if (input.kind === 'choice') {
            const offer = /^ikm-survey:offer:([a-z]+)$/.exec(input.id);
            if (offer && isService(offer[1])) return begin(ctx, offer[1]);
            if (input.id === 'ikm-survey:begin') return begin(ctx, serviceOf(ctx));
            if (input.id === 'ikm-survey:later') return { kind: 'done', say: [text(say(ctx.lang, 'laterDone'))] };
            // An answer button from a survey already finished or cancelled: start over politely.
          }
          if (input.kind === 'command') return begin(ctx, serviceOf(ctx));
          if (input.kind === 'text') {
            const yn = yesNo(input.text);
            if (yn === 'yes') return begin(ctx, serviceOf(ctx));
            if (yn === 'no' || /^nanti( saja| aja)?$/.test(simple(input.text))) return { kind: 'done', say: [text(say(ctx.lang, 'laterDone'))] };
          }
          return { kind: 'stay', say: introPrompt(ctx) };
        },
      },
      element: {
        prompt: (ctx) => elementPrompt(ctx),
        // Typed answers ("3", "baik", "sangat mudah") are answers here, not new requests.
        accepts: (ctx, input) => elementValue(ctx, input) !== undefined,
        handle(ctx, input) {
          const v = elementValue(ctx, input);
          if (v === undefined) return { kind: 'stay', say: elementPrompt(ctx, say(ctx.lang, 'pickAnswer')) };
          const answers = [...answersOf(ctx), v].slice(0, ELEMENT_COUNT);
          if (answers.length < ELEMENT_COUNT) return { kind: 'next', step: 'element', data: { ...ctx.data, answers } };
          return { kind: 'next', step: 'profile', data: { ...ctx.data, answers, p: 0, profile: {} } };
        },
      },
      profile: {
        prompt: (ctx) => profilePrompt(ctx),
        // A typed age, option or "lewati" is the answer here, not a new request.
        accepts: (ctx, input) => profileAnswer(ctx, input) !== null,
        handle(ctx, input) {
          const p = q.profile[profileIndex(ctx)]!;
          const answer = profileAnswer(ctx, input);
          if (answer === null) return { kind: 'stay', say: profilePrompt(ctx) };
          const value = answer === 'skip' ? undefined : answer;
          const profile = profileOf(ctx);
          if (value !== undefined) profile[p.id] = value;
          const next = profileIndex(ctx) + 1;
          if (next < q.profile.length) return { kind: 'next', step: 'profile', data: { ...ctx.data, profile, p: next } };
          return { kind: 'next', step: 'suggestion', data: { ...ctx.data, profile, p: next } };
        },
      },
      suggestion: {
        freeText: true,
        prompt: (ctx) => [text(say(ctx.lang, 'askSuggestion'), [{ id: 'ikm-survey:s:skip', title: say(ctx.lang, 'skip') }])],
        async handle(ctx, input) {
          if (input.kind === 'choice' && input.id === 'ikm-survey:s:skip') return submit(ctx, undefined);
          if (input.kind !== 'text') return { kind: 'stay', say: [text(say(ctx.lang, 'needText'), [{ id: 'ikm-survey:s:skip', title: say(ctx.lang, 'skip') }])] };
          const s = cleanText(input.text);
          if (/^(lewati|skip)$/i.test(s)) return submit(ctx, undefined);
          const len = charLength(s);
          if (len > SUGGESTION_MAX) return { kind: 'stay', say: [text(say(ctx.lang, 'tooLong', { length: len, max: SUGGESTION_MAX }))] };
          if (len === 0) return { kind: 'stay', say: [text(say(ctx.lang, 'needText'))] };
          return submit(ctx, s);
        },
      },
    },
  };
}
