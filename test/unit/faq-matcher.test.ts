import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildFaqIndex, type FaqIndex, type FaqMatch } from '../../src/domain/faq/matcher.js';
import { editDistance } from '../../src/domain/faq/edit-distance.js';
import { FaqContentError, loadFaqEntries } from '../../src/domain/faq/load-content.js';
import type { FaqEntry } from '../../src/domain/faq/types.js';

/** A small knowledge base, independent of the real content. */
function entry(id: string, topic: string, track: FaqEntry['track'], title: string, qid: string[], qen: string[], keywords: string[] = []): FaqEntry {
  return {
    id,
    topic,
    track,
    title: { id: title, en: title },
    questions: { id: qid, en: qen },
    keywords,
    answer: { id: `Jawaban ${id}.`, en: `Answer ${id}.` },
    source: 'PermenPANRB No. 6 Tahun 2024',
    appliesTo: { id: 'seleksi 2024', en: 'the 2024 selection' },
    year: 2024,
  };
}

const ENTRIES: FaqEntry[] = [
  entry('cpns-usia', 'usia', 'cpns', 'Batas usia CPNS',
    ['Berapa batas usia daftar CPNS?', 'umur maksimal cpns brp', 'minimal umur melamar cpns', 'umur 34 masih bisa daftar pns?'],
    ['What is the age limit for CPNS?', 'How old can I be to apply for CPNS?'], ['usia', 'umur', '35 tahun']),
  entry('pppk-usia', 'usia', 'pppk', 'Batas usia PPPK',
    ['Berapa batas usia daftar PPPK?', 'umur maksimal p3k brp', 'minimal umur melamar pppk', 'umur 50 masih bisa daftar pppk?'],
    ['What is the age limit for PPPK?', 'How old can I be to apply for PPPK?'], ['usia', 'umur', '20 tahun']),
  entry('cpns-syarat-umum', 'syarat-umum', 'cpns', 'Syarat umum CPNS',
    ['Apa saja syarat daftar CPNS?', 'persyaratan umum cpns apa aja', 'kriteria pelamar pns', 'ketentuan melamar cpns'],
    ['What are the requirements for CPNS?', 'CPNS applicant criteria'], ['syarat', 'kriteria']),
  entry('pppk-syarat-umum', 'syarat-umum', 'pppk', 'Syarat umum PPPK',
    ['Apa saja syarat daftar PPPK?', 'persyaratan umum pppk apa aja', 'kriteria pelamar p3k', 'syarat pppk guru'],
    ['What are the requirements for PPPK?', 'PPPK applicant criteria'], ['syarat', 'kriteria', 'guru']),
  entry('umum-ipk', 'ipk', 'umum', 'IPK minimal',
    ['IPK minimal berapa?', 'berapa ipk untuk daftar cpns', 'ipk 2,7 bisa daftar?', 'syarat ipk pppk'],
    ['What is the minimum GPA?', 'Is there a GPA requirement?'], ['ipk', 'gpa', 'nilai']),
  entry('umum-biaya', 'biaya', 'umum', 'Biaya pendaftaran',
    ['Apakah daftar CPNS bayar?', 'biaya pendaftaran pppk berapa', 'daftar asn gratis kan?', 'ada pungutan biaya tes?'],
    ['Is there a registration fee?', 'Do I have to pay to apply?'], ['biaya', 'gratis', 'bayar']),
  entry('cpns-dokumen', 'dokumen', 'cpns', 'Dokumen CPNS',
    ['Dokumen apa saja untuk daftar CPNS?', 'berkas yang diupload cpns', 'berkas pendaftaran pns apa aja', 'dokumen yang disiapkan untuk cpns'],
    ['What documents do I need for CPNS?', 'Which files must I upload for CPNS?'], ['dokumen', 'berkas', 'unggah']),
  entry('pppk-dokumen', 'dokumen', 'pppk', 'Dokumen PPPK',
    ['Dokumen apa saja untuk daftar PPPK?', 'berkas yang diupload pppk', 'berkas pendaftaran p3k apa aja', 'dokumen yang disiapkan untuk pppk'],
    ['What documents do I need for PPPK?', 'Which files must I upload for PPPK?'], ['dokumen', 'berkas', 'unggah']),
  entry('cpns-skd', 'skd', 'cpns', 'Materi SKD',
    ['SKD itu tes apa saja?', 'materi skd cpns', 'isi tes skd twk tiu tkp', 'berapa soal skd'],
    ['What is in the SKD test?', 'How many questions does SKD have?'], ['skd', 'twk', 'tiu', 'tkp']),
];

