/**
 * Behaviour of the matcher on the real knowledge base
 * (`flows/content/faq/*.yaml` + `flows/content/lexicon/*.yaml`): the cases the
 * issue names explicitly, which must hold whatever the eval figures say.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFaqEntries } from '../../src/domain/faq/load-content.js';
import { buildFaqIndex, type FaqIndex, type FaqMatch } from '../../src/domain/faq/matcher.js';
import type { FaqEntry } from '../../src/domain/faq/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let entries: FaqEntry[];
let index: FaqIndex;

beforeAll(async () => {
  entries = await loadFaqEntries(path.join(ROOT, 'flows/content/faq'));
  index = buildFaqIndex(entries);
});

const answered = (m: FaqMatch): string | undefined => (m.kind === 'answer' ? m.entry.id : undefined);

describe('knowledge base', () => {
  it('has at least 60 entries with short plain-text answers and a source', () => {
    expect(entries.length).toBeGreaterThanOrEqual(60);
    for (const e of entries) {
      expect(e.answer.id.length, e.id).toBeLessThan(1000);
      expect(e.answer.en.length, e.id).toBeLessThan(1000);
      expect(e.answer.id, e.id).not.toMatch(/[*_`#]|<\/?[a-z]/);
      expect(e.source.trim(), e.id).not.toBe('');
      expect(e.title.id.length, e.id).toBeLessThanOrEqual(24);
    }
  });

  it('never quotes a salary figure', () => {
    for (const id of ['cpns-gaji', 'pppk-gaji']) {
      const e = entries.find((x) => x.id === id);
      expect(e, id).toBeDefined();
      expect(e?.answer.id).not.toMatch(/Rp|rupiah|\d{1,3}\.\d{3}/i);
    }
  });

  it('has a PPPK sibling for the CPNS topics applicants follow up on', () => {
    for (const topic of ['sanggah', 'lokasi-tes', 'simulasi', 'masa-percobaan', 'skd', 'skb', 'gaji', 'usia', 'dokumen', 'tahapan', 'jadwal']) {
      expect(entries.some((e) => e.topic === topic && e.track === 'pppk'), topic).toBe(true);
      expect(entries.some((e) => e.topic === topic && e.track === 'cpns'), topic).toBe(true);
    }
  });
});

describe('bribery and fraud', () => {
  it.each(['bisa beli kursi PNS?', 'bayar orang dalam 50jt', 'bayar 50jt ke orang dalam biar lolos pppk', 'can I buy a PNS position?', 'nyogok panitia biar lulus cpns'])(
    '"%s" gets the anti-fraud answer',
    (q) => {
      expect(answered(index.match(q))).toBe('umum-calo');
    },
  );
});

describe('out of scope', () => {
  it.each([
    'halo',
    'selamat pagi min',
    'apa kabar kak',
    'terima kasih banyak',
    'ok siap',
    'bikin ktp gimana',
    'perpanjang sim di mana',
    'jalan rusak di depan rumah',
    'mau lapor jalan berlubang',
    'nomor wa pak camat berapa',
    'skor timnas semalam',
  ])('"%s" is declined', (q) => {
    expect(index.match(q).kind).toBe('out_of_scope');
  });
});

describe('new topics', () => {
  it.each([
    ['gaji pns berapa', 'cpns-gaji'],
    ['tunjangan pppk apa saja', 'pppk-gaji'],
    ['sakit saat jadwal skd, ada susulan?', 'umum-tes-susulan'],
    ['tidak bisa ikut tes skd', 'umum-tes-susulan'],
    ['kalau bot ga bisa jawab tanya kemana', 'umum-kontak'],
    ['p3k ada skb nya?', 'pppk-skb'],
  ])('"%s" → %s', (q, id) => {
    expect(answered(index.match(q))).toBe(id);
  });
});

describe('follow-ups', () => {
  it.each([
    ['cpns-sanggah', 'kalau PPPK?', 'pppk-sanggah'],
    ['cpns-lokasi-tes', 'kalau PPPK?', 'pppk-lokasi-tes'],
    ['cpns-simulasi', 'klo p3k?', 'pppk-simulasi'],
    ['cpns-masa-percobaan', 'kalau PPPK?', 'pppk-masa-percobaan'],
    ['cpns-skd', 'kalau PPPK?', 'pppk-kompetensi'],
    ['cpns-skb', 'kalau PPPK?', 'pppk-skb'],
    ['cpns-gaji', 'and for PPPK?', 'pppk-gaji'],
    ['pppk-sanggah', 'kalau cpns?', 'cpns-sanggah'],
    ['umum-tes-susulan', 'kalau PPPK?', 'umum-tes-susulan'],
  ])('after %s, "%s" → %s', (previousEntryId, q, id) => {
    expect(answered(index.match(q, { previousEntryId }))).toBe(id);
  });
});

describe('overlapping pairs', () => {
  it.each([
    ['cara daftar pppk', 'pppk-cara-daftar'],
    ['honorer ingin jadi pppk caranya', 'pppk-honorer'],
    ['syarat jalur cumlaude', 'cpns-cumlaude'],
    ['akreditasi kampus berpengaruh?', 'umum-akreditasi'],
    ['pas foto', 'umum-pas-foto'],
    ['swafoto', 'umum-swafoto'],
    ['passing grade cpns', 'cpns-passing-grade'],
    ['passing grade diaspora', 'cpns-pg-cumlaude-diaspora'],
    ['passing grade disabilitas', 'cpns-pg-afirmasi'],
    ['bkpsdm semarang', 'umum-bkpsdm'],
    ['cek formasi', 'umum-cek-formasi'],
    ['jadwal cpns', 'cpns-jadwal'],
    ['jadwal cpns 2024', 'cpns-riwayat-2024'],
    ['alur seleksi p3k dari awal', 'pppk-tahapan'],
  ])('"%s" → %s', (q, id) => {
    expect(answered(index.match(q))).toBe(id);
  });
});
