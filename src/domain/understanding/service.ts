/**
 * The understanding step: one call per free-text turn that says what the message means, with a
 * confidence, so the engine routes every turn the same way (first message, text at the menu, text
 * in a step that expects a choice). Flows no longer keep keyword lists of their own.
 *
 * Order: bribery guard (wins over everything) → ticket number → follow-up on the last FAQ answer →
 * the trained classifier (staff intents only for staff).
 */
import type { FaqIndex } from '../faq/matcher.js';
import { cleanText } from '../faq/normalize.js';
import { isBribery } from './bribery.js';
import { isClearlyEnglish, messageLanguage } from './language.js';
import { featuresOf, type FeatureVector, type FeatureWeights } from './features.js';
import type { IntentModel } from './models.js';
import type { TurnUnderstander } from '../../core/understanding.js';
import type { Decision, IntentScore, MessageLanguage, UnderstandContext, Understanding } from './types.js';
import { extractSlots, isBareRequest } from './slots/index.js';

export type { Decision, UnderstandContext };



/** Confidence thresholds (tuned on the dev split, never on the test split). */
export interface DecisionThresholds {
  /** At or above: act on the best intent. */
  sure: number;
  /** Alternatives at or above this join a clarifying question. */
  candidate: number;
  /** Below this, even the best intent is not offered. */
  floor: number;
  /** A runner-up at or above this share of the best makes a sure intent a question after all. */
  closeRatio: number;
  /** Ensemble: probability added to `faq:<id>` when the FAQ matcher answers with that entry. */
  answerVote: number;
  /** Ensemble: added to each entry the FAQ matcher offers as ambiguous. */
  ambiguousVote: number;
  /** Ensemble: added to `off_topic` when the FAQ matcher refuses (out of its domain). */
  refuseVote: number;
  /** Ensemble: added to `off_topic` when the message has a word of another domain (football, recipes, SIM…). */
  otherDomainVote: number;
  /** Ensemble: added to `off_topic` when at least {@link unknownShare} of the message's terms are in no in-domain training example. */
  unknownVote: number;
  /** Share (0–1) of unknown terms from which {@link unknownVote} applies. */
  unknownShare: number;
  /**
   * No {@link unknownVote} when the classifier gives an in-domain intent at least this probability:
   * "assalamualaikum warahmatullahi wabarakatuh", "siap, nuhun" are rare words, but plainly a greeting.
   */
  unknownUnlessSure: number;
  /** Multiplier of FAQ entries of the other track when the message names one track (CPNS or PPPK). */
  otherTrack: number;
}

export const DEFAULT_DECISION: Readonly<DecisionThresholds> = Object.freeze({ sure: 0.25, candidate: 0.08, floor: 0.05, closeRatio: 0.8, answerVote: 0.25, ambiguousVote: 0.1, refuseVote: 0.1, otherDomainVote: 0.6, unknownVote: 1, unknownShare: 0.6, unknownUnlessSure: 0.8, otherTrack: 0.2 });

/** Intents only staff can have. */
export const STAFF_INTENTS = new Set(['staff.export', 'staff.faq', 'staff.forum', 'staff.ikm']);

const TRACK_WORD = /\b(cpns|pns|pppk|p3k|asn)\b/;
const TICKET = /\bgjm[\s-]*\d{4}[\s-]*\d{1,5}\b/i;
const FOLLOW_UP = /^(kalau|kalo|klo|kl|kalu|lha|lah|terus|trus|lalu|gimana|bagaimana|nek|yen|what about|how about|and|for)\b/;
/** Words that say "I want to report / complain" and nothing else. */
const BARE_WORDS = new Set(
  'mau ingin pengen pingin arep kate saya aku sy ak lapor melapor laporan laporkan komplain complain complaint report pengaduan aduan ngadu mengadu adu keluhan mengeluh bikin buat membuat tiket daftar forum ikut gabung min kak pak bu mas mbak dong ya yuk nih please i want to a make file'.split(' '),
);

/** The understanding step. */
export class Understander implements TurnUnderstander {
  constructor(
    private readonly model: IntentModel,
    private readonly faq: () => FaqIndex | undefined,
    private readonly weights?: FeatureWeights,
    readonly thresholds: DecisionThresholds = DEFAULT_DECISION,
    /** How a text becomes features (the evaluation's tuning memoises it). */
    private readonly featurize: (text: string) => FeatureVector = (text) => featuresOf(text, weights),
  ) {}

  /** The same model and index with other thresholds (for tuning). */
  withThresholds(t: DecisionThresholds): Understander {
    return new Understander(this.model, this.faq, this.weights, t, this.featurize);
  }

  /** The language of one message (the engine's reply language rule). */
  language(text: string): MessageLanguage {
    const lang = messageLanguage(text);
    return { lang, clearlyEnglish: lang === 'en' && isClearlyEnglish(text) };
  }

