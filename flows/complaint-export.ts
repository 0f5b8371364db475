/**
 * Staff export of complaints for a period as a CSV file (UTF-8 with BOM, opens in Excel):
 * "/ekspor bulan ini", "/ekspor 2026-11", "/ekspor 2026-11-01 2026-11-30", or "ekspor pengaduan".
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { Choice, Reply } from '../src/core/messages.js';
import { complaintsCsv } from '../src/domain/complaints/csv-export.js';
import { parsePeriod } from '../src/domain/complaints/period.js';
import type { ComplaintService } from '../src/domain/complaints/service.js';
import { formatDay } from '../src/domain/complaints/text.js';
import type { AppServices } from '../src/services.js';

const PERIOD_CHOICES: Choice[] = [
  { id: 'complaint-export:this-month', title: 'Bulan ini' },
  { id: 'complaint-export:last-month', title: 'Bulan lalu' },
  { id: 'complaint-export:7d', title: '7 hari terakhir' },
];

const ASK = 'Ekspor pengaduan ke CSV. Pilih periodenya, atau ketik tanggal seperti "2026-11" atau "2026-11-01 2026-11-30":';

export function complaintExportFlow(deps: { service: ComplaintService }): Flow<AppServices> {
  const { service } = deps;

  const exportFor = async (ctx: StepContext<AppServices>, raw: string): Promise<StepOutcome | null> => {
    const period = parsePeriod(raw, ctx.now, ctx.tz);
    if (!period) return null;
    const rows = await service.forExport(ctx.contact, period.from, period.to);
    const csv = complaintsCsv(rows, ctx.now, ctx.tz);
    const span = `${formatDay(period.from, 'id', ctx.tz)} – ${formatDay(new Date(period.to.getTime() - 1), 'id', ctx.tz)}`;
    const file: Reply = {
      kind: 'document',
      fileName: `pengaduan_${period.label}.csv`,
      mimeType: 'text/csv',
      base64: Buffer.from(csv, 'utf8').toString('base64'),
      caption: `Pengaduan ${span}: ${rows.length} tiket.`,
    };
    ctx.services.logger.info({ rows: rows.length, period: period.label }, 'complaints exported');
    return { kind: 'done', say: [file] };
  };

  return {
    name: 'complaint-export',
    title: { id: 'Ekspor pengaduan', en: 'Export complaints' },
    start: 'period',
    staffOnly: true,
    menu: { order: 81, staffOnly: true, title: { id: 'Ekspor pengaduan', en: 'Export complaints' }, description: { id: 'Unduh pengaduan per periode (CSV)', en: 'Download complaints for a period (CSV)' } },
    commands: ['ekspor', 'export'],
    intents: ['staff.export'],
    steps: {
      period: {
        prompt: () => [{ kind: 'text', text: ASK, choices: PERIOD_CHOICES }],
        async handle(ctx, input) {
          let raw = '';
          if (input.kind === 'choice' && input.id.startsWith('complaint-export:')) {
            raw = { 'this-month': 'bulan ini', 'last-month': 'bulan lalu', '7d': '7 hari' }[input.id.slice('complaint-export:'.length)] ?? '';
          } else if (input.kind === 'command') raw = input.payload;
          else if (input.kind === 'text') raw = input.text.replace(/^\s*(ekspor|export)( pengaduan| complaints)?\s*/i, '');
          const done = raw ? await exportFor(ctx, raw) : null;
          if (done) return done;
          const hint = raw ? `Periode "${raw.slice(0, 40)}" tidak dikenali. ` : '';
          return { kind: 'stay', say: [{ kind: 'text', text: `${hint}${ASK}`, choices: PERIOD_CHOICES }] };
        },
      },
    },
  };
}
