/**
 * Applicants' questions about ASN (CPNS/PPPK) recruitment.
 *
 *   warga: "brp batas umur daftar cpns kak?"
 *   bot:   the answer, its source and the round it applies to  [Tidak terjawab?] [Menu]
 *   warga: "kalau PPPK?"            → the PPPK sibling of the last answer
 *   warga: "syarat"                 → "Maksud Anda yang mana?" with up to three topics
 *   warga: "siapa juara liga 1?"    → what the bot can help with  [Tanya petugas] [Menu]
 *   warga: [Tidak terjawab?]        → the question goes to staff; their answer comes back here
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { Choice, InboundContent, Lang, Reply } from '../src/core/messages.js';
import type { FaqService } from '../src/domain/faq/service.js';
import type { FaqEntry } from '../src/domain/faq/types.js';
import { maskText } from '../src/logging/mask.js';
import type { AppServices } from '../src/services.js';
import { fill } from '../src/core/texts.js';

const T = {
  askPrompt: {
    id: 'Silakan ketik pertanyaan Anda tentang rekrutmen ASN (CPNS/PPPK), misalnya "berapa batas usia CPNS?" atau "dokumen apa saja yang diunggah?". Atau pilih topik populer:',
    en: 'Type your question about ASN (CPNS/PPPK) recruitment, e.g. "what is the CPNS age limit?" or "which documents do I upload?". Or pick a popular topic:',
  },
  footer: { id: 'Sumber: {source} · berlaku untuk {applies}', en: 'Source: {source} · applies to {applies}' },
  which: { id: 'Maksud Anda yang mana?', en: 'Which one do you mean?' },
  outOfScope: {
    id: 'Maaf, pertanyaan itu di luar yang bisa saya jawab. Saya bisa membantu:\n• syarat dan pendaftaran CPNS/PPPK (usia, pendidikan, dokumen, SSCASN, tahapan seleksi, nilai ambang batas, biaya)\n• pengaduan dan aspirasi layanan publik Kecamatan Gajahmungkur\n• pendaftaran forum warga\n\nJika perlu, pertanyaan Anda bisa diteruskan ke petugas.',
    en: "Sorry, that is outside what I can answer. I can help with:\n• CPNS/PPPK requirements and registration (age, education, documents, SSCASN, selection stages, passing grades, fees)\n• public-service complaints and suggestions for Kecamatan Gajahmungkur\n• signing up for community forums\n\nIf you like, your question can be passed to our staff.",
  },
  notAnswered: { id: 'Tidak terjawab?', en: 'Not answered?' },
  askStaff: { id: 'Tanya petugas', en: 'Ask our staff' },
  menu: { id: 'Menu', en: 'Menu' },
  typeQuestionFirst: {
    id: 'Silakan ketik dulu pertanyaan yang ingin diteruskan ke petugas.',
    en: 'Please type the question you want to pass to our staff.',
  },
  forwarded: {
    id: 'Pertanyaan Anda sudah diteruskan ke petugas Kecamatan Gajahmungkur. Jawabannya akan dikirim ke chat ini. Terima kasih telah menunggu. 🙏',
    en: 'Your question has been passed to the Gajahmungkur sub-district staff. Their answer will come to this chat. Thank you for waiting. 🙏',
  },
  forwardedNoStaff: {
    id: 'Pertanyaan Anda sudah kami catat, tetapi saat ini belum ada petugas yang terhubung ke layanan chat ini. Silakan juga tanyakan langsung ke Kantor Kecamatan Gajahmungkur atau BKPSDM Kota Semarang.',
    en: 'Your question is recorded, but no staff member is connected to this chat service right now. Please also ask the Gajahmungkur sub-district office or BKPSDM Kota Semarang directly.',
  },
  notMediaHere: {
    id: 'Mohon kirim pertanyaan dalam bentuk teks.',
    en: 'Please send your question as text.',
  },
  staffAlert: {
    id: 'Pertanyaan warga yang belum terjawab oleh bot ({channel}):\n\n"{text}"\n\nTekan "Jawab" untuk membalas; jawaban dikirim ke warga lewat bot.',
    en: 'A resident question the bot could not answer ({channel}):\n\n"{text}"\n\nTap "Jawab" to reply; the answer goes to the resident through the bot.',
  },
} as const;


/** The understanding step's confidence at which its FAQ intent is answered without the matcher. */
const CONFIDENT = 0.3;

