/**
 * A two-step flow used only by the engine specs (kembali, batal, resume), so the foundation can be
 * tested before the product flows exist. It is never registered in the real app.
 */
import type { Flow } from '../../src/core/flow.js';
import type { AppServices } from '../../src/services.js';

export const surveyFlow: Flow<AppServices> = {
  name: 'survey',
  title: { id: 'Survei uji', en: 'Test survey' },
  start: 'name',
  menu: { order: 99, title: { id: 'Survei uji', en: 'Test survey' } },
  steps: {
    name: {
      prompt: (ctx) => [{ kind: 'text', text: ctx.lang === 'en' ? 'What is your name?' : 'Siapa nama Anda?' }],
      handle: (ctx, input) => {
        if (input.kind !== 'text' || input.text.trim().length < 2) {
          return { kind: 'stay', say: [{ kind: 'text', text: 'Nama minimal 2 huruf.' }] };
        }
        return { kind: 'next', step: 'kelurahan', data: { ...ctx.data, name: input.text.trim() } };
      },
    },
    kelurahan: {
      prompt: () => [
        {
          kind: 'text',
          text: 'Kelurahan Anda?',
          choices: [
            { id: 'survey:kel:sampangan', title: 'Sampangan' },
            { id: 'survey:kel:petompon', title: 'Petompon' },
          ],
        },
      ],
      handle: (ctx, input) => {
        if (input.kind !== 'choice') return { kind: 'stay', say: [{ kind: 'text', text: 'Pilih salah satu kelurahan.' }] };
        return { kind: 'done', say: [{ kind: 'text', text: `Terima kasih ${String(ctx.data['name'])} dari ${input.id.split(':')[2]}.` }] };
      },
    },
  },
};