let index: FaqIndex;
beforeAll(() => {
  index = buildFaqIndex(ENTRIES);
});

function answerId(m: FaqMatch): string | undefined {
  return m.kind === 'answer' ? m.entry.id : undefined;
}

describe('answering real chat questions', () => {
  it.each([
    ['brp batas umur daftar cpns kak?', 'cpns-usia'],
    ['syarat pppk guru apa aja', 'pppk-syarat-umum'],
    ['ipk minimal berapa', 'umum-ipk'],
    ['bayar gak daftarnya?', 'umum-biaya'],
    ['what documents do I need for CPNS?', 'cpns-dokumen'],
    ['UMURRR MAKS P3K BRP??', 'pppk-usia'],
    ['Is it free to register?', 'umum-biaya'],
    ['materi tes skd apa aja min', 'cpns-skd'],
  ])('answers "%s" with %s', (question, expected) => {
    expect(answerId(index.match(question))).toBe(expected);
  });

  it('tolerates typos in the words that matter', () => {
    expect(answerId(index.match('persyratan pendaftran cpns'))).toBe('cpns-syarat-umum');
    expect(answerId(index.match('dokumn pppk apa aja'))).toBe('pppk-dokumen');
  });

  it('prefers the entry of the track the user names', () => {
    expect(answerId(index.match('usia maksimal cpns'))).toBe('cpns-usia');
    expect(answerId(index.match('usia maksimal pppk'))).toBe('pppk-usia');
  });

  it('returns a positive score with an answer', () => {
    const m = index.match('syarat cpns apa saja');
    expect(m.kind).toBe('answer');
    if (m.kind === 'answer') expect(m.score).toBeGreaterThan(0);
  });
});

describe('ambiguous questions', () => {
  it('offers both tracks when the question fits both and names neither', () => {
    const m = index.match('batas umur berapa?');
    expect(m.kind).toBe('ambiguous');
    if (m.kind === 'ambiguous') {
      expect(m.candidates.map((c) => c.id).sort()).toEqual(['cpns-usia', 'pppk-usia']);
    }
  });

  it('never offers fewer than 2 or more than 3 candidates', () => {
    for (const q of ['syarat daftar', 'dokumen apa aja', 'batas umur berapa?', 'berkas daftar']) {
      const m = index.match(q);
      if (m.kind === 'ambiguous') {
        expect(m.candidates.length).toBeGreaterThanOrEqual(2);
        expect(m.candidates.length).toBeLessThanOrEqual(3);
        expect(new Set(m.candidates.map((c) => c.id)).size).toBe(m.candidates.length);
      }
    }
  });
});

describe('out-of-scope questions', () => {
  it.each([
    'jadwal bola malam ini',
    'besok cuaca semarang hujan gak?',
    'resep rendang padang gimana',
    'syarat bikin SIM apa aja',
    'biaya bikin paspor berapa',
    'cara bikin ktp baru',
    'who won the football match yesterday?',
    'what is the weather tomorrow',
    'how to cook fried rice',
    'passport renewal requirements',
    'harga cabai hari ini',
    'umur berapa boleh nikah',
  ])('declines "%s"', (question) => {
    expect(index.match(question).kind).toBe('out_of_scope');
  });

  it('declines empty and emoji-only messages', () => {
    expect(index.match('').kind).toBe('out_of_scope');
    expect(index.match('🙏🙏🙏').kind).toBe('out_of_scope');
    expect(index.match('halo kak').kind).toBe('out_of_scope');
  });

  it('explains why a question was declined', () => {
    const ex = index.explain('syarat bikin SIM apa aja');
    expect(ex.gate.pass).toBe(false);
    expect(ex.result.kind).toBe('out_of_scope');
  });
});

