import { describe, expect, it } from 'vitest';
import { complaintConfidence } from '../../src/domain/complaints/detect.js';

describe('Recognising a complaint in free text', () => {
  it.each([
    'jalan depan rumah saya di Sampangan rusak parah',
    'kapan jalan di sampangan diperbaiki?',
    'petugas kelurahan minta uang buat ngurus KK',
    'lampu jalan mati di petompon sudah seminggu',
  ])('recognises "%s" (above the routing threshold of 0.5)', (text) => {
    expect(complaintConfidence(text)).toBeGreaterThan(0.5);
  });

  it.each(['syarat bikin KTP apa saja?', 'brp umur max cpns kak?', 'jam buka kantor kecamatan?'])('leaves "%s" to the FAQ', (text) => {
    expect(complaintConfidence(text)).toBeLessThan(0.5);
  });
});
