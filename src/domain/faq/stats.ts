/**
 * Read model of the FAQ for the dashboard: questions typed per week by outcome, unanswered
 * question groups still open, forwarded questions open and answered. Computed in code.
 */
import type { AskedDoc, FaqStore } from './store.js';

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

export async function faqStats(store: FaqStore, o: { from: Date; to: Date; weeks: string[]; weekOf: (d: Date) => string }): Promise<FaqStats> {
  const [asked, unanswered, resolutions, forwarded] = await Promise.all([
    store.askedBetween(o.from, o.to),
    store.topUnanswered(),
    store.resolutions(),
    store.forwardedCounts(),
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
    forwardedOpen: forwarded.open,
    forwardedAnswered: forwarded.answered,
  };
}
