import { describe, expect, it } from 'vitest';
import { clip, splitText } from '../../src/channels/split-text.js';
import { WhatsAppSender, toInteractive } from '../../src/channels/whatsapp/sender.js';
import { inlineKeyboard } from '../../src/channels/telegram/sender.js';
import type { WhatsAppGraphClient } from '../../src/channels/whatsapp/graph-client.js';
import { maskId, maskText } from '../../src/logging/mask.js';

describe('Splitting long texts', () => {
  it('keeps short texts whole', () => {
    expect(splitText('halo', 10)).toEqual(['halo']);
  });

  it('never cuts a word and never exceeds the limit', () => {
    const text = Array.from({ length: 500 }, (_, i) => `kata${i}`).join(' ');
    const parts = splitText(text, 100);
    expect(parts.every((p) => [...p].length <= 100)).toBe(true);
    expect(parts.join(' ').split(' ')).toEqual(text.split(' '));
  });

  it('prefers paragraph breaks', () => {
    const a = 'a'.repeat(60);
    const b = 'b'.repeat(60);
    expect(splitText(`${a}\n\n${b}`, 100)).toEqual([a, b]);
  });

  it('counts emoji as one character', () => {
    expect(splitText('👍'.repeat(10), 10)).toHaveLength(1);
  });

  it('clips labels with an ellipsis', () => {
    expect(clip('Administrasi kependudukan', 20)).toHaveLength(20);
    expect(clip('Pendek', 20)).toBe('Pendek');
  });
});

describe('WhatsApp rendering', () => {
  const sender = new WhatsAppSender({} as WhatsAppGraphClient, 80);

  it('uses reply buttons for up to three short choices', () => {
    const m = toInteractive('Pilih', [{ id: 'a', title: 'Ya' }, { id: 'b', title: 'Tidak' }], 'Pilih');
    expect(m.type === 'interactive' && m.interactive.type).toBe('button');
  });

  it('uses a list for more choices or long titles, clipping titles to 24', () => {
    const m = toInteractive('Pilih', [{ id: 'a', title: 'Sampaikan pengaduan atau aspirasi warga' }], 'Pilih layanan');
    expect(m.type === 'interactive' && m.interactive.type).toBe('list');
    if (m.type === 'interactive' && m.interactive.type === 'list') {
      const row = m.interactive.action.sections[0]!.rows[0]!;
      expect([...row.title].length).toBeLessThanOrEqual(24);
      expect(row.description).toContain('pengaduan');
    }
  });

  it('sends a body over 1,024 characters as text first, then the choices', () => {
    const parts = sender.split({ kind: 'text', text: 'x '.repeat(900), choices: [{ id: 'a', title: 'OK' }] });
    expect(parts.length).toBe(2);
    expect(parts[0]!.kind === 'text' && parts[0]!.choices).toBeUndefined();
    expect(parts[1]!.kind === 'text' && [...parts[1]!.text].length).toBeLessThanOrEqual(1024);
  });

  it('spreads more than ten choices over several lists', () => {
    const choices = Array.from({ length: 13 }, (_, i) => ({ id: `c${i}`, title: `Pilihan ${i}` }));
    const parts = sender.split({ kind: 'text', text: 'Pilih', choices });
    expect(parts.map((p) => (p.kind === 'text' ? p.choices?.length : 0))).toEqual([10, 3]);
  });
});

describe('Telegram keyboards', () => {
  it('puts two short buttons per row and long ones alone', () => {
    const rows = inlineKeyboard([
      { id: 'a', title: 'Ya' },
      { id: 'b', title: 'Tidak' },
      { id: 'c', title: 'Sampaikan pengaduan / aspirasi' },
    ]);
    expect(rows.map((r) => r.length)).toEqual([2, 1]);
  });

  it('refuses callback data over 64 bytes', () => {
    expect(() => inlineKeyboard([{ id: 'x'.repeat(65), title: 'A' }])).toThrow(/64 bytes/);
  });
});

describe('Masking personal numbers', () => {
  it('masks NIK and phone numbers in free text', () => {
    const out = maskText('NIK 3374012345678901, hp 0812-3456-7890 atau +6281234567890');
    expect(out).not.toContain('3374012345678901');
    expect(out).not.toContain('3456');
    expect(out).toContain('8901');
  });

  it('masks ids keeping only the last digits', () => {
    expect(maskId('6281234567890')).toBe('62********890');
  });
});
