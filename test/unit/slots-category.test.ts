import { describe, expect, it } from 'vitest';
import { categorySlot } from '../../src/domain/understanding/slots/index.js';

describe('Category slot: what a complaint is about', () => {
  it.each([
    ['lampu jalan mati', 'pju'],
    ['lampu jalan di gang sampangan 3 mati udh seminggu', 'pju'],
    ['mau lapor jalan rusak', 'jalan'],
    ['jalan berlubang depan SD', 'jalan'],
    ['selokan mampet kalau hujan banjir', 'drainase'],
    ['sampah menumpuk di TPS belum diangkut', 'sampah'],
    ['KK saya 3 minggu blm jadi', 'adminduk'],
    ['petugas kelurahan judes bgt', 'layanan'],
    ['dimintai uang rokok waktu ngurus KTP', 'pungli'],
    ['parkir liar bikin macet', 'trantib'],
    ['tetangga saya miskin tapi tidak dapat bantuan', 'sosial'],
    ['usul dibuatkan taman bermain anak', 'aspirasi'],
    ['uwuh numpuk neng pinggir kali, ora ono sing ngangkut', 'sampah'],
    ['kabel menjuntai rendah bgt di gang 4, kena kepala pengendara', 'jalan'],
    ['loud music from a cafe near my house until 3am', 'trantib'],
    ['sy disuruh bayar biar ktp cepet jadi', 'pungli'],
    ['pengemis bawa anak kecil mangkal di lampu merah', 'sosial'],
  ])('files "%s" under %s', (text, id) => {
    expect(categorySlot(text)).toBe(id);
  });

  it('leaves a message without a clear cue for the person to choose', () => {
    expect(categorySlot('mau lapor')).toBeUndefined();
    expect(categorySlot('tolong dibantu ya pak')).toBeUndefined();
  });

  it.each([
    ['jalan', 'jalan'],
    ['lampu', 'pju'],
    ['Penerangan jalan', 'pju'],
    ['drainse', 'drainase'],
    ['sampah', 'sampah'],
    ['pungli', 'pungli'],
    ['lainnya', 'lainnya'],
  ])('reads the typed answer "%s" in the category step as %s', (text, id) => {
    expect(categorySlot(text, 'answer')).toBe(id);
  });
});
