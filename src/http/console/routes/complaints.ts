/**
 * Complaint pages: the queue (staff and above), a ticket, and its photos (from the photo store). A
 * confidential (`rahasia`) ticket is refused with 403 to a role without clearance, on the page
 * and on its photo and action URLs alike (ComplaintAccess decides; see viewerOf). The actions
 * themselves are in complaint-actions.ts.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { isStatus } from '../../../domain/complaints/catalog.js';
import { complaintsCsv } from '../../../domain/complaints/csv-export.js';
import { isPhotoId } from '../../../domain/complaints/media-store.js';
import { ComplaintQueue, type QueueFilter } from '../../../domain/complaints/queue.js';
import { audit, sendHtml, userOf, viewerOf, type ConsoleContext, type ConsoleUser } from '../context.js';
import { messagePage } from '../layout.js';
import { hasRole, seesConfidential } from '../roles.js';
import { queuePage, type QueueQuery } from '../views/complaint-queue.js';
import { ticketPage } from '../views/complaint-ticket.js';
import { complaintActionRoutes } from './complaint-actions.js';
import { ticketFor } from './ticket-access.js';

const PAGE_SIZE = 25;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

type Q = Record<string, string | undefined>;

/** Reads the queue's query string; anything unknown is ignored, never an error. */
export function readQueueQuery(q: Q): QueueQuery {
  const str = (k: string, max = 100) => (q[k] ?? '').trim().slice(0, max);
  return {
    status: q['status'] === 'all' || (q['status'] && isStatus(q['status'])) ? q['status'] : 'open',
    category: str('category', 40),
    kelurahan: str('kelurahan', 40),
    identity: ['named', 'anonim', 'rahasia'].includes(q['identity'] ?? '') ? q['identity']! : '',
    overdue: q['overdue'] === '1',
    escalated: q['escalated'] === '1',
    mine: q['mine'] === '1',
    from: DAY_RE.test(q['from'] ?? '') ? q['from']! : '',
    to: DAY_RE.test(q['to'] ?? '') ? q['to']! : '',
    q: str('q', 100),
    page: Math.max(1, Math.min(10_000, Number.parseInt(q['page'] ?? '1', 10) || 1)),
  };
}

/** The domain filter for a query; dates are whole WIB days (`to` inclusive). */
export function toFilter(q: QueueQuery, user: ConsoleUser, tz: string): QueueFilter {
  const day = (s: string) => DateTime.fromISO(s, { zone: tz });
  const status = q.status === 'all' ? undefined : q.status === 'open' ? ('open' as const) : isStatus(q.status) ? q.status : undefined;
  return {
    ...(status ? { status } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.kelurahan ? { kelurahan: q.kelurahan } : {}),
    ...(q.identity === 'named' || q.identity === 'anonim' || q.identity === 'rahasia' ? { identity: q.identity } : {}),
    ...(q.overdue ? { overdue: true } : {}),
    // Escalations are the head of office's view (the chat sends them to the head only).
    ...(q.escalated && hasRole(user.account.role, 'head') ? { escalated: true } : {}),
    ...(q.mine ? { assignedTo: user.account._id } : {}),
    ...(q.from && day(q.from).isValid ? { from: day(q.from).toJSDate() } : {}),
    ...(q.to && day(q.to).isValid ? { to: day(q.to).plus({ days: 1 }).toJSDate() } : {}),
    ...(q.q ? { q: q.q } : {}),
  };
}

export function complaintRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get<{ Querystring: Q }>('/complaints', { config: { role: 'staff' } }, async (req, reply) => {
    const user = userOf(req);
    const mod = ctx.complaints;
    if (!mod) return sendHtml(reply, messagePage(user, 'Pengaduan', 'Fitur pengaduan tidak aktif di layanan ini.'), 404);
    const q = readQueueQuery(req.query);
    const result = await mod.queue.page(viewerOf(user), toFilter(q, user, ctx.tz), { page: q.page, pageSize: PAGE_SIZE, now: ctx.clock(), me: user.account._id });
    return sendHtml(reply, queuePage(user, q, result, ctx.tz, req.query['msg']));
  });

  // The same CSV as the chat's /ekspor (domain csv-export: numbers masked, anonymous reporters
  // hidden, confidential tickets only for senior and head), for the queue's date range (default: 30 days).
  app.get<{ Querystring: Q }>('/complaints.csv', { config: { role: 'staff' } }, async (req, reply) => {
    const user = userOf(req);
    const mod = ctx.complaints;
    if (!mod) return sendHtml(reply, messagePage(user, 'Pengaduan', 'Fitur pengaduan tidak aktif di layanan ini.'), 404);
    const now = ctx.clock();
    const f = toFilter(readQueueQuery(req.query), user, ctx.tz);
    const from = f.from ?? new Date(now.getTime() - 30 * 86_400_000);
    const to = f.to ?? now;
    const rows = await mod.service.forExport(viewerOf(user), from, to);
    await audit(ctx, req, { action: 'complaint.export', target: 'complaints', after: { from: from.toISOString(), to: to.toISOString(), rows: rows.length } });
    const name = `pengaduan-${DateTime.fromJSDate(from).setZone(ctx.tz).toISODate()}-${DateTime.fromJSDate(to).setZone(ctx.tz).toISODate()}.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(complaintsCsv(rows, now, ctx.tz));
  });

  app.get<{ Params: { ticket: string }; Querystring: Q }>('/complaints/:ticket', { config: { role: 'staff' } }, async (req, reply) => {
    const user = userOf(req);
    const found = await ticketFor(ctx, req, reply, req.params.ticket);
    if (!found) return reply;
    const { c, mod } = found;
    if (c.identity === 'rahasia') await audit(ctx, req, { action: 'complaint.view-confidential', target: `complaint:${c.ticketNo}` });
    const accounts = await ctx.accounts.list();
    const assignable = accounts.filter((a) => !a.disabled && (c.identity !== 'rahasia' || seesConfidential(a.role)));
    return sendHtml(
      reply,
      ticketPage(user, { c, agencies: mod.actions.agencies, assignable, key: () => randomUUID(), tz: ctx.tz, flash: req.query['msg'], reach: req.query['reach'] }),
    );
  });

  app.get<{ Params: { ticket: string; fileId: string } }>('/complaints/:ticket/photos/:fileId', { config: { role: 'staff' } }, async (req, reply) => {
    const found = await ticketFor(ctx, req, reply, req.params.ticket);
    if (!found) return reply;
    const { c, mod } = found;
    const id = req.params.fileId;
    if (!isPhotoId(id) || !ComplaintQueue.hasPhoto(c, id)) return sendHtml(reply, messagePage(userOf(req), 'Tidak ditemukan', 'Foto itu tidak ada pada tiket ini.'), 404);
    const stored = [...c.photos, ...(c.thread ?? []).flatMap((t) => (t.photo ? [t.photo] : []))].find((p) => String(p.fileId) === id);
    const bytes = await mod.media.read(id);
    const type = stored && PHOTO_TYPES.has(stored.mimeType) ? stored.mimeType : 'application/octet-stream';
    return reply.type(type).header('cache-control', 'private, no-store').header('content-disposition', 'inline').send(bytes);
  });

  complaintActionRoutes(app, ctx);
}
