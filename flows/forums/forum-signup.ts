/**
 * "Daftar forum warga": a resident picks an upcoming forum, reads the details, and signs up.
 * Only what we do not know yet is asked (name, kelurahan; on Telegram an optional phone number).
 * The confirmation carries the registration code and a calendar file. A full forum offers the
 * waitlist.
 *
 *   list ─► details ─► [name] ─► [kelurahan] ─► [phone] ─► confirmed (done)
 *                  └─► (full) waitlist? ─► waitlisted (done)
 */
import type { Flow, StepContext, StepOutcome } from '../../src/core/flow.js';
import type { Choice, InboundContent } from '../../src/core/messages.js';
import type { ForumDoc } from '../../src/domain/forums/forum-model.js';
import { cleanInput, normalisePhone } from '../../src/domain/forums/input.js';
import { KELURAHAN, kelurahanFromSlug, kelurahanSlug } from '../../src/domain/kelurahan.js';
import { forumDetails } from '../../src/domain/forums/messages.js';
import type { ForumsServices } from './services.js';
import type { SignUpResult } from '../../src/domain/forums/registration-service.js';
import { formatWhen } from '../../src/domain/forums/wib-time.js';
import { personSlot, yesNo } from '../../src/domain/understanding/slots/index.js';
import type { AppServices } from '../../src/services.js';
import { badField, choiceArg, forumChoice, L, say, stay, str, textOf, typedKelurahan } from './common.js';

const NAME = 'forum';
const OUTSIDE = 'Luar Kec. Gajahmungkur';

