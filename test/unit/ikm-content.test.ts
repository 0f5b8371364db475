/**
 * The SKM questionnaire content (flows/content/ikm/questionnaire.yaml) holds the regulation's
 * shape: the nine elements a–i of PermenPANRB 14/2017 in order, four answers each, the profile of
 * its form, the three kinds of service; a broken edit is refused at load with every problem named.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ELEMENT_IDS, IkmContentError, OPTION_TITLE_MAX, QUESTIONNAIRE_FILE, loadQuestionnaire, parseQuestionnaire, questionFor } from '../../src/domain/ikm/content.js';

describe('SKM questionnaire content', () => {
  it('loads: nine elements U1..U9 in the regulation\'s order, four answers each, with its source', async () => {
    const q = await loadQuestionnaire();
    expect(q.elements.map((e) => e.id)).toEqual([...ELEMENT_IDS]);
    expect(q.elements.map((e) => e.code)).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8', 'U9']);
    expect(q.elements.every((e) => e.answers.length === 4)).toBe(true);
    expect(q.source).toMatch(/PermenPANRB No\. 14 Tahun 2017/);
    expect(q.profile.map((p) => p.id)).toEqual(['umur', 'jenis_kelamin', 'pendidikan', 'pekerjaan']);
    const titles = [...q.elements.flatMap((e) => e.answers), ...q.profile.flatMap((p) => p.options.map((o) => o.title))];
    expect(titles.every((t) => t.id.length <= OPTION_TITLE_MAX && t.en.length <= OPTION_TITLE_MAX)).toBe(true);
  });

  it('a service may word an element its own way; the others keep the default question', async () => {
    const q = await loadQuestionnaire();
    expect(questionFor(q, 'pengaduan', 2, 'id')).toMatch(/pengaduan/);
    expect(questionFor(q, 'layanan', 2, 'id')).toBe(q.elements[2]!.question.id);
  });

  it('refuses a fifth answer, and an element out of the regulation\'s order, naming the place', async () => {
    const yaml = await readFile(QUESTIONNAIRE_FILE, 'utf8');
    const problems = (text: string): string => {
      try {
        parseQuestionnaire(text);
      } catch (e) {
        expect(e).toBeInstanceOf(IkmContentError);
        return (e as IkmContentError).problems.join('\n');
      }
      return expect.unreachable('the broken file was accepted');
    };
    expect(problems(yaml.replace('- { id: Sangat mudah, en: Very easy }', '- { id: Sangat mudah, en: Very easy }\n      - { id: Luar biasa, en: Amazing }'))).toMatch(/elements\.1\.answers: .*four answers/);
    expect(problems(yaml.replace('id: sarana\n    code: U9', 'id: persyaratan\n    code: U9'))).toMatch(/elements\.8\.id: .*"sarana"/);
  });
});
