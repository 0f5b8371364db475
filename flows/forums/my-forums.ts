/**
 * "Forum saya": a resident's registrations and waitlist places, each cancellable with one tap.
 * The cancel button also appears under reminders, so it works from an old message too.
 * Typed "batal" on the list (the step claims the global word) or after a reminder (a pushed
 * prompt, read by the `reminded` step) asks first: "Yakin membatalkan kursi di …?" Ya / Tidak.
 *
 *   list ─► (tap "Batalkan …" or type "batal") confirm ─► Ya: cancelled / Tidak: kept (done)
 *   reminded (typed "batal" / "ga bisa datang" after a reminder) ─► confirm
 */
import type { Flow, StepContext, StepOutcome } from '../../src/core/flow.js';
import type { Choice } from '../../src/core/messages.js';
import type { ForumsServices } from './services.js';
import { formatWhen } from '../../src/domain/forums/wib-time.js';
import { isCancelRequest, yesNo } from '../../src/domain/understanding/slots/index.js';
import type { AppServices } from '../../src/services.js';
import { choiceArg, clip, L, say, stay } from './common.js';

const NAME = 'forumku';

export function createMyForumsFlow(fs: ForumsServices): Flow<AppServices> {
  async function cancel(ctx: StepContext<AppServices>, registrationId: string): Promise<StepOutcome> {
    const r = await fs.registrations.cancel(registrationId, ctx.contact.channel, ctx.contact.userKey, ctx.now);
    if (r.kind === 'not-active') {
      return { kind: 'done', say: [say(L(ctx.lang, 'Pendaftaran itu sudah tidak aktif (sudah dibatalkan atau forumnya selesai).', 'That registration is no longer active (already cancelled, or the forum is over).'))] };
    }
    const passed = r.promoted.length > 0 ? L(ctx.lang, ' Kursi Anda sudah diberikan kepada warga berikutnya di daftar tunggu.', ' Your seat went to the next person on the waitlist.') : '';
    return {
      kind: 'done',
      say: [say(L(ctx.lang, `Pendaftaran Anda untuk forum "${r.forum.title}" sudah dibatalkan. Terima kasih telah memberi tahu.${passed}`, `Your registration for "${r.forum.title}" is cancelled. Thank you for letting us know.${passed}`))],
    };
  }

  /** A tapped "Batalkan": confirm with the forum's title, or say the registration is no longer active. */
  async function confirmTap(ctx: StepContext<AppServices>, registrationId: string): Promise<StepOutcome> {
    const mine = await fs.registrations.mine(ctx.contact.channel, ctx.contact.userKey, ctx.now);
    const hit = mine.find((m) => String(m.registration._id) === registrationId);
    if (!hit) return { kind: 'done', say: [say(L(ctx.lang, 'Pendaftaran itu sudah tidak aktif (sudah dibatalkan atau forumnya selesai).', 'That registration is no longer active (already cancelled, or the forum is over).'))] };
    return confirm(ctx, registrationId, hit.forum.title);
  }

  /** "Yakin membatalkan kursi di …?" for one registration. */
  const confirm = (ctx: StepContext<AppServices>, registrationId: string, forum: string): StepOutcome => ({
    kind: 'next',
    step: 'confirm',
    data: { registrationId, forum },
  });

  return {
    name: NAME,
    title: { id: 'Forum saya', en: 'My forums' },
    start: 'list',
    menu: { order: 31, title: { id: 'Forum saya', en: 'My forums' }, description: { id: 'Lihat atau batalkan pendaftaran forum', en: 'See or cancel your forum sign-ups' } },
    commands: ['forumku'],
    intents: ['forum.mine', 'forum.cancel'],
    feedIntent: false,
    steps: {
      list: {
        async prompt(ctx) {
          const mine = await fs.registrations.mine(ctx.contact.channel, ctx.contact.userKey, ctx.now);
          if (mine.length === 0) {
            return [say(L(ctx.lang, 'Anda belum terdaftar di forum warga mana pun.', 'You are not signed up for any community forum.'), [{ id: 'm:forum', title: L(ctx.lang, 'Lihat forum', 'See forums') }])];
          }
          const lines = mine.map(({ forum, registration, position }, i) => {
            const state =
              registration.status === 'registered'
                ? L(ctx.lang, `terdaftar, kode ${registration.code}`, `registered, code ${registration.code}`)
                : L(ctx.lang, `daftar tunggu nomor ${position ?? '-'}`, `waitlist number ${position ?? '-'}`);
            return `${i + 1}. ${forum.title}\n   ${formatWhen(forum.startAt, ctx.lang, ctx.tz)}\n   📍 ${forum.venue} — ${state}`;
          });
          const choices: Choice[] = mine.slice(0, 10).map(({ forum, registration }) => ({
            id: `${NAME}:c:${String(registration._id)}`,
            title: clip(`${L(ctx.lang, 'Batalkan', 'Cancel')}: ${forum.title}`, 24),
          }));
          return [say(`${L(ctx.lang, 'Forum Anda:', 'Your forums:')}\n\n${lines.join('\n\n')}\n\n${L(ctx.lang, 'Berhalangan hadir? Ketuk tombol batal agar kursinya bisa dipakai warga lain.', "Can't make it? Tap cancel so someone else can have the seat.")}`, choices)];
        },
        // "batal" here means "cancel my seat", not "leave this screen".
        claims: ['cancel'],
        async handle(ctx, input) {
          if (input.kind === 'command') return { kind: 'stay', say: await this.prompt(ctx) };
          // A tap on "Batalkan" (here or under a reminder) also asks first: a seat given up may go to the waitlist at once.
          const id = choiceArg(input, `${NAME}:c:`);
          if (id) return confirmTap(ctx, id);
          if (input.kind === 'text' && isCancelRequest(input.text)) {
            const mine = await fs.registrations.mine(ctx.contact.channel, ctx.contact.userKey, ctx.now);
            if (mine.length === 0) return { kind: 'done', say: [say(L(ctx.lang, 'Tidak ada pendaftaran forum yang bisa dibatalkan.', 'There is no forum registration to cancel.'))] };
            if (mine.length === 1) return confirm(ctx, String(mine[0]!.registration._id), mine[0]!.forum.title);
            return { kind: 'stay', say: [say(L(ctx.lang, 'Pendaftaran forum mana yang ingin dibatalkan? Ketuk tombolnya.', 'Which forum registration do you want to cancel? Tap its button.'), (await this.prompt(ctx)).flatMap((r) => (r.kind === 'text' ? (r.choices ?? []) : [])))] };
          }
          return stay(L(ctx.lang, 'Untuk membatalkan, ketuk tombol "Batalkan" pada forum yang dimaksud. Ketik "menu" untuk kembali.', 'To cancel, tap the "Cancel" button of that forum. Type "menu" to go back.'));
        },
      },

      // Entered only by a typed reply to a reminder (data: registrationId, forum).
      reminded: {
        prompt: (ctx) => [say(L(ctx.lang, `Ingin membatalkan kursi Anda di "${String(ctx.data['forum'] ?? '')}"? Ketik "batal".`, `Do you want to cancel your seat at "${String(ctx.data['forum'] ?? '')}"? Type "cancel".`))],
        claims: ['cancel'],
        accepts: (_ctx, input) => input.kind === 'text' && isCancelRequest(input.text),
        handle(ctx, input) {
          const id = typeof ctx.data['registrationId'] === 'string' ? ctx.data['registrationId'] : '';
          if (!id || input.kind !== 'text' || !isCancelRequest(input.text)) return { kind: 'done', say: [] };
          return confirm(ctx, id, String(ctx.data['forum'] ?? ''));
        },
      },

      confirm: {
        prompt: (ctx) => [
          say(L(ctx.lang, `Yakin membatalkan kursi di ${String(ctx.data['forum'] ?? '')}?`, `Are you sure you want to cancel your seat at ${String(ctx.data['forum'] ?? '')}?`), [
            { id: `${NAME}:yes`, title: L(ctx.lang, 'Ya', 'Yes') },
            { id: `${NAME}:no`, title: L(ctx.lang, 'Tidak', 'No') },
          ]),
        ],
        handle(ctx, input) {
          const answer = input.kind === 'choice' ? (input.id === `${NAME}:yes` ? 'yes' : input.id === `${NAME}:no` ? 'no' : undefined) : input.kind === 'text' ? yesNo(input.text) : undefined;
          const id = typeof ctx.data['registrationId'] === 'string' ? ctx.data['registrationId'] : '';
          const forum = String(ctx.data['forum'] ?? '');
          if (answer === 'yes' && id) return cancel(ctx, id);
          if (answer === 'no') return { kind: 'done', say: [say(L(ctx.lang, `Baik, kursi Anda di ${forum} tetap terdaftar.`, `OK, your seat at ${forum} is kept.`))] };
          const other = choiceArg(input, `${NAME}:c:`);
          if (other) return cancel(ctx, other);
          return stay(L(ctx.lang, `Mohon jawab Ya atau Tidak: batalkan kursi di ${forum}?`, `Please answer Yes or No: cancel your seat at ${forum}?`), [
            { id: `${NAME}:yes`, title: L(ctx.lang, 'Ya', 'Yes') },
            { id: `${NAME}:no`, title: L(ctx.lang, 'Tidak', 'No') },
          ]);
        },
      },
    },
  };
}
