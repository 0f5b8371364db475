import { describe, expect, it } from 'vitest';
import { kelurahanSlot } from '../../src/domain/understanding/slots/index.js';

describe('Kelurahan slot: the answer to "di kelurahan mana?"', () => {
  it.each([
    ['Karangrejo', 'karangrejo'],
    ['karang rejo', 'karangrejo'],
    ['krg rejo', 'karangrejo'],
    ['bendan dhuwur', 'bendan-duwur'],
    ['Bendan Duwur', 'bendan-duwur'],
    ['bendanduwur', 'bendan-duwur'],
    ['bdn ngisor', 'bendan-ngisor'],
    ['bendan bawah', 'bendan-ngisor'],
    ['gajah mungkur', 'gajahmungkur'],
    ['Kel. Petompon', 'petompon'],
    ['kelurahan sampangan aja', 'sampangan'],
    ['lempong sari', 'lempongsari'],
    ['lempong', 'lempongsari'],
    ['bendungn', 'bendungan'],
    ['petompn', 'petompon'],
  ])('reads "%s" as %s', (text, id) => {
    expect(kelurahanSlot(text, 'answer')).toBe(id);
  });

  it.each(['ga tau kelurahannya', 'tidak tahu', 'gak tau', 'lupa kelurahannya', 'kurang tahu pak'])('reads "%s" as not known', (text) => {
    expect(kelurahanSlot(text, 'answer')).toBe('unknown');
  });

  it.each(['bendan', 'semarang', 'jakarta selatan', 'xyz'])('does not guess from "%s"', (text) => {
    expect(kelurahanSlot(text, 'answer')).toBeUndefined();
  });
});

describe('Kelurahan slot inside a longer message', () => {
  it('finds the one kelurahan named', () => {
    expect(kelurahanSlot('jalan depan rumah saya di Sampangan rusak parah')).toBe('sampangan');
    expect(kelurahanSlot('got mampet di Bendan Ngisor')).toBe('bendan-ngisor');
    expect(kelurahanSlot('lampu mati di karang rejo sejak kemarin')).toBe('karangrejo');
    expect(kelurahanSlot('jalan di kel. bendan dhuwur berlubang')).toBe('bendan-duwur');
  });

  it('takes "Kecamatan Gajahmungkur" as the kecamatan, and "Gajahmungkur" elsewhere as the kelurahan', () => {
    expect(kelurahanSlot('kecamatan Gajahmungkur pelayanannya lambat')).toBeUndefined();
    expect(kelurahanSlot('di kelurahan Gajahmungkur ada banjir')).toBe('gajahmungkur');
    expect(kelurahanSlot('BANJIR MIN!!! gang 7 gajahmungkur air udh selutut')).toBe('gajahmungkur');
  });

  it('does not read a street named after a kelurahan, or "SMP", as the kelurahan', () => {
    expect(kelurahanSlot('bak sampah di jl. bendungan raya udh penuh')).toBeUndefined();
    expect(kelurahanSlot('aku mung lulusan smp, iso dadi pns ora')).toBeUndefined();
  });

  it('names none when two are named, and does not guess a close spelling in a story', () => {
    expect(kelurahanSlot('antara Petompon dan Sampangan')).toBeUndefined();
    expect(kelurahanSlot('jalan sampingan rumah rusak')).toBeUndefined();
  });

  it('hears "I do not know the kelurahan" only when the kelurahan is the subject', () => {
    expect(kelurahanSlot('lampu mati, saya ga tau kelurahannya apa')).toBe('unknown');
    expect(kelurahanSlot('mau lapor got jebol, kelurahane embuh aku ra ngerti')).toBe('unknown');
    expect(kelurahanSlot('saya tidak tahu kenapa lampu mati terus')).toBeUndefined();
  });
});
