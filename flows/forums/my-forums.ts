/**
 * "Forum saya": a resident's registrations and waitlist places, each cancellable with one tap.
 * The cancel button also appears under reminders, so it works from an old message too.
 *
 *   list ─► (tap "Batalkan …") cancelled (done)
 */
import type { Flow, StepContext, StepOutcome } from '../../src/core/flow.js';
import type { Choice } from '../../src/core/messages.js';
import type { ForumsServices } from '../../src/domain/forums/module.js';
import { formatWhen } from '../../src/domain/forums/wib-time.js';
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
        async handle(ctx, input) {
          if (input.kind === 'command') return { kind: 'stay', say: await this.prompt(ctx) };
          const id = choiceArg(input, `${NAME}:c:`);
          if (id) return cancel(ctx, id);
          return stay(L(ctx.lang, 'Untuk membatalkan, ketuk tombol "Batalkan" pada forum yang dimaksud. Ketik "menu" untuk kembali.', 'To cancel, tap the "Cancel" button of that forum. Type "menu" to go back.'));
        },
      },
    },
  };
}
