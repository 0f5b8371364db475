import { describe, expect, it } from 'vitest';
import { identityAnswer, isBareRequest, isCancelRequest, isNone, requestContent, yesNo } from '../../src/domain/understanding/slots/index.js';

describe('A bare request carries no content of its own', () => {
  it.each(['mau lapor', 'lapor', 'mau komplain', 'pengaduan', 'saya mau buat laporan dong', 'mau lapor min', 'I want to file a complaint'])('"%s" is bare', (text) => {
    expect(isBareRequest(text)).toBe(true);
  });

  it.each(['mau lapor jalan rusak', 'lampu jalan mati', 'lapor: sampah menumpuk', 'halo'])('"%s" is not bare', (text) => {
    expect(isBareRequest(text)).toBe(false);
  });
});

describe('What a message says beyond its opening request', () => {
  it('drops "mau lapor" and keeps the rest as written', () => {
    expect(requestContent('mau lapor jalan rusak')).toBe('jalan rusak');
    expect(requestContent('Saya mau lapor: lampu di Gg. Kenari mati')).toBe('lampu di Gg. Kenari mati');
  });
  it('keeps a message that opens with no request whole', () => {
    expect(requestContent('lampu jalan mati')).toBe('lampu jalan mati');
  });
});

describe('Short answers', () => {
  it.each(['batal', 'batalkan saja', 'ga bisa datang', 'saya berhalangan', 'hapus nama saya'])('"%s" asks to cancel', (text) => {
    expect(isCancelRequest(text)).toBe(true);
  });
  it.each(['bisa datang kok', 'terima kasih', 'jam berapa mulainya?'])('"%s" does not ask to cancel', (text) => {
    expect(isCancelRequest(text)).toBe(false);
  });

  it.each(['ga ada foto', 'gak ada', 'tidak ada fotonya', 'lewati', 'skip aja', 'tanpa foto', 'ga usah'])('"%s" means none', (text) => {
    expect(isNone(text)).toBe(true);
  });
  it.each(['ini fotonya', 'nanti saya kirim', 'ada'])('"%s" does not mean none', (text) => {
    expect(isNone(text)).toBe(false);
  });

  it.each([
    ['anonim aja', 'anonim'],
    ['tanpa nama', 'anonim'],
    ['anonym', 'anonim'],
    ['pakai nama saya', 'named'],
    ['dengan nama', 'named'],
    ['rahasia', 'rahasia'],
    ['dirahasiakan saja', 'rahasia'],
  ])('identity "%s" is %s', (text, id) => {
    expect(identityAnswer(text)).toBe(id);
  });
  it('has no identity in an unrelated answer', () => {
    expect(identityAnswer('terserah')).toBeUndefined();
  });

  it.each([
    ['ya', 'yes'],
    ['iya kak', 'yes'],
    ['yakin', 'yes'],
    ['tidak', 'no'],
    ['ga jadi', 'no'],
    ['nggak', 'no'],
  ])('"%s" is %s', (text, answer) => {
    expect(yesNo(text)).toBe(answer);
  });
  it('is neither for a sentence', () => {
    expect(yesNo('mungkin nanti saya pikir dulu ya')).toBeUndefined();
  });
});
