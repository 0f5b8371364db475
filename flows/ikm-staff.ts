/**
 * Staff: "/ikm" shows the current period's Indeks Kepuasan Masyarakat (all services together and per
 * service), its grade, the respondents against the minimum sample, the NRR per element and the
 * weakest elements; "/ikm 2026-07" (or "/ikm lalu") another period. Buttons: the tabulation in the
 * regulation's layout as CSV and XLSX files, the free suggestions with their dates, the period before.
 * The text and the files format the same score, so `/ikm` always matches the export.
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { Choice, Reply } from '../src/core/messages.js';
import { serviceName, type Questionnaire, type ServiceId } from '../src/domain/ikm/content.js';
import { periodLabel, previousPeriod, type SurveyPeriod } from '../src/domain/ikm/period.js';
import { GRADE_LABEL, round, type IkmScore } from '../src/domain/ikm/scoring.js';
import type { IkmService } from '../src/domain/ikm/service.js';
import { ikmFigure, tabulationCsv, tabulationRows, tabulationXlsx } from '../src/domain/ikm/tabulation.js';
import { maskText } from '../src/logging/mask.js';
import type { AppServices } from '../src/services.js';

const OFFICE = 'Kecamatan Gajahmungkur';
const SUGGESTIONS_SHOWN = 30;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Ctx = StepContext<AppServices>;

export function ikmStaffFlow(deps: { ikm: IkmService; questionnaire: Questionnaire }): Flow<AppServices> {
  const { ikm, questionnaire: q } = deps;
  const tz = () => ikm.settings.tz;
  const names = (): Record<string, string> => Object.fromEntries(q.services.map((s) => [s.id, s.name.id]));
  const label = (p: SurveyPeriod) => `${periodLabel(p, tz())} (${p.key})`;
  const scoreLine = (s: IkmScore) => (s.ikm === null || !s.grade ? 'belum lengkap' : `${ikmFigure(s.ikm)} · mutu ${s.grade} (${GRADE_LABEL[s.grade].id})`);

  const buttons = (p: SurveyPeriod): Choice[] => [
    { id: `ikm-staff:export:${p.key}`, title: 'Ekspor CSV + XLSX' },
    { id: `ikm-staff:saran:${p.key}`, title: 'Saran & masukan' },
    { id: `ikm-staff:show:${previousPeriod(p, ikm.settings.periodMonths, tz()).key}`, title: 'Periode sebelumnya' },
  ];

  const show = async (ctx: Ctx, p: SurveyPeriod): Promise<StepOutcome> => {
    const s = await ikm.summary(p);
    const lines = [`📊 IKM ${OFFICE} · ${label(p)}`, `IKM: ${scoreLine(s.all)}`];
    const min = s.minimumSample;
    lines.push(
      min === undefined
        ? `Responden: ${s.all.respondents} (sampel minimum: atur IKM_POPULATION)`
        : `Responden: ${s.all.respondents} dari sampel minimum ${min} (Krejcie-Morgan, populasi ${ikm.settings.population}): ${s.all.respondents >= min ? 'tercapai' : 'belum tercapai'}`,
    );
    if (s.byService.length > 0) {
      lines.push('', 'Per layanan:');
      for (const b of s.byService) lines.push(`• ${serviceName(q, b.service as ServiceId, 'id')}: ${scoreLine(b.score)} · ${b.score.respondents} responden`);
    }
    if (s.all.respondents > 0) {
      lines.push('', 'NRR per unsur:');
      lines.push(s.all.elements.map((e, i) => `${q.elements[i]!.code} ${e.nrr === null ? '-' : round(e.nrr, 2).toFixed(2)}`).join(' · '));
      lines.push('', `Unsur terlemah: ${s.weakest.map((i) => `${q.elements[i]!.code} ${q.elements[i]!.name.id} (${round(s.all.elements[i]!.nrr!, 2).toFixed(2)})`).join('; ')}`);
    } else lines.push('', 'Belum ada responden pada periode ini.');
    return { kind: 'done', say: [{ kind: 'text', text: lines.join('\n'), choices: buttons(p) }] };
  };

  const exportFiles = async (ctx: Ctx, p: SurveyPeriod): Promise<StepOutcome> => {
    const s = await ikm.summary(p);
    const responses = await ikm.responses(p);
    const { rows, score } = tabulationRows({ office: OFFICE, periodLabel: label(p), serviceLabel: 'Semua layanan', responses, questionnaire: q, serviceNames: names(), minimumSample: s.minimumSample });
    const suggestions = await ikm.suggestions(p);
    const xlsx = await tabulationXlsx(rows, suggestions, names());
    const caption = `Tabulasi SKM ${label(p)}: ${score.respondents} responden, IKM ${scoreLine(score)}.`;
    ctx.services.logger.info({ period: p.key, respondents: score.respondents }, 'ikm tabulation exported');
    const files: Reply[] = [
      { kind: 'document', fileName: `ikm_${p.key}.csv`, mimeType: 'text/csv', base64: Buffer.from(tabulationCsv(rows), 'utf8').toString('base64'), caption },
      { kind: 'document', fileName: `ikm_${p.key}.xlsx`, mimeType: XLSX_MIME, base64: xlsx.toString('base64'), caption },
    ];
    return { kind: 'done', say: files };
  };

  const suggestions = async (p: SurveyPeriod): Promise<StepOutcome> => {
    const all = await ikm.suggestions(p);
    if (all.length === 0) return { kind: 'done', say: [{ kind: 'text', text: `Belum ada saran atau masukan pada periode ${label(p)}.` }] };
    const shown = all.slice(-SUGGESTIONS_SHOWN);
    const lines = [`💬 Saran & masukan ${label(p)} (${all.length}${all.length > shown.length ? `, ${shown.length} terbaru; semuanya ada di file XLSX` : ''}):`];
    for (const x of shown) lines.push(`• ${x.day} · ${serviceName(q, x.service as ServiceId, 'id')}: ${maskText(x.text)}`);
    return { kind: 'done', say: [{ kind: 'text', text: lines.join('\n') }] };
  };

  return {
    name: 'ikm-staff',
    title: { id: 'IKM (petugas)', en: 'IKM (staff)' },
    start: 'show',
    staffOnly: true,
    commands: ['ikm'],
    // WhatsApp has no bot commands: staff there write "ikm", "hasil survei kepuasan", "ekspor tabulasi ikm".
    intents: ['staff.ikm'],
    steps: {
      show: {
        prompt: async (ctx) => {
          const out = await show(ctx, ikm.periodAt(ctx.now));
          return out.kind === 'done' ? out.say : [];
        },
        async handle(ctx, input) {
          const current = ikm.periodAt(ctx.now);
          if (input.kind === 'choice') {
            const m = /^ikm-staff:(show|export|saran):(\d{4}-\d{2})$/.exec(input.id);
            const p = m ? ikm.periodByKey(m[2]!) : null;
            if (!m || !p) return show(ctx, current);
            if (m[1] === 'export') return exportFiles(ctx, p);
            if (m[1] === 'saran') return suggestions(p);
            return show(ctx, p);
          }
          if (input.kind === 'text') {
            // A sentence ("hasil survei kepuasan bulan lalu", "ekspor tabulasi ikm 2026-07"): read its words.
            const t = input.text.toLowerCase();
            const key = /\b(\d{4}-\d{2})\b/.exec(t)?.[1];
            const p = (key ? ikm.periodByKey(key) : null) ?? (/\b(lalu|sebelumnya|previous|last)\b/.test(t) ? previousPeriod(current, ikm.settings.periodMonths, tz()) : current);
            if (/\b(ekspor|export|unduh|download|tabulasi|excel|xlsx|csv)\b/.test(t)) return exportFiles(ctx, p);
            if (/\b(saran|masukan|suggestions?)\b/.test(t)) return suggestions(p);
            return show(ctx, p);
          }
          const arg = input.kind === 'command' ? input.payload.trim().toLowerCase() : '';
          if (arg === '' || arg === 'ini' || arg === 'sekarang') return show(ctx, current);
          if (arg === 'lalu' || arg === 'sebelumnya') return show(ctx, previousPeriod(current, ikm.settings.periodMonths, tz()));
          if (arg === 'ekspor' || arg === 'export') return exportFiles(ctx, current);
          if (arg === 'saran') return suggestions(current);
          const p = ikm.periodByKey(arg);
          if (p) return show(ctx, p);
          return {
            kind: 'done',
            say: [{ kind: 'text', text: `Periode "${arg.slice(0, 20)}" tidak dikenali. Ketik /ikm untuk periode ini, /ikm lalu, atau /ikm ${current.key} (bulan pertama periode; satu periode = ${ikm.settings.periodMonths} bulan).` }],
          };
        },
      },
    },
  };
}
