/**
 * The dashboard (head of office and admin): headline figures and charts over the last weeks,
 * each chart's numbers as CSV. Counts only: no reporter, ticket or registrant appears.
 */
import type { FastifyInstance } from 'fastify';
import { toCsv } from '../../../domain/forums/csv.js';
import { audit, sendHtml, userOf, type ConsoleContext } from '../context.js';
import { buildDashboard, chartRows, WEEKS_DEFAULT } from '../dashboard-data.js';
import { messagePage } from '../layout.js';
import { dashboardPage, summaryRows } from '../views/dashboard.js';

const ALLOWED_WEEKS = new Set([4, 8, 13, 26]);

export function dashboardRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const weeksOf = (q: unknown): number => {
    const n = Number((q as { weeks?: string }).weeks);
    return ALLOWED_WEEKS.has(n) ? n : WEEKS_DEFAULT;
  };
  const build = (weeks: number) => buildDashboard({ modules: ctx.modules, now: ctx.clock(), tz: ctx.tz, weeks });

  app.get('/dashboard', { config: { role: 'head' } }, async (req, reply) => {
    const weeks = weeksOf(req.query);
    return sendHtml(reply, dashboardPage({ user: userOf(req), d: await build(weeks), weeks }));
  });

  app.get<{ Params: { name: string } }>('/dashboard/:name', { config: { role: 'head' } }, async (req, reply) => {
    const m = /^([a-z-]{1,40})\.csv$/.exec(req.params.name);
    const weeks = weeksOf(req.query);
    const d = await build(weeks);
    let csv: Buffer | undefined;
    if (m?.[1] === 'summary') csv = toCsv(['ukuran', 'nilai'], summaryRows(d));
    else {
      const chart = d.charts.find((c) => c.id === m?.[1]);
      if (chart) {
        const { header, rows } = chartRows(chart);
        csv = toCsv(header, rows);
      }
    }
    if (!csv) return sendHtml(reply, messagePage(userOf(req), 'Tidak ditemukan', 'Grafik itu tidak ada.'), 404);
    await audit(ctx, req, { action: 'dashboard.export', target: `chart:${m![1]}`, after: { weeks } });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="dasbor-${m![1]}-${d.weeks[0]}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });
}
