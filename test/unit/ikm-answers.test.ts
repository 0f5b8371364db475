/**
 * Typed answers in the survey step are read as answers on the regulation's four-point scale:
 * the number, the element's own answer words, or the general words people use.
 */
import { describe, expect, it } from 'vitest';
import { loadQuestionnaire } from '../../src/domain/ikm/content.js';
import { readScaleAnswer } from '../../src/domain/ikm/answer-reader.js';

describe('typed survey answers', async () => {
  const q = await loadQuestionnaire();
  const prosedur = q.elements[1]!.answers; // Tidak mudah / Kurang mudah / Mudah / Sangat mudah
  const biaya = q.elements[3]!.answers; // Sangat mahal / Cukup mahal / Murah / Gratis

  it.each([
    ['3', 3],
    ['4/4', 4],
    ['nilai 2', 2],
    ['sangat mudah', 4],
    ['Kurang mudah!', 2],
    ['mudah kok', 3],
    ['very easy', 4],
    ['baik', 3],
    ['sangat baik', 4],
    ['puas banget', 4],
    ['kurang', 2],
    ['buruk', 1],
    ['tidak puas', 1],
  ])('"%s" → %i on "kemudahan prosedur"', (text, value) => {
    expect(readScaleAnswer(text, prosedur)).toBe(value);
  });

  it('reads an element\'s own scale even where it runs the other way round in words ("gratis" 4, "sangat mahal" 1)', () => {
    expect(readScaleAnswer('gratis', biaya)).toBe(4);
    expect(readScaleAnswer('sangat mahal', biaya)).toBe(1);
    expect(readScaleAnswer('cukup mahal', biaya)).toBe(2);
  });

  it('is not an answer: other numbers, requests, long sentences', () => {
    for (const text of ['5', '0', 'mau lapor jalan rusak', 'menu', 'jam berapa kantor kecamatan buka hari sabtu ini ya kak']) {
      expect(readScaleAnswer(text, prosedur), text).toBeUndefined();
    }
  });
});
