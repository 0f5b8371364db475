/** The complaints queue page: filters with counts, search, the list (overdue first), pages. */
import { CATEGORIES, categoryLabel, IDENTITY_LABELS, KELURAHAN, KELURAHAN_UNKNOWN, kelurahanName, STATUSES, statusLabel } from '../../../domain/complaints/catalog.js';
import { isEscalated, type QueuePage } from '../../../domain/complaints/queue.js';
import { formatWhen, preview } from '../../../domain/complaints/text.js';
import { maskText } from '../../../logging/mask.js';
import type { ConsoleUser } from '../context.js';
import { attrIf, html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { hasRole, seesConfidential } from '../roles.js';

/** The queue's query string, as read (strings kept for re-rendering the form). */
export interface QueueQuery {
  status: string;
  category: string;
  kelurahan: string;
  identity: string;
  overdue: boolean;
  /** Escalated to the head of office (head and admin only; ignored for other roles). */
  escalated: boolean;
  mine: boolean;
  from: string;
  to: string;
  q: string;
  page: number;
}

/** The query string for a queue URL with some fields changed. */
export function queueHref(q: QueueQuery, change: Partial<QueueQuery> = {}): string {
  const m = { ...q, page: 1, ...change };
  const p = new URLSearchParams();
  if (m.status !== 'open') p.set('status', m.status);
  for (const k of ['category', 'kelurahan', 'identity', 'from', 'to', 'q'] as const) if (m[k]) p.set(k, m[k]);
  if (m.overdue) p.set('overdue', '1');
  if (m.escalated) p.set('escalated', '1');
  if (m.mine) p.set('mine', '1');
  if (m.page > 1) p.set('page', String(m.page));
  const s = p.toString();
  return `/console/complaints${s ? `?${s}` : ''}`;
}

/** The CSV export for the query's date range. */
function csvHref(q: QueueQuery): string {
  const p = new URLSearchParams();
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  const s = p.toString();
  return `/console/complaints.csv${s ? `?${s}` : ''}`;
}

const n = (counts: Record<string, number>, k: string): number => counts[k] ?? 0;

function select(name: string, label: string, current: string, options: Array<{ value: string; label: string; count?: number }>): SafeHtml {
  return html`<div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options.map(
    (o) => html`<option value="${o.value}"${attrIf(o.value === current, 'selected')}>${o.label}${o.count !== undefined ? ` (${o.count})` : ''}</option>`,
  )}</select></div>`;
}

export function queuePage(user: ConsoleUser, q: QueueQuery, result: QueuePage, tz: string, flash?: string): string {
  const c = result.counts;
  const kelurahan = [...KELURAHAN, { id: KELURAHAN_UNKNOWN, name: 'Belum diketahui' }];
  const filters = html`<details class="filter-box" open><summary>Saringan dan pencarian</summary><form class="card filters" method="get" action="/console/complaints" hx-get="/console/complaints" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="change, submit">
  <div class="wide"><label for="f-q">Cari (nomor tiket atau kata)</label><input type="search" id="f-q" name="q" value="${q.q}" placeholder="GJM-2026-00042 atau lampu mati"></div>
  ${select('status', 'Status', q.status, [
    { value: 'open', label: 'Masih ditangani', count: n(c.status, 'open') },
    { value: 'all', label: 'Semua status' },
    ...STATUSES.map((s) => ({ value: s, label: statusLabel(s, 'id'), count: n(c.status, s) })),
  ])}
  ${select('category', 'Kategori', q.category, [{ value: '', label: 'Semua kategori' }, ...CATEGORIES.map((k) => ({ value: k.id, label: k.label.id, count: n(c.category, k.id) }))])}
  ${select('kelurahan', 'Kelurahan', q.kelurahan, [{ value: '', label: 'Semua kelurahan' }, ...kelurahan.map((k) => ({ value: k.id, label: k.name, count: n(c.kelurahan, k.id) }))])}
  ${select('identity', 'Identitas pelapor', q.identity, [
    { value: '', label: 'Semua' },
    { value: 'named', label: IDENTITY_LABELS.named.id, count: n(c.identity, 'named') },
    { value: 'anonim', label: IDENTITY_LABELS.anonim.id, count: n(c.identity, 'anonim') },
    ...(seesConfidential(user.account.role) ? [{ value: 'rahasia', label: IDENTITY_LABELS.rahasia.id, count: n(c.identity, 'rahasia') }] : []),
  ])}
  <div><label for="f-from">Masuk dari</label><input type="date" id="f-from" name="from" value="${q.from}"></div>
  <div><label for="f-to">sampai</label><input type="date" id="f-to" name="to" value="${q.to}"></div>
  <div><label><input type="checkbox" name="overdue" value="1"${attrIf(q.overdue, 'checked')}> Terlambat saja (${c.overdue})</label>
  <label><input type="checkbox" name="mine" value="1"${attrIf(q.mine, 'checked')}> Ditugaskan ke saya (${c.mine})</label>
  ${hasRole(user.account.role, 'head') ? html`<label><input type="checkbox" name="escalated" value="1"${attrIf(q.escalated, 'checked')}> Eskalasi ke kepala kantor (${c.escalated})</label>` : ''}</div>
  <div class="wide actions"><button type="submit">Terapkan</button><a class="button secondary" href="/console/complaints">Atur ulang</a></div>
</form></details>`;
  const rows = result.items.map((t, i) => {
    const late = result.overdue[i] ?? false;
    return html`<tr>
  <td><a href="/console/complaints/${t.ticketNo}">${t.ticketNo}</a>${late ? html` <span class="badge late">Terlambat</span>` : ''}${isEscalated(t) ? html` <span class="badge late">Eskalasi</span>` : ''}</td>
  <td><span class="badge">${statusLabel(t.status, 'id')}</span></td>
  <td>${categoryLabel(t.category, 'id')}<br><span class="muted">${kelurahanName(t.kelurahan)}</span></td>
  <td>${preview(maskText(t.description), 140)}</td>
  <td>${t.identity === 'named' ? '' : html`<span class="badge ${t.identity === 'rahasia' ? 'secret' : 'anon'}">${IDENTITY_LABELS[t.identity].id}</span>`}</td>
  <td>${t.assignee ? t.assignee.name : html`<span class="muted">-</span>`}</td>
  <td>${formatWhen(new Date(t.createdAt), 'id', tz)}</td>
</tr>`;
  });
  const results = html`<section id="results">
  <p class="muted">${c.total} tiket${result.pages > 1 ? ` · halaman ${result.page} dari ${result.pages}` : ''} · <a href="${csvHref(q)}">Unduh CSV</a> (rentang tanggal di atas; tanpa tanggal: 30 hari terakhir)</p>
  ${
    result.items.length
      ? html`<table class="queue"><thead><tr><th>Tiket</th><th>Status</th><th>Kategori / kelurahan</th><th>Uraian</th><th>Identitas</th><th>Petugas</th><th>Masuk</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p class="card">Tidak ada tiket yang cocok dengan saringan ini.</p>`
  }
  <nav class="pager" aria-label="Halaman">
    ${result.page > 1 ? html`<a href="${queueHref(q, { page: result.page - 1 })}">‹ Sebelumnya</a>` : ''}
    ${result.page < result.pages ? html`<a href="${queueHref(q, { page: result.page + 1 })}">Berikutnya ›</a>` : ''}
  </nav>
</section>`;
  return page({ title: 'Pengaduan', user, section: 'complaints', flash, body: html`<h1>Pengaduan</h1>${filters}${results}` });
}
