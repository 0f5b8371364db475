import { describe, expect, it, vi } from 'vitest';
import {
  buildLexicon,
  cleanText,
  defaultLexicon,
  normalize,
  normalizeTokens,
  stemEnglish,
  stemIndonesian,
  surfaceWords,
} from '../../src/domain/faq/normalize.js';
import { detectLanguage } from '../../src/domain/faq/language.js';

describe('cleanText', () => {
  it('lower-cases and turns punctuation and emoji into single spaces', () => {
    expect(cleanText('Syarat CPNS??  🙏🙏 apa,aja!!')).toBe('syarat cpns apa aja');
  });

  it('folds accents', () => {
    expect(cleanText('Café Déjà')).toBe('cafe deja');
  });

  it('collapses letters repeated three or more times to one', () => {
    expect(cleanText('bangettt')).toBe('banget');
    expect(cleanText('gimanaaaa kakkk')).toBe('gimana kak');
  });

  it('keeps legitimate double letters such as "saat" and "taat"', () => {
    expect(cleanText('saat taat maaf')).toBe('saat taat maaf');
  });

  it('keeps "pppk" intact and repairs its elongations', () => {
    expect(cleanText('PPPK')).toBe('pppk');
    expect(cleanText('ppppk pppppk')).toBe('pppk pppk');
  });

  it('drops the reduplication digit ("syarat2" → "syarat") but keeps codes like s1, d3, p3k', () => {
    expect(cleanText('syarat2 s1 d3 p3k')).toBe('syarat s1 d3 p3k');
  });

  it('separates numbers glued to units ("35th" → "35 th")', () => {
    expect(cleanText('umur 35th')).toBe('umur 35 th');
  });
});

describe('slang and fillers', () => {
  it('expands chat abbreviations', () => {
    expect(surfaceWords('gmn brp sy utk yg dgn')).toEqual(['bagaimana', 'berapa', 'saya', 'untuk', 'yang', 'dengan']);
  });

  it('maps every spelling of "no" to "tidak"', () => {
    expect(surfaceWords('ga gak nggak tdk g')).toEqual(['tidak', 'tidak', 'tidak', 'tidak', 'tidak']);
  });

  it('drops address terms and greetings', () => {
    expect(surfaceWords('halo kak, gan, sis, min')).toEqual([]);
  });

  it('reads "min" as a filler at the edges of a message and as "minimal" inside it', () => {
    expect(normalizeTokens('ipk min berapa')).toContain('minimal');
    expect(normalizeTokens('ipk berapa min?')).not.toContain('minimal');
    expect(normalizeTokens('min, ipk berapa')).not.toContain('minimal');
  });

  it('understands elongated chat words ("kakk", "brpp")', () => {
    expect(surfaceWords('brpp kakk')).toEqual(['berapa']);
  });
});

describe('recruitment track spellings', () => {
  it.each([
    ['p3k', 'pppk'],
    ['P3K', 'pppk'],
    ['p 3 k', 'pppk'],
    ['pppk', 'pppk'],
    ['pegawai pemerintah dengan perjanjian kerja', 'pppk'],
    ['c pns', 'cpns'],
    ['C-PNS', 'cpns'],
    ['pns', 'cpns'],
    ['pegawai negeri sipil', 'cpns'],
    ['aparatur sipil negara', 'asn'],
  ])('normalises "%s" to "%s"', (input, expected) => {
    expect(normalizeTokens(input)).toEqual([expected]);
  });
});

describe('stemming', () => {
  it('reduces Indonesian affixed words to their root', () => {
    expect(stemIndonesian('pendaftaran')).toBe('daftar');
    expect(stemIndonesian('persyaratannya')).toBe('syarat');
  });

  it('leaves codes and short words alone', () => {
    expect(stemIndonesian('s1')).toBe('s1');
    expect(stemIndonesian('cpns')).toBe('cpns');
  });

  it('uses the override list where Sastrawi would collide with domain words', () => {
    // Sastrawi gives "umum" (the general track) and "empat" (four).
    expect(normalizeTokens('pengumuman')).toEqual(['pengumuman']);
    expect(normalizeTokens('penempatan')).toEqual(['penempatan']);
  });

  it('strips English plural, -ing and -ed suffixes', () => {
    expect(stemEnglish('documents')).toBe('document');
    expect(stemEnglish('applying')).toBe('apply');
    expect(stemEnglish('running')).toBe('run');
    expect(stemEnglish('uploaded')).toBe('upload');
    expect(stemEnglish('status')).toBe('status');
  });
});

