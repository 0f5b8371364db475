/** The audit log, newest first (head of office and admin). */
import type { FastifyInstance } from 'fastify';
import { formatWhen } from '../../../domain/complaints/text.js';
import { sendHtml, userOf, type ConsoleContext } from '../context.js';
import { html } from '../html.js';
import { page } from '../layout.js';

const PAGE_SIZE = 100;

/** A before/after value as short text. */
const show = (v: unknown): string => (v === undefined ? '' : JSON.stringify(v).slice(0, 400));

export function auditRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get<{ Querystring: { target?: string; page?: string } }>('/audit', { config: { role: 'head' } }, async (req, reply) => {
    const n = Math.max(1, Number.parseInt(req.query.page ?? '1', 10) || 1);
    const target = req.query.target?.slice(0, 100) || undefined;
    const rows = await ctx.audit.latest({ ...(target ? { target } : {}), limit: PAGE_SIZE, skip: (n - 1) * PAGE_SIZE });
    const body = html`<h1>Log audit</h1>
<form method="get" action="/console/audit" class="card"><label for="target">Sasaran (mis. complaint:GJM-2026-00042 atau account:sri)</label>
<input type="search" id="target" name="target" value="${target ?? ''}"><div class="actions"><button type="submit">Saring</button></div></form>
<table class="audit"><thead><tr><th>Waktu</th><th>Siapa</th><th>Tindakan</th><th>Sasaran</th><th>Sebelum</th><th>Sesudah</th></tr></thead>
<tbody>${rows.map(
      (r) => html`<tr><td>${formatWhen(new Date(r.at), 'id', ctx.tz)}</td><td>${r.actor ? `${r.actor.name} (${r.actor.account})` : r.via === 'cli' ? 'baris perintah' : '-'}</td>
<td>${r.action}</td><td>${r.target ?? ''}</td><td><code>${show(r.before)}</code></td><td><code>${show(r.after)}</code></td></tr>`,
    )}</tbody></table>
<div class="pager">${n > 1 ? html`<a href="/console/audit?page=${n - 1}${target ? `&target=${encodeURIComponent(target)}` : ''}">‹ Sebelumnya</a>` : ''}
${rows.length === PAGE_SIZE ? html`<a href="/console/audit?page=${n + 1}${target ? `&target=${encodeURIComponent(target)}` : ''}">Berikutnya ›</a>` : ''}</div>`;
    return sendHtml(reply, page({ title: 'Log audit', user: userOf(req), section: 'audit', body }));
  });
}
