/** Finding a ticket for a console request, with the 404 / 403 answers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComplaintDoc } from '../../../domain/complaints/types.js';
import type { ComplaintsModule } from '../../../features/complaints.js';
import { isTicketNo } from '../../../domain/complaints/text.js';
import { audit, sendHtml, userOf, viewerOf, type ConsoleContext } from '../context.js';
import { messagePage } from '../layout.js';

/**
 * The ticket for a console user, or the reply already sent: 404 (no such ticket, or the feature
 * is off), 403 (confidential and the role has no clearance; audited).
 */
export async function ticketFor(ctx: ConsoleContext, req: FastifyRequest, reply: FastifyReply, ticketNo: string): Promise<{ c: ComplaintDoc; mod: ComplaintsModule } | null> {
  const user = userOf(req);
  const mod = ctx.complaints;
  const notFound = () => (sendHtml(reply, messagePage(user, 'Tidak ditemukan', `Pengaduan ${ticketNo.slice(0, 20)} tidak ditemukan.`), 404), null);
  if (!mod || !isTicketNo(ticketNo)) return notFound();
  const r = await mod.queue.ticket(ticketNo, viewerOf(user));
  if (r.kind === 'ok') return { c: r.complaint, mod };
  if (r.kind === 'forbidden') {
    await audit(ctx, req, { action: 'forbidden', target: `complaint:${ticketNo}` });
    sendHtml(reply, messagePage(user, 'Tiket rahasia', 'Tiket ini rahasia: hanya petugas senior dan kepala kantor yang boleh membukanya.'), 403);
    return null;
  }
  return notFound();
}