describe('follow-up questions', () => {
  it.each([
    ['kalau PPPK?', 'cpns-usia', 'pppk-usia'],
    ['klo p3k gmn', 'cpns-usia', 'pppk-usia'],
    ['and for PPPK?', 'cpns-dokumen', 'pppk-dokumen'],
    ['yg cpns?', 'pppk-syarat-umum', 'cpns-syarat-umum'],
    ['what about CPNS?', 'pppk-usia', 'cpns-usia'],
  ])('resolves "%s" after %s to %s', (question, previousEntryId, expected) => {
    expect(answerId(index.match(question, { previousEntryId }))).toBe(expected);
  });

  it('keeps a general entry when the follow-up names a track it already covers', () => {
    expect(answerId(index.match('kalau pppk?', { previousEntryId: 'umum-ipk' }))).toBe('umum-ipk');
  });

  it('after an entry without a sibling, never answers a bare track follow-up with the previous entry or the other track', () => {
    const m = index.match('kalau pppk?', { previousEntryId: 'cpns-skd' });
    if (m.kind === 'answer') {
      expect(m.entry.id).not.toBe('cpns-skd');
      expect(m.entry.track).not.toBe('cpns');
    }
    if (m.kind === 'ambiguous') expect(m.candidates.every((c) => c.track !== 'cpns')).toBe(true);
  });

  it('does not treat a full new question as a follow-up', () => {
    expect(answerId(index.match('dokumen pppk apa aja', { previousEntryId: 'cpns-usia' }))).toBe('pppk-dokumen');
  });

  it('without context, a bare track name is not answered with a random entry', () => {
    expect(index.match('kalau PPPK?').kind).not.toBe('answer');
  });

  it('ignores an unknown previous entry id', () => {
    expect(index.match('kalau PPPK?', { previousEntryId: 'no-such-entry' }).kind).not.toBe('answer');
  });
});

describe('reply language', () => {
  it('answers in the language of the question', () => {
    expect(index.match('what documents do I need for CPNS?').lang).toBe('en');
    expect(index.match('dokumen cpns apa aja').lang).toBe('id');
    expect(index.match('who won the football match?').lang).toBe('en');
  });

  it('uses the language chosen by the user when given', () => {
    expect(index.match('dokumen cpns apa aja', { lang: 'en' }).lang).toBe('en');
  });
});

describe('index', () => {
  it('exposes its entries by id and its size', () => {
    expect(index.size).toBe(ENTRIES.length);
    expect(index.get('umum-ipk')?.title.id).toBe('IPK minimal');
    expect(index.get('nope')).toBeUndefined();
  });

  it('builds an index over an empty knowledge base that declines everything', () => {
    expect(buildFaqIndex([]).match('syarat cpns').kind).toBe('out_of_scope');
  });

  it('accepts threshold overrides', () => {
    const strict = buildFaqIndex(ENTRIES, undefined, { thresholds: { minCoverage: 1.01, minCoverageWeak: 1.01 } });
    expect(strict.thresholds.minCoverage).toBe(1.01);
    expect(strict.match('syarat cpns apa saja').kind).toBe('out_of_scope');
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('syarat', 'syarat', 2)).toBe(0);
    expect(editDistance('syrat', 'syarat', 2)).toBe(1);
    expect(editDistance('syraat', 'syarat', 2)).toBe(1);
    expect(editDistance('pendaftran', 'pendaftaran', 2)).toBe(1);
  });

  it('stops early beyond the bound', () => {
    expect(editDistance('football', 'formasi', 2)).toBe(3);
  });
});

describe('loadFaqEntries', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'faq-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and validates every YAML file of a folder', async () => {
    const good = path.join(dir, 'good');
    await rm(good, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(good));
    await writeFile(path.join(good, 'a.yaml'), stringify(ENTRIES.slice(0, 2)));
    await writeFile(path.join(good, 'b.yml'), stringify(ENTRIES.slice(2)));
    await writeFile(path.join(good, 'notes.txt'), 'ignored');
    const loaded = await loadFaqEntries(good);
    expect(loaded.map((e) => e.id)).toEqual(ENTRIES.map((e) => e.id));
  });

  it('lists every problem with its file and entry id', async () => {
    const bad = path.join(dir, 'bad');
    await import('node:fs/promises').then((fs) => fs.mkdir(bad, { recursive: true }));
    const broken = { ...ENTRIES[0], id: 'broken-entry', track: 'tni', questions: { id: ['satu'], en: [] } };
    const long = { ...ENTRIES[1], id: 'too-long', answer: { id: 'x'.repeat(1001), en: 'ok' } };
    await writeFile(path.join(bad, 'one.yaml'), stringify([broken, ENTRIES[2]]));
    await writeFile(path.join(bad, 'two.yaml'), stringify([long, ENTRIES[2]]));
    await writeFile(path.join(bad, 'three.yaml'), 'id: [unclosed');

    const error = await loadFaqEntries(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FaqContentError);
    const problems = (error as FaqContentError).problems;
    const where = problems.map((p) => `${p.file}:${p.id ?? ''}:${p.field ?? ''}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'one.yaml:broken-entry:track',
        'one.yaml:broken-entry:questions.id',
        'one.yaml:broken-entry:questions.en',
        'two.yaml:too-long:answer.id',
        'two.yaml:cpns-syarat-umum:',
        'three.yaml::',
      ]),
    );
    expect((error as FaqContentError).message).toContain('broken-entry');
  });
});
