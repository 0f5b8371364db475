/**
 * One "Yakin?" step, for every action that would lose or change something for good (withdraw a
 * ticket, reopen one, throw away a complaint draft): Ya / Tidak as buttons, or typed ("ya",
 * "ga jadi"); anything else asks again. The question is the step's prompt.
 */
import type { Step, StepContext, StepOutcome } from '../src/core/flow.js';
import type { Reply } from '../src/core/messages.js';
import { yesNo } from '../src/domain/understanding/slots/index.js';
import type { AppServices } from '../src/services.js';

type Ctx = StepContext<AppServices>;

export interface ConfirmStepOptions {
  /** Choice ids are `<prefix>yes` and `<prefix>no`. */
  prefix: string;
  question(ctx: Ctx): string;
  yesTitle(ctx: Ctx): string;
  noTitle(ctx: Ctx): string;
  onYes(ctx: Ctx): StepOutcome | Promise<StepOutcome>;
  onNo(ctx: Ctx): StepOutcome | Promise<StepOutcome>;
  /** Also take a typed "batal" as yes (when the question is whether to cancel). */
  cancelMeansYes?: (text: string) => boolean;
}

export function confirmStep(o: ConfirmStepOptions): Step<AppServices> {
  const ask = (ctx: Ctx): Reply => ({
    kind: 'text',
    text: o.question(ctx),
    choices: [
      { id: `${o.prefix}yes`, title: o.yesTitle(ctx) },
      { id: `${o.prefix}no`, title: o.noTitle(ctx) },
    ],
  });
  return {
    prompt: (ctx) => [ask(ctx)],
    // "batal" here answers the question rather than leaving it (when the question is about cancelling).
    ...(o.cancelMeansYes ? { claims: ['cancel' as const] } : {}),
    handle(ctx, input) {
      const answer =
        input.kind === 'choice'
          ? input.id === `${o.prefix}yes` ? 'yes' : input.id === `${o.prefix}no` ? 'no' : undefined
          : input.kind === 'text'
            ? o.cancelMeansYes?.(input.text) ? 'yes' : yesNo(input.text)
            : undefined;
      if (answer === 'yes') return o.onYes(ctx);
      if (answer === 'no') return o.onNo(ctx);
      return { kind: 'stay', say: [ask(ctx)] };
    },
  };
}