  /** What one message means. */
  understand(text: string, ctx: UnderstandContext): Understanding {
    const lang = messageLanguage(text) ?? ctx.lang;
    const base = { text, lang, slots: ctx.now ? extractSlots(text, ctx.now, ctx.tz ?? 'Asia/Jakarta') : {} };
    const bare = isBare(text) || isBareRequest(text);
    if (isBribery(text)) return { ...base, intent: 'bribery', confidence: 1, alternatives: [], bare: false, rule: 'bribery-guard' };
    if (TICKET.test(text)) {
      // A ticket number is about one's own report: which of status, reply, withdraw or contest.
      const [own] = this.scores(text, ctx.isStaff).filter((s) => s.intent.startsWith('complaint.') && s.intent !== 'complaint.new');
      return { ...base, intent: own?.intent ?? 'complaint.status', confidence: 1, alternatives: [], bare: false, rule: 'ticket' };
    }

    const followUp = this.followUp(text, ctx);
    if (followUp && 'resolved' in followUp) return { ...base, intent: `faq:${followUp.resolved}`, confidence: 0.95, alternatives: [], bare: false, rule: 'follow-up' };
    if (followUp && followUp.unsure.length >= 2) {
      const [first, ...others] = followUp.unsure;
      return { ...base, intent: first!.intent, confidence: Math.min(first!.score, this.thresholds.sure * 0.99), alternatives: others, bare: false, rule: 'follow-up' };
    }

    // Not one word the model has ever seen: nothing to guess from.
    const features = this.featurize(text);
    if (!this.model.knowsAnyWord(features)) return { ...base, intent: 'off_topic', confidence: 0, alternatives: [], bare };
    const scores = this.scores(text, ctx.isStaff, features);
    const [best, ...rest] = scores;
    if (!best) return { ...base, intent: 'off_topic', confidence: 0, alternatives: [], bare };
    const unsure = Math.min(best.score, this.thresholds.sure * 0.99);
    // "kalau PPPK?" with no answer before it: ask which topic rather than guess one.
    if (best.intent.startsWith('faq:') && isElliptical(text) && !ctx.lastFaqId) {
      return { ...base, intent: best.intent, confidence: unsure, alternatives: rest.slice(0, 3), bare };
    }
    // "syarat": the CPNS and the PPPK entry of one topic, and the message names neither track.
    const [second] = rest;
    if (second && this.siblings(best.intent, second.intent) && !TRACK_WORD.test(cleanText(text)) && second.score >= this.thresholds.candidate) {
      return { ...base, intent: best.intent, confidence: unsure, alternatives: rest.slice(0, 3), bare };
    }
    return { ...base, intent: best.intent, confidence: best.score, alternatives: rest.slice(0, 3), bare };
  }

  /** Two FAQ entries of one topic for different tracks (CPNS and PPPK). */
  private siblings(a: string, b: string): boolean {
    if (!a.startsWith('faq:') || !b.startsWith('faq:')) return false;
    const index = this.faq();
    const ea = index?.get(a.slice(4));
    const eb = index?.get(b.slice(4));
    return !!ea && !!eb && ea.topic === eb.topic && ea.track !== eb.track;
  }

  /**
   * The classifier's scores with the FAQ matcher's vote added (an ensemble: the matcher knows
   * every entry's phrasings and its domain gate), best first; staff intents removed for residents,
   * renormalised to sum to 1.
   */
  scores(text: string, isStaff: boolean, features: FeatureVector = this.featurize(text)): IntentScore[] {
    const t = this.thresholds;
    // Staff intents leave a resident's distribution before the votes are added, so the votes
    // weigh against what a resident can mean ("boleh ikut survei ikm?" is the survey, not staff.ikm).
    const all = visibleTo(isStaff, this.model.classify(features));
    const votes = new Map<string, number>();
    const x = this.faq()?.explain(text);
    const m = x?.result;
    // The classifier says whether this is an FAQ question at all ("lapor" is not, though the
    // matcher finds an entry for it); the matcher's vote for an entry is scaled by that.
    const faqMass = all.reduce((a, s) => a + (s.intent.startsWith('faq:') ? s.score : 0), 0);
    if (m?.kind === 'answer') votes.set(`faq:${m.entry.id}`, t.answerVote * faqMass);
    else if (m?.kind === 'ambiguous') for (const e of m.candidates) votes.set(`faq:${e.id}`, t.ambiguousVote * faqMass);
    else if (m?.kind === 'out_of_scope') votes.set('off_topic', x?.gate.reason === 'off-topic term' ? t.otherDomainVote : t.refuseVote);
    // Mostly words the office never hears ("info gempa terkini"): another domain, whatever the
    // familiar word in it suggests, unless the classifier is all but certain of an intent.
    const unknown = this.model.unknownShare?.(features) ?? 0;
    const bestInDomain = all.find((s) => s.intent !== 'off_topic')?.score ?? 0;
    if (unknown >= t.unknownShare && bestInDomain < t.unknownUnlessSure) votes.set('off_topic', (votes.get('off_topic') ?? 0) + t.unknownVote);
    const trackFactor = this.otherTrackFactor(x?.tokens ?? []);
    const allowed = all.map((s) => ({ intent: s.intent, score: (s.score + (votes.get(s.intent) ?? 0)) * trackFactor(s.intent) }));
    const sum = allowed.reduce((a, s) => a + s.score, 0) || 1;
    return allowed.map((s) => ({ intent: s.intent, score: s.score / sum })).sort((a, b) => b.score - a.score);
  }