/** Popular topics offered when the flow is opened from the menu. */
const POPULAR = ['cpns-usia', 'cpns-dokumen', 'cpns-cara-daftar', 'umum-biaya', 'cpns-passing-grade', 'pppk-honorer'];


/** Bribery gets the anti-fraud answer; someone who already paid gets what to do now. */
const BRIBERY_ENTRY = 'umum-calo';
const ALREADY_PAID = /\b(udah|udh|sudah|sdh|wis|wes|terlanjur|telanjur|already|ketipu|tertipu|kena tipu)\b/i;

function answerReply(entry: FaqEntry, lang: Lang): Reply {
  const footer = fill(T.footer[lang], { source: entry.source, applies: entry.appliesTo[lang] });
  return {
    kind: 'text',
    text: `${entry.answer[lang]}\n\n${footer}`,
    choices: [
      { id: 'faq:fwd', title: T.notAnswered[lang] },
      { id: 'g:menu', title: T.menu[lang] },
    ],
  };
}

export function createFaqFlow(faq: FaqService): Flow<AppServices> {
  const answered = (entry: FaqEntry, lang: Lang, question: string): StepOutcome => ({
    kind: 'done',
    say: [answerReply(entry, lang)],
    memory: { lastFaqId: entry.id, lastFaqQuestion: question, lastFaqLang: lang },
  });

  const forward = async (ctx: StepContext<AppServices>, question: string, lang: Lang): Promise<StepOutcome> => {
    const q = await faq.forward({ channel: ctx.contact.channel, userKey: ctx.contact.userKey, text: question, lang, requestKey: ctx.idempotencyKey });
    const staff = await ctx.services.notifier.toStaff(
      [
        {
          kind: 'text',
          text: fill(T.staffAlert.id, { channel: ctx.contact.channel, text: maskText(question) }),
          choices: [{ id: `faqstaff:ans:${String(q._id)}`, title: 'Jawab' }],
        },
      ],
      `faq-forward:${String(q._id)}`,
    );
    return { kind: 'done', say: [{ kind: 'text', text: (staff > 0 ? T.forwarded : T.forwardedNoStaff)[lang] }], memory: { lastFaqQuestion: null } };
  };

  const ask = async (ctx: StepContext<AppServices>, input: InboundContent): Promise<StepOutcome> => {
    if (input.kind === 'choice') {
      if (input.id === 'faq:fwd') {
        const last = ctx.memory['lastFaqQuestion'];
        const lang = (ctx.memory['lastFaqLang'] as Lang | undefined) ?? ctx.lang;
        if (typeof last === 'string' && last.trim()) return forward(ctx, last, ctx.langExplicit ? ctx.lang : lang);
        return { kind: 'next', step: 'forward', say: [] };
      }
      if (input.id.startsWith('faq:e:')) {
        const entry = faq.entry(input.id.slice('faq:e:'.length));
        const lang = ctx.langExplicit ? ctx.lang : ((ctx.memory['lastFaqLang'] as Lang | undefined) ?? ctx.lang);
        if (entry) return answered(entry, lang, entry.title[lang]);
      }
      return { kind: 'stay', say: [{ kind: 'text', text: T.askPrompt[ctx.lang] }] };
    }
    if (input.kind !== 'text') return { kind: 'stay', say: [{ kind: 'text', text: T.notMediaHere[ctx.lang] }] };

    const text = input.text;
    // The engine's language for this turn: the message's own when it is clear, else the remembered one.
    const lang = ctx.lang;
    const u = ctx.understanding?.text === text ? ctx.understanding : undefined;
    // Every typed question is counted once with its outcome (the console's dashboard).
    const asked = (outcome: 'answered' | 'ambiguous' | 'unanswered') => faq.recordAsked(ctx.idempotencyKey, outcome);
    if (u?.intent === 'bribery') {
      const entry = faq.entry(ALREADY_PAID.test(text) ? 'umum-lapor-penipuan' : BRIBERY_ENTRY) ?? faq.entry(BRIBERY_ENTRY);
      if (entry) return asked('answered').then(() => answered(entry, lang, text));
    }
    if (u?.intent.startsWith('faq:') && u.confidence >= CONFIDENT) {
      const entry = faq.entry(u.intent.slice(4));
      if (entry) return asked('answered').then(() => answered(entry, lang, text));
    }
    const previous = ctx.memory['lastFaqId'];
    const matched = faq.match(text, { lang, ...(typeof previous === 'string' ? { previousEntryId: previous } : {}) });
    // The intent classifier was trained on the reviewed content only: a question staff answered
    // later (a staff entry) looks "off topic" to it, yet the matcher knows its phrasing.
    const staffAnswer = matched.kind === 'answer' && faq.isStaffEntry(matched.entry.id);
    const m: ReturnType<FaqService['match']> = u?.intent === 'off_topic' && !staffAnswer ? { kind: 'out_of_scope', lang } : matched;
    switch (m.kind) {
      case 'answer':
        await asked('answered');
        return answered(m.entry, lang, text);
      case 'ambiguous': {
        await asked('ambiguous');
        const choices: Choice[] = m.candidates.map((e) => ({ id: `faq:e:${e.id}`, title: e.title[lang] }));
        return {
          kind: 'done',
          say: [{ kind: 'text', text: T.which[lang], choices: [...choices, { id: 'faq:fwd', title: T.askStaff[lang] }] }],
          memory: { lastFaqQuestion: text, lastFaqLang: lang },
        };
      }
      case 'out_of_scope':
        await asked('unanswered');
        await faq.recordUnanswered(text);
        return {
          kind: 'done',
          say: [
            {
              kind: 'text',
              text: T.outOfScope[lang],
              choices: [
                { id: 'faq:fwd', title: T.askStaff[lang] },
                { id: 'g:menu', title: T.menu[lang] },
              ],
            },
          ],
          memory: { lastFaqQuestion: text, lastFaqLang: lang, lastFaqId: null },
        };
    }
  };

  return {
    name: 'faq',
    title: { id: 'Tanya syarat rekrutmen ASN', en: 'ASN recruitment questions' },
    start: 'ask',
    menu: {
      order: 10,
      title: { id: 'Tanya syarat ASN', en: 'ASN requirements' },
      description: { id: 'CPNS & PPPK: usia, dokumen, pendaftaran, seleksi', en: 'CPNS & PPPK: age, documents, registration, tests' },
    },
    steps: {
      ask: {
        prompt(ctx) {
          const choices = POPULAR.map((id) => faq.entry(id))
            .filter((e): e is FaqEntry => e !== undefined)
            .map((e) => ({ id: `faq:e:${e.id}`, title: e.title[ctx.lang] }));
          return [{ kind: 'text', text: T.askPrompt[ctx.lang], choices }];
        },
        handle: ask,
      },
      forward: {
        prompt: (ctx) => [{ kind: 'text', text: T.typeQuestionFirst[ctx.lang] }],
        async handle(ctx, input) {
          if (input.kind !== 'text' || input.text.trim().length < 5) return { kind: 'stay', say: [{ kind: 'text', text: T.typeQuestionFirst[ctx.lang] }] };
          return forward(ctx, input.text.trim(), ctx.lang);
        },
      },
    },
    intents: ['faq:*', 'bribery', 'off_topic'],
    intentTitle(intent, lang) {
      if (intent.startsWith('faq:')) return faq.entry(intent.slice(4))?.title[lang];
      return undefined;
    },
  };
}
