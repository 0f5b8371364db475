import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFaqEntries } from '../../src/domain/faq/load-content.js';
import { buildFaqIndex } from '../../src/domain/faq/matcher.js';
import { ROOT_DIR } from '../../src/domain/understanding/corpus.js';
import { isBribery } from '../../src/domain/understanding/bribery.js';
import { cuesOf } from '../../src/domain/understanding/cue-words.js';
import { isClearlyEnglish, messageLanguage } from '../../src/domain/understanding/language.js';
import type { IntentModel } from '../../src/domain/understanding/models.js';
import { DEFAULT_DECISION, isBare, isElliptical, Understander } from '../../src/domain/understanding/service.js';

describe('The bribery guard', () => {
  it.each([
    'bayar 50 juta bisa lulus ga',
    'can I pay someone to guarantee I pass?',
    'ada yg nawarin lulus cpns bayar 100jt',
    'beli kursi pns bisa ga',
    'nyogok panitia cpns bisa?',
    'wani piro ben lulus',
    'kenalan pejabat bisa bantu lolos?',
    'temen ditawarin nilai skd dinaikin, bayar 25jt',
    'sangune piro ben lolos p3k',
    'kulo siap nyaosi arta, anak kulo saged dipun lulusaken cpns?',
    'opo iyo kudu ono uang rokok kanggo panitia ben lancar',
    'kursi formasi pemkot katanya dijual, harganya brp',
    'caleg dapil sini janji anakku diangkat pppk asal nyoblos dia',
    'can I hire someone to sit the SKD test for me',
    'anak pak RW langsung diangkat krn kenal orang kecamatan',
    'is there a shortcut if I pay',
  ])('catches "%s"', (text) => {
    expect(isBribery(text)).toBe(true);
  });

  it.each(['daftar cpns bayar ga', 'biaya daftar cpns berapa', 'beli buku biar lulus skd', 'gaji pppk dibayar kapan', 'pak lurah minta uang buat tanda tangan', 'kader partai kudu metu sik nek arep dadi pns?', 'Where do I sit the SKD?', 'how much is the passing grade for CPNS?', 'cpns 2024 formasinya ada brp ribu'])(
    'leaves "%s" to the FAQ or the complaint flow',
    (text) => {
      expect(isBribery(text)).toBe(false);
    },
  );
});

describe('The language of a message', () => {
  it.each(['passing grade cpns berapa', 'Gang Sampangan III dekat masjid', 'upload formasi online gimana', 'terima kasih banyak kak'])(
    'reads "%s" as Indonesian, never as English',
    (text) => {
      expect(messageLanguage(text)).not.toBe('en');
      expect(isClearlyEnglish(text)).toBe(false);
    },
  );

  it('reads clear English as English, and cannot tell from "ok" or a code', () => {
    expect(messageLanguage('what documents do I need for CPNS?')).toBe('en');
    expect(isClearlyEnglish('what documents do I need for CPNS?')).toBe(true);
    expect(messageLanguage('ok')).toBeNull();
    expect(messageLanguage('cpns?')).toBeNull();
  });
});

describe('A bare request', () => {
  it('is one that only says what the person wants', () => {
    expect(isBare('mau lapor')).toBe(true);
    expect(isBare('daftar forum')).toBe(true);
    expect(isBare('lampu jalan mati di petompon')).toBe(false);
  });
});

describe('A message that leans on an earlier answer', () => {
  it('is a lead word and at most two words ("kalau PPPK?", "kalo yg S2?")', () => {
    expect(isElliptical('kalau PPPK?')).toBe(true);
    expect(isElliptical('kalo yg S2?')).toBe(true);
    expect(isElliptical('what about PPPK?')).toBe(true);
  });

  it('is not a whole question that starts with the same words', () => {
    expect(isElliptical('Bagaimana cara mendaftar CPNS?')).toBe(false);
    expect(isElliptical('kalo gagal masa percobaan cpns gmn')).toBe(false);
    expect(isElliptical('umur max cpns brp')).toBe(false);
  });
});

describe('The off-topic vote for unknown words', () => {
  /** A model that is `sure` of a greeting and knows none of the message's terms. */
  const model = (sure: number): IntentModel => ({
    kind: 'softmax',
    classify: () => [
      { intent: 'greeting', score: sure },
      { intent: 'off_topic', score: 1 - sure },
    ],
    knowsAnyWord: () => true,
    unknownShare: () => 1,
    toJSON: () => ({ kind: 'softmax', intents: [], features: [], weights: new Float32Array(), bias: [], idf: {} }),
  });
  const text = 'assalamualaikum warahmatullahi wabarakatuh';

  it('gives way when the classifier is all but certain of an intent', () => {
    const u = new Understander(model(0.95), () => undefined).understand(text, { isStaff: false, lang: 'id' });
    expect(u.intent).toBe('greeting');
  });

  it('wins when the classifier only leans towards one', () => {
    const u = new Understander(model(0.6), () => undefined).understand(text, { isStaff: false, lang: 'id' });
    expect(u.intent).toBe('off_topic');
  });
});

describe('A message that names one track', () => {
  /** A model that mixes up the CPNS and the PPPK salary entries, the CPNS one first. */
  const model: IntentModel = {
    kind: 'softmax',
    classify: () => [
      { intent: 'faq:cpns-gaji', score: 0.5 },
      { intent: 'faq:pppk-gaji', score: 0.4 },
      { intent: 'off_topic', score: 0.1 },
    ],
    knowsAnyWord: () => true,
    toJSON: () => ({ kind: 'softmax', intents: [], features: [], weights: new Float32Array(), bias: [], idf: {} }),
  };

  it('gets the entry of that track rather than its sibling of the other track', async () => {
    const index = buildFaqIndex(await loadFaqEntries(path.join(ROOT_DIR, 'flows/content/faq')));
    // The FAQ matcher's own vote left out: the track rule alone decides.
    const und = new Understander(model, () => index, undefined, { ...DEFAULT_DECISION, answerVote: 0, ambiguousVote: 0 });
    expect(und.understand('How much does a PPPK earn?', { isStaff: false, lang: 'en' }).intent).toBe('faq:pppk-gaji');
    expect(und.understand('gaji CPNS berapa', { isStaff: false, lang: 'id' }).intent).toBe('faq:cpns-gaji');
  });
});

describe('The cue words', () => {
  it('mark asking how far a report has got, apart from the problem it names', () => {
    expect(cuesOf('laporan lampu mati di petompon sampe mana kelanjutannya')).toEqual(expect.arrayContaining(['k:problem', 'k:report', 'k:progress']));
    expect(cuesOf('lampu jalan mati di petompon')).not.toContain('k:progress');
  });
});