  /**
   * When the message names one track ("berapa gaji PPPK"), the multiplier of each intent: FAQ
   * entries of the other track get {@link DecisionThresholds.otherTrack}, everything else 1.
   */
  private otherTrackFactor(tokens: string[]): (intent: string) => number {
    const named = new Set(tokens.filter((tok) => tok === 'cpns' || tok === 'pppk'));
    const index = this.faq();
    if (named.size !== 1 || !index) return () => 1;
    return (intent) => {
      const entry = intent.startsWith('faq:') ? index.get(intent.slice(4)) : undefined;
      return entry && entry.track !== 'umum' && !named.has(entry.track) ? this.thresholds.otherTrack : 1;
    };
  }

  /** Sure, unsure or lost. */
  decide(u: Understanding): Decision {
    const t = this.thresholds;
    const runnerUp = u.alternatives[0]?.score ?? 0;
    if (u.confidence >= t.sure && runnerUp < t.closeRatio * u.confidence) return { kind: 'act', intent: u.intent };
    if (u.confidence < t.floor) return { kind: 'lost' };
    // Bribery is acted on only when sure; "off topic" is no choice to offer.
    const close = [u.intent, ...u.alternatives.filter((a) => a.score >= t.candidate).map((a) => a.intent)].filter((i) => i !== 'off_topic' && i !== 'bribery').slice(0, 3);
    if (close.length >= 2) return { kind: 'clarify', intents: close };
    if (u.intent === 'off_topic') return { kind: 'act', intent: 'off_topic' };
    // One real candidate against "off topic": sure enough acts, else ask to confirm it.
    if (close.length === 1) return u.confidence >= t.sure ? { kind: 'act', intent: u.intent } : { kind: 'clarify', intents: close };
    return { kind: 'lost' };
  }

  /**
   * "kalau PPPK?", "kalo yg S2?": a short message that leans on the last FAQ answer. Resolved by
   * the FAQ matcher's sibling rule (same topic, named track) or by classifying the new words
   * together with the last topic; `undefined` when it is not a follow-up or does not resolve.
   */
  private followUp(text: string, ctx: UnderstandContext): { resolved: string } | { unsure: IntentScore[] } | undefined {
    if (!ctx.lastFaqId) return undefined;
    const cleaned = cleanText(text);
    const words = cleaned.split(' ').filter(Boolean);
    if (words.length > 6 || !FOLLOW_UP.test(cleaned)) return undefined;
    const index = this.faq();
    const previous = index?.get(ctx.lastFaqId);
    if (!index || !previous) return undefined;
    // "kalau PPPK?": the same topic's entry for the named track.
    const x = index.explain(text, { previousEntryId: previous.id });
    if (x.followUp) return { resolved: x.followUp.id };
    // "kalo yg S2?": the new words read together with the last topic.
    const combined = `${previous.title.id} ${previous.topic.replace(/-/g, ' ')} ${text}`;
    const scores = this.scores(combined, ctx.isStaff).filter((s) => s.intent.startsWith('faq:'));
    const [best] = scores;
    if (best && best.score >= this.thresholds.sure) {
      const entry = index.get(best.intent.slice(4));
      if (entry && (entry.topic === previous.topic || (x.result.kind === 'answer' && x.result.entry.id === entry.id))) return { resolved: entry.id };
    }
    // Not resolved: ask which one, among the entries the combined reading suggests.
    return { unsure: scores.slice(0, 3) };
  }
}

/** Words after the lead word up to which a follow-up-like message leans on an earlier answer (tuned on dev). */
const ELLIPTICAL_REST = 2;

/**
 * "kalau PPPK?", "kalo yg S2?": a lead word and a few words that only make sense after an earlier
 * answer. "Bagaimana cara mendaftar CPNS?" starts alike but is a whole question.
 */
export function isElliptical(text: string): boolean {
  const cleaned = cleanText(text);
  const lead = FOLLOW_UP.exec(cleaned);
  if (!lead) return false;
  return cleaned.slice(lead[0].length).split(' ').filter(Boolean).length <= ELLIPTICAL_REST;
}

/** The scores of the intents a person can have (staff intents only for staff), scaled to sum to 1. */
function visibleTo(isStaff: boolean, scores: IntentScore[]): IntentScore[] {
  if (isStaff) return scores;
  const kept = scores.filter((s) => !STAFF_INTENTS.has(s.intent));
  const mass = kept.reduce((a, s) => a + s.score, 0) || 1;
  return kept.map((s) => ({ intent: s.intent, score: s.score / mass }));
}

/** True when the message only says what the person wants ("mau lapor", "daftar forum"). */
export function isBare(text: string): boolean {
  const words = cleanText(text).split(' ').filter(Boolean);
  return words.length > 0 && words.length <= 4 && words.every((w) => BARE_WORDS.has(w));
}
