/**
 * Read model of the FAQ for the dashboard: questions typed per week by outcome, unanswered
 * question groups still open, forwarded questions open and answered. Computed in code.
 */
import type { AskedDoc, FaqModels, UnansweredDoc, UnansweredResolutionDoc } from './store.js';

export interface FaqStats {
  weeks: string[];
  /** week → outcome → count. */
  asked: Record<string, Record<AskedDoc['outcome'], number>>;
  /** Unanswered question groups not yet turned into knowledge, and how often they were asked (all time). */
  unansweredOpenGroups: number;
  unansweredOpenAsks: number;
  forwardedOpen: number;
  forwardedAnswered: number;
}

export async function faqStats(models: FaqModels, o: { from: Date; to: Date; weeks: string[]; weekOf: (d: Date) => string }): Promise<FaqStats> {
  const [asked, unanswered, resolutions, forwarded] = await Promise.all([
    models.asked.find({ at: { $gte: o.from, $lt: o.to } }, { at: 1, outcome: 1 }).lean<AskedDoc[]>(),
    models.unanswered.find({}, { key: 1, count: 1 }).lean<Array<Pick<UnansweredDoc, 'key' | 'count'>>>(),
    models.resolutions.find({}, { _id: 1 }).lean<Array<Pick<UnansweredResolutionDoc, '_id'>>>(),
    models.forwarded.find({}, { status: 1 }).lean<Array<{ status: 'open' | 'answered' }>>(),
  ]);
  const perWeek: FaqStats['asked'] = Object.fromEntries(o.weeks.map((w) => [w, { answered: 0, ambiguous: 0, unanswered: 0 }]));
  for (const a of asked) {
    const w = (perWeek[o.weekOf(new Date(a.at))] ??= { answered: 0, ambiguous: 0, unanswered: 0 });
    w[a.outcome] += 1;
  }
  const resolved = new Set(resolutions.map((r) => r._id));
  const open = unanswered.filter((u) => !resolved.has(u.key));
  return {
    weeks: o.weeks,
    asked: perWeek,
    unansweredOpenGroups: open.length,
    unansweredOpenAsks: open.reduce((s, u) => s + u.count, 0),
    forwardedOpen: forwarded.filter((f) => f.status === 'open').length,
    forwardedAnswered: forwarded.filter((f) => f.status === 'answered').length,
  };
}
