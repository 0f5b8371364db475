/**
 * The dashboard page: headline figures and one card per chart. Each chart is a `<canvas>` with
 * its data in a `data-chart` attribute (JSON, escaped like any attribute) drawn by
 * `assets/dashboard.js` with Chart.js, a table of the same numbers for screen readers and
 * no-script browsers, and a CSV link.
 */
import type { ChartData, Dashboard } from '../dashboard-data.js';
import type { ConsoleUser } from '../context.js';
import { attrIf, html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';

const hours = (h: number | undefined): string => (h === undefined ? '–' : h < 48 ? `${h.toFixed(1)} jam` : `${(h / 24).toFixed(1)} hari`);

/** Headline figures as label/value pairs (also the summary CSV). */
export function summaryRows(d: Dashboard): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const c = d.complaints;
  if (c) {
    const filed = d.weeks.reduce((s, w) => s + Object.values(c.byCategory[w] ?? {}).reduce((a, b) => a + b, 0), 0);
    const rated = Object.values(c.ratings).reduce((a, b) => a + b, 0);
    const avg = rated ? Object.entries(c.ratings).reduce((s, [k, v]) => s + Number(k) * v, 0) / rated : undefined;
    rows.push(['Pengaduan masuk', String(filed)]);
    rows.push(['Ditutup petugas (selesai atau ditolak)', String(c.closed)]);
    rows.push(['Ditutup dalam target', c.closed ? `${Math.round((100 * c.closedWithinTarget) / c.closed)}% (${c.closedWithinTarget} dari ${c.closed})` : '–']);
    rows.push(['Median waktu tanggapan pertama', hours(c.medianFirstResponseHours)]);
    rows.push(['Median waktu sampai ditutup', hours(c.medianCloseHours)]);
    rows.push(['Rata-rata penilaian', avg === undefined ? '–' : `${avg.toFixed(1)} dari 5 (${rated} penilaian)`]);
  }
  if (d.forums) {
    const reg = d.forums.reduce((s, f) => s + f.registered, 0);
    const att = d.forums.reduce((s, f) => s + f.attended, 0);
    rows.push(['Forum terlaksana', String(d.forums.reduce((s, f) => s + f.forums, 0))]);
    rows.push(['Kehadiran forum', reg ? `${Math.round((100 * att) / reg)}% (${att} dari ${reg} terdaftar)` : '–']);
  }
  if (d.faq) {
    const asked = d.weeks.reduce((s, w) => s + Object.values(d.faq!.asked[w] ?? {}).reduce((a, b) => a + b, 0), 0);
    rows.push(['Pertanyaan diajukan', String(asked)]);
    rows.push(['Pertanyaan tidak terjawab (kelompok terbuka)', `${d.faq.unansweredOpenGroups} (${d.faq.unansweredOpenAsks}× ditanyakan)`]);
    rows.push(['Diteruskan ke petugas: terbuka / dijawab', `${d.faq.forwardedOpen} / ${d.faq.forwardedAnswered}`]);
  }
  return rows;
}

function chartCard(c: ChartData, weeks: number): SafeHtml {
  const data = JSON.stringify({ labels: c.labels, series: c.series, stacked: c.stacked, horizontal: c.horizontal });
  return html`<section class="card chart" id="card-${c.id}"><h2>${c.title}</h2>
<div class="chart-box"><canvas id="chart-${c.id}" data-chart="${data}" role="img" aria-label="${c.title}"></canvas></div>
<details><summary>Angka</summary><table><thead><tr><th>${c.axis}</th>${c.series.map((s) => html`<th>${s.label}</th>`)}</tr></thead><tbody>
${c.labels.map((l, i) => html`<tr><td>${l}</td>${c.series.map((s) => html`<td>${s.data[i] ?? 0}</td>`)}</tr>`)}
</tbody></table></details>
<p><a href="/console/dashboard/${c.id}.csv?weeks=${weeks}" id="csv-${c.id}">Unduh CSV</a></p></section>`;
}

export function dashboardPage(o: { user: ConsoleUser; d: Dashboard; weeks: number }): string {
  const body = html`<h1>Dasbor</h1>
<form method="get" action="/console/dashboard" class="filters"><label>Periode <select name="weeks" id="f-weeks">
${[4, 8, 13, 26].map((n) => html`<option value="${n}"${attrIf(n === o.weeks, 'selected')}>${n} minggu terakhir</option>`)}</select></label><button type="submit">Tampilkan</button></form>
<section class="card"><h2>Ringkasan ${o.d.weeks[0] ?? ''} s.d. minggu ini</h2>
<dl class="facts" id="summary">${summaryRows(o.d).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
<p><a href="/console/dashboard/summary.csv?weeks=${o.weeks}" id="csv-summary">Unduh CSV</a></p></section>
<div class="charts">${o.d.charts.map((c) => chartCard(c, o.weeks))}</div>
<script src="/console/assets/chart.umd.min.js" defer></script>
<script src="/console/assets/dashboard.js" defer></script>`;
  return page({ title: 'Dasbor', user: o.user, section: 'dashboard', body });
}
