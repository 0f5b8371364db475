/**
 * The tabulation of a period in the layout of the regulation's "pengolahan data" table
 * (PermenPANRB 14/2017, Lampiran, Bab III): one row per respondent with the value given to each
 * element U1..U9, then the total per element, NRR per element, weighted NRR per element (× 1/9),
 * their sum, the IKM (× 25) and the grade. The same rows become the CSV and the XLSX file, so the
 * two files and `/ikm` (which formats the same {@link IkmScore}) always agree.
 * Respondents appear by number only; suggestions are masked (NIK, phone numbers).
 */
import { csvCell } from '../complaints/csv-export.js';
import { maskText } from '../../logging/mask.js';
import { GRADE_LABEL, GRADE_FLOORS, round, scoreResponses, type IkmScore } from './scoring.js';
import type { Questionnaire } from './content.js';
import type { ResponseDoc } from './store.js';
import type { Suggestion } from './service.js';

export type Cell = string | number | null;

/** What the tabulation is of. */
export interface TabulationInput {
  office: string;
  /** e.g. "Okt–Des 2026 (2026-10)". */
  periodLabel: string;
  /** "Semua layanan" or a service name. */
  serviceLabel: string;
  responses: ResponseDoc[];
  questionnaire: Questionnaire;
  serviceNames: Record<string, string>;
  /** Krejcie–Morgan minimum for the population setting, when set. */
  minimumSample: number | undefined;
}

/** Formats an IKM figure the way `/ikm` and the files show it: two decimals. */
export function ikmFigure(ikm: number | null): string {
  return ikm === null ? '-' : round(ikm, 2).toFixed(2);
}

/** The table as rows of cells, plus the score it shows. */
export function tabulationRows(t: TabulationInput): { rows: Cell[][]; score: IkmScore } {
  const score = scoreResponses(t.responses.map((r) => r.answers));
  const codes = t.questionnaire.elements.map((e) => e.code);
  const rows: Cell[][] = [
    ['PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN DAN PER UNSUR PELAYANAN'],
    [`Unit pelayanan: ${t.office}`],
    [`Jenis layanan: ${t.serviceLabel}`],
    [`Periode: ${t.periodLabel}`],
    [`Dasar: ${t.questionnaire.source}`],
    [],
    ['No. Responden', ...codes, 'Layanan', 'Tanggal', 'Umur', 'Jenis kelamin', 'Pendidikan', 'Pekerjaan'],
  ];
  t.responses.forEach((r, i) => {
    rows.push([
      i + 1,
      ...r.answers.map((v) => v ?? null),
      t.serviceNames[r.service] ?? r.service,
      r.day,
      r.profile.umur ?? null,
      r.profile.jenis_kelamin ?? null,
      r.profile.pendidikan ?? null,
      r.profile.pekerjaan ?? null,
    ]);
  });
  const n = (x: number | null, d: number): Cell => (x === null ? null : round(x, d));
  rows.push(
    [],
    ['Σ Nilai per unsur', ...score.elements.map((e) => e.total)],
    ['NRR per unsur', ...score.elements.map((e) => n(e.nrr, 3))],
    ['NRR tertimbang per unsur (× 1/9)', ...score.elements.map((e) => n(e.weighted, 3))],
    ['Σ NRR tertimbang', n(score.weightedNrr, 3)],
    ['IKM (Σ NRR tertimbang × 25)', score.ikm === null ? null : Number(ikmFigure(score.ikm))],
    ['Mutu pelayanan', score.grade ? `${score.grade} (${GRADE_LABEL[score.grade].id})` : '-'],
    ['Jumlah responden', score.respondents],
    ['Sampel minimum (Krejcie-Morgan)', t.minimumSample ?? 'populasi belum diatur (IKM_POPULATION)'],
    [],
    ['Keterangan unsur'],
    ...t.questionnaire.elements.map((e): Cell[] => [e.code, e.name.id]),
    [],
    ['Nilai interval konversi IKM', 'Mutu', 'Kinerja unit pelayanan'],
    ...GRADE_FLOORS.map((g, i): Cell[] => [`${g.from.toFixed(2)} – ${i === 0 ? '100.00' : (GRADE_FLOORS[i - 1]!.from - 0.01).toFixed(2)}`, g.grade, GRADE_LABEL[g.grade].id]),
  );
  return { rows, score };
}

/** The CSV file (UTF-8 with BOM, opens in Excel). */
export function tabulationCsv(rows: Cell[][]): string {
  return `\uFEFF${rows.map((r) => r.map((c) => csvCell(c === null ? '' : c)).join(',')).join('\r\n')}\r\n`;
}

/** The XLSX workbook: the tabulation, and the suggestions on a second sheet. */
export async function tabulationXlsx(rows: Cell[][], suggestions: Suggestion[], serviceNames: Record<string, string>): Promise<Buffer> {
  // Loaded when a workbook is asked for: ExcelJS costs ~25 MB of memory the service need not hold.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Sapa Gajahmungkur';
  const sheet = wb.addWorksheet('Tabulasi SKM');
  for (const r of rows) sheet.addRow(r.map((c) => (c === null ? '' : c)));
  sheet.getColumn(1).width = 34;
  sheet.getRow(1).font = { bold: true };
  const saran = wb.addWorksheet('Saran dan masukan');
  saran.addRow(['Tanggal', 'Layanan', 'Saran/masukan']).font = { bold: true };
  for (const s of suggestions) saran.addRow([s.day, serviceNames[s.service] ?? s.service, maskText(s.text)]);
  saran.getColumn(3).width = 80;
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