export function createForumSignupFlow(fs: ForumsServices): Flow<AppServices> {
  type Ctx = StepContext<AppServices>;

  /** Any forum button, from this conversation or an older message, lands here. */
  async function routeChoice(ctx: Ctx, input: InboundContent): Promise<StepOutcome | undefined> {
    const show = choiceArg(input, `${NAME}:f:`);
    if (show) return { kind: 'next', step: 'details', data: { ...ctx.data, forumId: show } };
    const join = choiceArg(input, `${NAME}:join:`);
    if (join) return startSignUp(ctx, join, false);
    const wait = choiceArg(input, `${NAME}:wait:`);
    if (wait) return startSignUp(ctx, wait, true);
    if (input.kind === 'choice' && input.id === `${NAME}:list`) return { kind: 'next', step: 'list', data: {} };
    return undefined;
  }

  /** Fills what we already know, then asks for the rest (or submits). */
  async function startSignUp(ctx: Ctx, forumId: string, waitlist: boolean): Promise<StepOutcome> {
    const known = await fs.registrations.profile(ctx.contact.channel, ctx.contact.userKey);
    const data: Record<string, unknown> = { forumId, waitlist, ...known };
    if (ctx.contact.channel === 'whatsapp' && ctx.contact.phone) data['phone'] = ctx.contact.phone;
    return askOrSubmit(ctx, data);
  }

  async function askOrSubmit(ctx: Ctx, data: Record<string, unknown>): Promise<StepOutcome> {
    if (!str(data, 'name')) return { kind: 'next', step: 'name', data };
    if (!str(data, 'kelurahan')) return { kind: 'next', step: 'kelurahan', data };
    // A forum for one kelurahan (a Musrenbang kelurahan): say so to a resident of another one.
    if (data['otherKelurahanOk'] !== true) {
      const forum = await fs.forums.get(str(data, 'forumId') ?? '');
      if (forum?.kelurahan && forum.kelurahan !== str(data, 'kelurahan')) return { kind: 'next', step: 'otherKelurahan', data: { ...data, forumKelurahan: forum.kelurahan, forumTitle: forum.title } };
    }
    if (ctx.contact.channel === 'telegram' && !str(data, 'phone') && data['phoneAsked'] !== true) return { kind: 'next', step: 'phone', data };
    return submit(ctx, data);
  }

  async function submit(ctx: Ctx, data: Record<string, unknown>): Promise<StepOutcome> {
    const forumId = str(data, 'forumId') ?? '';
    const phone = str(data, 'phone');
    const result = await fs.registrations.signUp(
      {
        forumId,
        channel: ctx.contact.channel,
        userKey: ctx.contact.userKey,
        name: str(data, 'name') ?? '',
        kelurahan: str(data, 'kelurahan') ?? '',
        lang: ctx.lang,
        waitlist: data['waitlist'] === true,
        ...(phone ? { phone } : {}),
      },
      ctx.now,
    );
    return answer(ctx, result, data);
  }

  function answer(ctx: Ctx, r: SignUpResult, data: Record<string, unknown>): StepOutcome {
    const lang = ctx.lang;
    switch (r.kind) {
      case 'registered':
      case 'already':
        if (r.kind === 'already' && r.registration.status === 'waitlisted') {
          const n = r.position ?? '-';
          return done(L(lang, `Anda sudah ada di daftar tunggu forum "${r.forum.title}" (nomor ${n}). Kami kabari bila ada kursi kosong.`, `You are already on the waitlist for "${r.forum.title}" (number ${n}). We will tell you when a seat frees up.`));
        }
        return {
          kind: 'done',
          say: [
            say(
              (r.kind === 'already' ? L(lang, 'Anda sudah terdaftar di forum ini. ', 'You are already registered for this forum. ') : L(lang, '✅ Pendaftaran berhasil! ', '✅ You are registered! ')) +
                L(lang, `Kode pendaftaran Anda: ${r.registration.code}\nTunjukkan kode ini di meja registrasi.`, `Your registration code: ${r.registration.code}\nShow it at the registration desk.`) +
                `\n\n${forumDetails(r.forum, lang, ctx.tz)}\n\n` +
                L(lang, 'Kami akan mengingatkan Anda sebelum forum dimulai. Berkas kalender (.ics) terlampir. Untuk membatalkan, ketik "forum saya".', 'We will remind you before it starts. A calendar file (.ics) is attached. To cancel, type "my forums".'),
            ),
            fs.notices.calendarReply(r.forum, ctx.now, r.registration.code),
          ],
        };
      case 'waitlisted':
        return done(L(lang, `📝 Anda masuk daftar tunggu forum "${r.forum.title}", nomor ${r.position}. Bila ada yang membatalkan, Anda otomatis naik dan kami kabari.`, `📝 You are on the waitlist for "${r.forum.title}", number ${r.position}. If someone cancels you move up automatically and we will tell you.`));
      case 'full':
        return { kind: 'next', step: 'waitlist', data: { ...data, waitlist: false } };
      case 'closed':
        return done(
          r.reason === 'deadline'
            ? L(lang, `Maaf, pendaftaran forum "${r.forum.title}" sudah ditutup.`, `Sorry, registration for "${r.forum.title}" has closed.`)
            : r.reason === 'started'
              ? L(lang, `Maaf, forum "${r.forum.title}" sudah dimulai.`, `Sorry, "${r.forum.title}" has already started.`)
              : L(lang, `Maaf, forum "${r.forum.title}" dibatalkan.`, `Sorry, "${r.forum.title}" was cancelled.`),
        );
      case 'not-found':
        return done(L(lang, 'Maaf, forum itu tidak ditemukan. Ketik "forum" untuk melihat jadwal terbaru.', 'Sorry, that forum was not found. Type "forum" for the current schedule.'));
    }
  }

  const done = (text: string): StepOutcome => ({ kind: 'done', say: [say(text)] });

  async function forumOf(ctx: Ctx): Promise<ForumDoc | null> {
    return fs.forums.get(str(ctx.data, 'forumId') ?? '');
  }

  return {
    name: NAME,
    title: { id: 'Daftar forum warga', en: 'Community forum sign-up' },
    start: 'list',
    menu: { order: 30, title: { id: 'Forum warga', en: 'Community forums' }, description: { id: 'Daftar forum warga kecamatan', en: 'Join a community forum' } },
    commands: ['forum'],
    intents: ['forum.list', 'forum.signup'],
    feedIntent: false,
    steps: {
      list: {
        async prompt(ctx) {
          const forums = await fs.forums.upcoming(ctx.now, { openOnly: true, limit: 9 });
          if (forums.length === 0) {
            return [say(L(ctx.lang, 'Saat ini belum ada forum warga yang membuka pendaftaran. Silakan cek lagi nanti. 🙏', 'There is no community forum open for registration right now. Please check again later. 🙏'), [{ id: 'm:forumku', title: L(ctx.lang, 'Forum saya', 'My forums') }])];
          }
          return [
            {
              kind: 'text',
              text: L(ctx.lang, 'Forum warga yang akan datang. Pilih satu untuk melihat detail dan mendaftar:', 'Upcoming community forums. Pick one to see the details and sign up:'),
              choices: forums.map((f) => forumChoice(`${NAME}:f:`, f, ctx.tz, ctx.lang)),
              listButton: L(ctx.lang, 'Lihat forum', 'See forums'),
            },
          ];
        },
        async handle(ctx, input) {
          // "/forum" arrives here as input: answer with the list itself.
          if (input.kind === 'command') return { kind: 'stay', say: await this.prompt(ctx) };
          return (await routeChoice(ctx, input)) ?? stay(L(ctx.lang, 'Silakan pilih salah satu forum dari daftar di atas (atau ketik nomornya).', 'Please pick one of the forums above (or type its number).'));
        },
      },

      details: {
        async prompt(ctx) {
          const f = await forumOf(ctx);
          if (!f) return [say(L(ctx.lang, 'Maaf, forum itu tidak ditemukan.', 'Sorry, that forum was not found.'), [{ id: `${NAME}:list`, title: L(ctx.lang, 'Forum lain', 'Other forums') }])];
          const taken = (await fs.forums.counts(f._id)).registered;
          const open = f.status === 'scheduled' && f.registrationDeadline.getTime() > ctx.now.getTime();
          const free = f.capacity - taken;
          const state = !open
            ? L(ctx.lang, 'Pendaftaran sudah ditutup.', 'Registration has closed.')
            : free > 0
              ? L(ctx.lang, `Sisa kursi: ${free} dari ${f.capacity}. Pendaftaran ditutup ${formatWhen(f.registrationDeadline, ctx.lang, ctx.tz)}.`, `Seats left: ${free} of ${f.capacity}. Registration closes ${formatWhen(f.registrationDeadline, ctx.lang, ctx.tz)}.`)
              : L(ctx.lang, 'Kursi sudah penuh, tetapi Anda bisa masuk daftar tunggu.', 'All seats are taken, but you can join the waitlist.');
          const choices: Choice[] = [];
          if (open) choices.push(free > 0 ? { id: `${NAME}:join:${String(f._id)}`, title: L(ctx.lang, 'Daftar', 'Sign up') } : { id: `${NAME}:wait:${String(f._id)}`, title: L(ctx.lang, 'Daftar tunggu', 'Join waitlist') });
          choices.push({ id: `${NAME}:list`, title: L(ctx.lang, 'Forum lain', 'Other forums') });
          return [say(`${forumDetails(f, ctx.lang, ctx.tz)}\n\n${state}`, choices)];
        },
        async handle(ctx, input) {
          return (await routeChoice(ctx, input)) ?? stay(L(ctx.lang, 'Silakan ketuk "Daftar", atau "Forum lain" untuk kembali ke daftar.', 'Please tap "Sign up", or "Other forums" to go back to the list.'));
        },
      },

      name: {
        // Typed text here is the answer (a name, an address, a story), never a request to go elsewhere.
        freeText: true,
        prompt(ctx) {
          const suggestion = ctx.contact.name ? [{ id: `${NAME}:name:profile`, title: clip20(ctx.contact.name) }] : [];
          return [say(L(ctx.lang, 'Siapa nama lengkap Anda? (sesuai KTP)', 'What is your full name? (as on your ID card)'), suggestion)];
        },
        async handle(ctx, input) {
          const routed = await routeChoice(ctx, input);
          if (routed) return routed;
          const raw = input.kind === 'choice' && input.id === `${NAME}:name:profile` ? ctx.contact.name : textOf(input);
          if (raw === undefined) return stay(L(ctx.lang, 'Mohon ketik nama lengkap Anda.', 'Please type your full name.'));
          // "nama saya Budi Santoso" / "atas nama Budi Santoso": the name, read by the person slot.
          const named = /^\s*(?:nama saya|namaku|nama aku|atas nama|a\.n\.?|my name is)\b/i.test(raw) ? personSlot(raw) : undefined;
          const r = cleanInput(named ?? raw, { min: 2, max: 80 });
          if (!r.ok) return badField(ctx, r, 'Siti Aminah');
          return askOrSubmit(ctx, { ...ctx.data, name: r.value });
        },
      },

      kelurahan: {
        prompt(ctx) {
          return [
            {
              kind: 'text',
              text: L(ctx.lang, 'Anda warga kelurahan mana?', 'Which kelurahan do you live in?'),
              choices: [...KELURAHAN.map((k) => ({ id: `${NAME}:kel:${kelurahanSlug(k)}`, title: k })), { id: `${NAME}:kel:luar`, title: L(ctx.lang, 'Luar Gajahmungkur', 'Outside Gajahmungkur') }],
              listButton: L(ctx.lang, 'Pilih kelurahan', 'Choose kelurahan'),
            },
          ];
        },
        async handle(ctx, input) {
          const routed = await routeChoice(ctx, input);
          if (routed) return routed;
          const slug = choiceArg(input, `${NAME}:kel:`);
          const typed = textOf(input);
          const kel = slug === 'luar' ? OUTSIDE : slug ? kelurahanFromSlug(slug) : typed ? typedKelurahan(typed) : undefined;
          if (!kel) return stay(L(ctx.lang, `Kelurahan itu tidak saya kenali. Silakan pilih dari daftar, misalnya "${KELURAHAN[7]}".`, `I don't recognise that kelurahan. Please choose from the list, e.g. "${KELURAHAN[7]}".`));
          return askOrSubmit(ctx, { ...ctx.data, kelurahan: kel });
        },
      },

      otherKelurahan: {
        prompt: (ctx) => [
          say(
            L(
              ctx.lang,
              `Forum "${String(ctx.data['forumTitle'])}" ditujukan untuk warga Kelurahan ${String(ctx.data['forumKelurahan'])}, sedangkan Anda warga ${String(ctx.data['kelurahan'])}. Tetap mendaftar, atau pilih forum untuk kelurahan Anda?`,
              `"${String(ctx.data['forumTitle'])}" is meant for residents of Kelurahan ${String(ctx.data['forumKelurahan'])}, and you live in ${String(ctx.data['kelurahan'])}. Sign up anyway, or choose a forum for your own kelurahan?`,
            ),
            [
              { id: `${NAME}:otherkel:yes`, title: L(ctx.lang, 'Tetap daftar', 'Sign up anyway') },
              { id: `${NAME}:otherkel:list`, title: L(ctx.lang, 'Pilih forum lain', 'Choose another') },
            ],
          ),
        ],
        async handle(ctx, input) {
          if (input.kind === 'choice' && input.id === `${NAME}:otherkel:yes`) return askOrSubmit(ctx, { ...ctx.data, otherKelurahanOk: true });
          if (input.kind === 'choice' && input.id === `${NAME}:otherkel:list`) return { kind: 'next', step: 'list', data: {} };
          const yn = input.kind === 'text' ? yesNo(input.text) : undefined;
          if (yn === 'yes') return askOrSubmit(ctx, { ...ctx.data, otherKelurahanOk: true });
          if (yn === 'no') return { kind: 'next', step: 'list', data: {} };
          return stay(L(ctx.lang, 'Mohon pilih: Tetap daftar, atau Pilih forum lain.', 'Please choose: Sign up anyway, or Choose another.'));
        },
      },

      phone: {
        // Typed text here is the answer (a name, an address, a story), never a request to go elsewhere.
        freeText: true,
        prompt(ctx) {
          return [say(L(ctx.lang, 'Nomor HP yang bisa dihubungi panitia? (boleh dilewati)\nContoh: 081234567890', 'A phone number the organisers can reach you on? (optional)\nExample: 081234567890'), [{ id: `${NAME}:phone:skip`, title: L(ctx.lang, 'Lewati', 'Skip') }])];
        },
        async handle(ctx, input) {
          const routed = await routeChoice(ctx, input);
          if (routed) return routed;
          if (input.kind === 'choice' && input.id === `${NAME}:phone:skip`) return askOrSubmit(ctx, { ...ctx.data, phoneAsked: true });
          const raw = input.kind === 'contact' ? input.phone : textOf(input);
          const phone = raw ? normalisePhone(raw) : undefined;
          if (!phone) return stay(L(ctx.lang, 'Nomor itu kurang tepat. Ketik nomor HP Indonesia, contoh 081234567890, atau ketuk "Lewati".', 'That number does not look right. Type an Indonesian mobile number, e.g. 081234567890, or tap "Skip".'), [{ id: `${NAME}:phone:skip`, title: L(ctx.lang, 'Lewati', 'Skip') }]);
          return askOrSubmit(ctx, { ...ctx.data, phone, phoneAsked: true });
        },
      },

      waitlist: {
        async prompt(ctx) {
          const f = await forumOf(ctx);
          return [
            say(L(ctx.lang, `Maaf, kursi forum "${f?.title ?? ''}" sudah penuh. Mau masuk daftar tunggu? Bila ada yang membatalkan, Anda otomatis naik dan kami kabari.`, `Sorry, "${f?.title ?? ''}" is full. Join the waitlist? If someone cancels you move up automatically and we will tell you.`), [
              { id: `${NAME}:wl:yes`, title: L(ctx.lang, 'Ya, daftar tunggu', 'Yes, waitlist') },
              { id: `${NAME}:wl:no`, title: L(ctx.lang, 'Tidak', 'No') },
            ]),
          ];
        },
        async handle(ctx, input) {
          if (input.kind === 'choice' && input.id === `${NAME}:wl:yes`) return submit(ctx, { ...ctx.data, waitlist: true });
          if (input.kind === 'choice' && input.id === `${NAME}:wl:no`) return done(L(ctx.lang, 'Baik, tidak jadi mendaftar. Ketik "forum" untuk melihat forum lain.', 'OK, not signed up. Type "forum" to see other forums.'));
          return (await routeChoice(ctx, input)) ?? stay(L(ctx.lang, 'Silakan ketuk "Ya, daftar tunggu" atau "Tidak".', 'Please tap "Yes, waitlist" or "No".'));
        },
      },
    },
  };
}

function clip20(s: string): string {
  const chars = [...s];
  return chars.length <= 20 ? s : `${chars.slice(0, 19).join('')}…`;
}