describe('synonyms and stop-words', () => {
  it('maps age words of both languages to one term', () => {
    const forms = ['umur', 'usia', 'usianya', 'umurnya', 'age'].map((w) => normalize(w, { lang: detectLanguage(w) }));
    expect(new Set(forms)).toEqual(new Set(['usia']));
  });

  it('maps requirement words to "syarat"', () => {
    for (const w of ['syarat', 'persyaratan', 'kriteria', 'ketentuan']) expect(normalize(w)).toBe('syarat');
    expect(normalize('requirements', { lang: 'en' })).toBe('syarat');
  });

  it('maps registration words to "daftar"', () => {
    for (const w of ['daftar', 'mendaftar', 'pendaftaran', 'registrasi', 'daftarnya']) expect(normalize(w)).toBe('daftar');
    expect(normalize('registration', { lang: 'en' })).toBe('daftar');
  });

  it('drops Indonesian and English stop-words', () => {
    expect(normalizeTokens('apa yang harus saya lakukan dong')).toEqual(['laku']);
    expect(normalizeTokens('what is the', { lang: 'en' })).toEqual([]);
  });

  it('normalises real chat questions to their key terms', () => {
    expect(normalizeTokens('brp batas umur daftar cpns kak?')).toEqual(['batas', 'usia', 'daftar', 'cpns']);
    expect(normalizeTokens('bayar gak daftarnya?')).toEqual(['biaya', 'daftar']);
    expect(normalizeTokens('what documents do I need for CPNS?', { lang: 'en' })).toEqual(['dokumen', 'cpns']);
  });

  it('returns each term once unless duplicates are asked for', () => {
    expect(normalizeTokens('syarat syarat cpns')).toEqual(['syarat', 'cpns']);
    expect(normalizeTokens('syarat syarat cpns', { keepDuplicates: true })).toEqual(['syarat', 'syarat', 'cpns']);
  });

  it('returns nothing for an empty or emoji-only message', () => {
    expect(normalizeTokens('')).toEqual([]);
    expect(normalizeTokens('🙏🙏🙏 ???')).toEqual([]);
  });
});

describe('typo correction hook', () => {
  it('is consulted for unknown words only, and its answer is normalised', () => {
    const correct = vi.fn((w: string) => (w === 'persyratan' ? 'persyaratan' : undefined));
    expect(normalizeTokens('persyratan pendaftaran cpns', { correct })).toEqual(['syarat', 'daftar', 'cpns']);
    expect(correct).toHaveBeenCalledWith('persyratan');
    expect(correct).not.toHaveBeenCalledWith('pendaftaran');
  });
});

describe('lexicon loading', () => {
  it('loads the YAML lexicon once and reuses it', () => {
    expect(defaultLexicon()).toBe(defaultLexicon());
    expect(defaultLexicon().domain.strong.has('cpns')).toBe(true);
  });

  it('builds a working lexicon from plain data', () => {
    const lexicon = buildLexicon({
      slang: { words: { brp: 'berapa' }, phrases: { 'c pns': 'cpns' }, fillers: ['kak'] },
      synonyms: { usia: ['umur', 'age'] },
      stopwords: { id: ['berapa'] },
    });
    expect(normalizeTokens('brp umur c pns kak', { lexicon })).toEqual(['usia', 'cpns']);
  });
});

describe('detectLanguage', () => {
  it.each([
    ['what documents do I need for CPNS?', 'en'],
    ['and for PPPK?', 'en'],
    ['Is there a fee to register?', 'en'],
    ['brp batas umur daftar cpns kak?', 'id'],
    ['syarat pppk guru apa aja', 'id'],
    ['kalau PPPK?', 'id'],
    ['ipk minimal berapa', 'id'],
  ] as const)('detects "%s" as %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('defaults to Indonesian when nothing decides', () => {
    expect(detectLanguage('CPNS')).toBe('id');
    expect(detectLanguage('')).toBe('id');
  });
});

describe('chat spellings added for the dev set findings', () => {
  it.each([
    ['sarat jd pns', ['syarat', 'cpns']],
    ['file nya gabisa diupload', ['dokumen', 'unggah']],
    ['bayar orang dalam 50jt', ['biaya', 'calo', '50']],
    ['titip ke ordal', ['titip', 'calo']],
    ['swafoto pake baju formal', ['swafoto', 'pakaian', 'formal']],
  ])('normalises "%s"', (input, expected) => {
    expect(normalizeTokens(input)).toEqual(expected);
  });

  it('drops chit-chat and narrative words', () => {
    expect(normalizeTokens('apa kabar kak')).toEqual([]);
    expect(normalizeTokens('ok siap')).toEqual([]);
    expect(normalizeTokens('anak saya bingung mau daftar')).toEqual(['daftar']);
  });

  it('maps a missed or moved test to one term', () => {
    expect(normalizeTokens('tidak bisa ikut tes skd')).toContain('absen');
    expect(normalizeTokens('ada tes susulan?')).toContain('susul');
    expect(normalizeTokens('jadwal tesnya bisa diundur?')).toContain('susul');
  });

  it('reads "sudah PNS" as a status, not as the CPNS track', () => {
    expect(normalizeTokens('sy udh pns mau daftar lagi')).toEqual(['pnsaktif', 'daftar']);
  });
});
