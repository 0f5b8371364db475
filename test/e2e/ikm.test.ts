/**
 * Survei Kepuasan Masyarakat (issue #14), end to end through both webhooks: the survey offered
 * after a closed and rated complaint, after a forum the person attended, and from the menu; typed
 * answers ("3", "baik", "sangat cepat") read as answers; "kembali" changes the previous answer;
 * progress survives a restart; a second survey of the same service in the same period is refused;
 * answers are stored without any identity; staff `/ikm` shows the same IKM as the exported
 * tabulation (CSV and XLSX, PermenPANRB 14/2017 layout).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ikmResponseModel, ikmTakerModel } from '../../src/store/ikm.js';
import { scoreResponses } from '../../src/domain/ikm/scoring.js';
import { ikmFigure } from '../../src/domain/ikm/tabulation.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, STAFF_GROUP, STAFF_WA, fileOnTelegram, fileOnWhatsApp, telegramStaff, telegramUser, whatsappUser } from './complaints-support.js';
import { createForum, forumsOf, HOUR, setClock } from './forums-support.js';

/** WhatsApp and Telegram pace messages to one person in real time; a survey is ~17 messages. */
const PACED = { timeout: 240_000 };

type Channel = 'telegram' | 'whatsapp';

describe('Survei Kepuasan Masyarakat, end to end', () => {
  let h: Harness;
  const responses = () => ikmResponseModel(h.app.conn).find().lean();

  /** A resident on either channel: say, tap, what they received. */
  function person(channel: Channel, id: string) {
    if (channel === 'telegram') {
      const u = telegramUser(h, Number(id));
      return { id, say: u.say, tap: (data: string) => u.tap(data), texts: u.texts, last: u.last, choices: u.buttons };
    }
    const u = whatsappUser(h, id);
    return { id, say: u.say, tap: (data: string) => u.tap(data), texts: u.texts, last: u.last, choices: u.choiceIds };
  }
  type Person = ReturnType<typeof person>;

  /** Staff finish a ticket: the reporter gets the update and the rating request. */
  async function finish(ticket: string): Promise<void> {
    const staff = telegramStaff(h, 9001);
    await staff.tap(`complaint-staff:selesai:${ticket}`);
    await staff.say('Sudah diperbaiki petugas');
  }

  /**
   * Answers the nine elements, one tap or one typed word each:
   * U1 4 (tap) · U2 "3" · U3 "sangat cepat" (4) · U4 4 (tap) · U5 "baik" (3) · U6 3 (tap) ·
   * U7 "sangat sopan dan ramah" (4) · U8 3 (tap) · U9 3 (tap)
   */
  async function answerElements(p: Person, from = 0, to = 9): Promise<void> {
    const steps: Array<() => Promise<void>> = [
      () => p.tap('ikm-survey:a:1:4'),
      () => p.say('3'),
      () => p.say('sangat cepat'),
      () => p.tap('ikm-survey:a:4:4'),
      () => p.say('baik'),
      () => p.tap('ikm-survey:a:6:3'),
      () => p.say('sangat sopan dan ramah'),
      () => p.tap('ikm-survey:a:8:3'),
      () => p.tap('ikm-survey:a:9:3'),
    ];
    for (const s of steps.slice(from, to)) await s();
  }
  const EXPECTED = [4, 3, 4, 4, 3, 3, 4, 3, 3];

  /** Profile (one answered, one typed age, two skipped) and the suggestion. */
  async function finishProfile(p: Person, suggestion?: string): Promise<void> {
    expect(p.last()).toContain('Berapa umur Anda?');
    await p.say('35');
    await p.tap('ikm-survey:p:P');
    await p.tap('ikm-survey:p:skip');
    await p.tap('ikm-survey:p:skip');
    expect(p.last()).toContain('saran atau masukan');
    if (suggestion) await p.say(suggestion);
    else await p.tap('ikm-survey:s:skip');
  }

  beforeAll(async () => {
    h = await startHarness({ env: { ...COMPLAINT_ENV, IKM_POPULATION: '1000' } });
    setClock(h, '2026-11-30T02:00:00Z'); // Monday 30 November 2026, 09:00 WIB: period Okt–Des 2026
  });
  afterAll(async () => h.close());

  describe.each([
    ['telegram', '7101', '7102', '7103'],
    ['whatsapp', '6281277710001', '6281277710002', '6281277710003'],
  ] as const)('on %s', (channel, complainant, attendee, visitor) => {
    it('after a closed and rated complaint: offered, answered with taps and typed words, stored anonymously; a second one is refused', PACED, async () => {
      const ticket =
        channel === 'telegram'
          ? await fileOnTelegram(h, Number(complainant), { description: 'Lampu PJU di Jl. Kelud mati sejak Jumat malam.', category: 'pju' })
          : await fileOnWhatsApp(h, complainant, { description: 'Sampah di TPS Lempongsari belum diangkut seminggu.', category: 'sampah' });
      const p = person(channel, complainant);
      h.clock.advance(60_000);
      await finish(ticket);
      await p.tap(`complaint-rating:${ticket}:5`);
      await p.tap('complaint-rating:skip');
      expect(p.texts().at(-2)).toContain('penilaian Anda sudah kami simpan');
      expect(p.last()).toContain('Survei Kepuasan Masyarakat tentang penanganan pengaduan');
      expect(p.choices()).toEqual(expect.arrayContaining(['ikm-survey:offer:pengaduan', 'ikm-survey:later']));

      const before = (await responses()).length;
      await p.tap('ikm-survey:offer:pengaduan');
      expect(p.last()).toContain('Pertanyaan 1/9 · Persyaratan');
      await answerElements(p);
      await finishProfile(p, 'Mohon info perbaikan dikirim lebih cepat, hubungi 081234567890');
      expect(p.last()).toContain('jawaban Anda sudah kami simpan tanpa nama');
      expect(p.last()).toMatch(/Indeks Kepuasan Masyarakat Kecamatan Gajahmungkur Okt–Des 2026: \d+\.\d\d \(mutu [A-D]/);

      const all = await responses();
      expect(all).toHaveLength(before + 1);
      const mine = all.find((r) => r.service === 'pengaduan' && r.suggestion?.includes('perbaikan'))!;
      expect(mine.answers).toEqual(EXPECTED);
      expect(mine.profile).toEqual({ umur: '30-39', jenis_kelamin: 'P' });
      expect(mine.period).toBe('2026-10');
      expect(mine.day).toBe('2026-11-30');
      // Nothing next to the answers says who gave them.
      expect(JSON.stringify(mine)).not.toContain(complainant);
      expect(Object.keys(mine).sort()).toEqual(['_id', 'answers', 'day', 'lang', 'period', 'profile', 'service', 'suggestion']);
      expect(await ikmTakerModel(h.app.conn).exists({ _id: `pengaduan:2026-10:${channel}:${complainant}` })).not.toBeNull();

      // The same service again in the same period: refused, nothing stored.
      await p.tap('ikm-survey:offer:pengaduan');
      expect(p.last()).toContain('Anda sudah mengisi survei tentang penanganan pengaduan pada periode Okt–Des 2026');
      expect(await responses()).toHaveLength(before + 1);
    });

    it('after a forum the person attended: the offer is pushed when it is over, "ya" starts it, "kembali" changes the previous answer', PACED, async () => {
      const p = person(channel, attendee);
      await p.say('halo');
      const now = h.clock.now();
      const forum = await createForum(h, { title: `Forum Warga ${channel}`, startAt: new Date(now.getTime() + 3 * HOUR), registrationDeadline: new Date(now.getTime() + HOUR) });
      const r = await forumsOf(h.app).services.registrations.signUp(
        { forumId: String(forum._id), channel, userKey: attendee, name: 'Sari', kelurahan: 'Sampangan', lang: 'id', waitlist: false },
        now,
      );
      if (r.kind !== 'registered') throw new Error(`sign-up failed: ${r.kind}`);
      // Not yet over: no offer.
      await h.app.runJobsOnce();
      await h.settle();
      expect(p.texts().join('\n')).not.toContain('Survei Kepuasan Masyarakat');
      h.clock.advance(3 * HOUR + 10 * 60_000);
      await forumsOf(h.app).services.forums.markById(String(r.registration._id), h.clock.now());
      h.clock.advance(2 * HOUR);
      await h.app.runJobsOnce();
      await h.settle();
      expect(p.last()).toContain('Survei Kepuasan Masyarakat tentang forum warga');
      // Offered once, however often the job runs.
      await h.app.runJobsOnce();
      await h.settle();
      expect(p.texts().filter((t) => t.includes('tentang forum warga'))).toHaveLength(1);

      await p.say('ya');
      expect(p.last()).toContain('Pertanyaan 1/9');
      await p.tap('ikm-survey:a:1:1');
      await p.tap('ikm-survey:a:2:2');
      expect(p.last()).toContain('Pertanyaan 3/9');
      // A second tap on question 2's list is not taken as the answer to question 3.
      await p.tap('ikm-survey:a:2:4');
      expect(p.last()).toContain('Mohon pilih salah satu dari empat jawaban untuk pertanyaan ini');
      expect(p.last()).toContain('Pertanyaan 3/9');
      await p.say('kembali');
      expect(p.last()).toContain('Pertanyaan 2/9');
      await p.tap('ikm-survey:a:2:3');
      await p.say('kembali');
      await p.say('kembali');
      expect(p.last()).toContain('Pertanyaan 1/9');
      await answerElements(p);
      await finishProfile(p);
      expect(p.last()).toContain('tanpa nama');
      const mine = (await responses()).filter((x) => x.service === 'forum' && x.profile.umur === '30-39' && x.suggestion === undefined);
      expect(mine.map((x) => x.answers)).toContainEqual(EXPECTED);
    });

    it('from the menu ("layanan kantor kecamatan"): resumes after a restart, then refuses a second one this period', PACED, async () => {
      const p = person(channel, visitor);
      // Asking in words starts it too (the understanding step's "ikm.survey"); "batal" leaves it.
      await p.say('mau isi survei kepuasan');
      expect(p.last()).toContain('Layanan: Layanan kantor kecamatan');
      await p.say('batal');
      await p.say('menu');
      expect(p.choices()).toContain('m:ikm-survey');
      await p.tap('m:ikm-survey');
      expect(p.last()).toContain('Layanan: Layanan kantor kecamatan');
      await p.tap('ikm-survey:begin');
      const answer = (from: number, to: number) => answerElements(p, from, to);
      await answer(0, 4);
      expect(p.last()).toContain('Pertanyaan 5/9');

      // The service restarts: the progress is in the session.
      await h.rebuild();
      await answer(4, 9);
      await finishProfile(p, 'Ruang tunggu kantor kecamatan perlu kipas angin.');
      expect(p.last()).toContain('tanpa nama');
      const mine = (await responses()).find((x) => x.service === 'layanan' && x.suggestion?.includes(`kipas angin`) && x.answers.join() === EXPECTED.join());
      expect(mine).toBeDefined();

      await p.tap('m:ikm-survey');
      await p.tap('ikm-survey:begin');
      expect(p.last()).toContain('Anda sudah mengisi survei tentang layanan kantor kecamatan pada periode Okt–Des 2026');
    });
  });

  it('staff /ikm shows the period\'s IKM, grade, respondents and weakest elements; the CSV and XLSX tabulation show the same IKM', PACED, async () => {
    const all = await responses();
    expect(all.length).toBeGreaterThanOrEqual(6);
    const expected = scoreResponses(all.map((r) => r.answers));
    const staff = telegramStaff(h, 9001);
    await staff.say('/ikm');
    const text = staff.last();
    expect(text).toContain('IKM Kecamatan Gajahmungkur · Okt–Des 2026 (2026-10)');
    expect(text).toContain(`IKM: ${ikmFigure(expected.ikm)} · mutu ${expected.grade}`);
    expect(text).toContain(`Responden: ${all.length} dari sampel minimum 278 (Krejcie-Morgan, populasi 1000): belum tercapai`);
    expect(text).toMatch(/Penanganan pengaduan: .* · 2 responden/);
    expect(text).toMatch(/Unsur terlemah: U/);

    await staff.tap('ikm-staff:export:2026-10');
    const docs = h.tg.callsOf('sendDocument').filter((c) => c.params['chat_id'] === STAFF_GROUP);
    const csvFile = docs.map((d) => d.params['document'] as { filename: string; bytes: Buffer }).find((f) => f.filename === 'ikm_2026-10.csv')!;
    const xlsxFile = docs.map((d) => d.params['document'] as { filename: string; bytes: Buffer }).find((f) => f.filename === 'ikm_2026-10.xlsx')!;
    expect(csvFile).toBeDefined();
    expect(xlsxFile).toBeDefined();

    const lines = csvFile.bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines).toContain('No. Responden,U1,U2,U3,U4,U5,U6,U7,U8,U9,Layanan,Tanggal,Umur,Jenis kelamin,Pendidikan,Pekerjaan');
    const respondentRows = lines.filter((l) => /^\d+,[1-4],/.test(l));
    expect(respondentRows).toHaveLength(all.length);
    expect(lines.find((l) => l.startsWith('Σ Nilai per unsur,'))).toBe(`Σ Nilai per unsur,${expected.elements.map((e) => e.total).join(',')}`);
    expect(lines.find((l) => l.startsWith('IKM (Σ NRR tertimbang × 25),'))).toBe(`IKM (Σ NRR tertimbang × 25),${Number(ikmFigure(expected.ikm))}`);
    expect(lines.find((l) => l.startsWith('Mutu pelayanan,'))).toContain(`${expected.grade} (`);
    // No identity in the file (the suggestion's phone number is masked in the XLSX; none here either).
    for (const id of ['7101', '6281277710001']) expect(csvFile.bytes.toString('utf8')).not.toContain(id);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsxFile.bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Tabulasi SKM')!;
    let ikmCell: unknown;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'IKM (Σ NRR tertimbang × 25)') ikmCell = row.getCell(2).value;
    });
    expect(ikmCell).toBe(Number(ikmFigure(expected.ikm)));
    const saran: string[] = [];
    wb.getWorksheet('Saran dan masukan')!.eachRow((row) => saran.push(String(row.getCell(3).value)));
    expect(saran.join('\n')).toContain('kipas angin');
    expect(saran.join('\n')).not.toContain('081234567890');

    // On WhatsApp (no bot commands) staff ask in words and get the same figure.
    const waStaff = whatsappUser(h, STAFF_WA);
    await waStaff.say('hasil survei kepuasan masyarakat');
    expect(waStaff.last()).toContain(`IKM: ${ikmFigure(expected.ikm)} · mutu ${expected.grade}`);

    await staff.tap('ikm-staff:saran:2026-10');
    expect(staff.last()).toContain('Saran & masukan Okt–Des 2026');
    expect(staff.last()).toMatch(/2026-11-30 · Layanan kantor kecamatan: Ruang tunggu kantor kecamatan perlu kipas angin/);
  });
});
