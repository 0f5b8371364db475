import { describe, expect, it } from 'vitest';
import { extractSlots } from '../../src/domain/understanding/slots/index.js';

const now = new Date('2026-11-30T03:00:00Z');

describe('extractSlots: everything one message says', () => {
  it('reads a complaint written in one go', () => {
    expect(extractSlots('lampu jalan di gang sampangan 3 mati udh seminggu', now, 'Asia/Jakarta')).toEqual({
      kelurahan: 'sampangan',
      category: 'pju',
      street: 'gang sampangan 3',
    });
  });

  it('reads a sign-up for someone else with a day and a time', () => {
    expect(extractSlots('daftarin bapak saya pak Slamet ke musrenbang senin depan jam 9 pagi', now, 'Asia/Jakarta')).toEqual({
      person: 'pak Slamet',
      date: { date: '2026-12-07', text: 'senin depan' },
      time: { hour: 9, minute: 0, text: 'jam 9 pagi' },
    });
  });

  it('reads a status question', () => {
    expect(extractSlots('tiket 42 udah sampe mana', now, 'Asia/Jakarta')).toEqual({ ticket: { seq: 42, text: 'tiket 42' } });
  });

  it('says nothing about what was not said', () => {
    expect(extractSlots('halo min', now, 'Asia/Jakarta')).toEqual({});
  });
});
