/**
 * What staff do to a ticket on the console: change its status, forward it to an agency, record
 * the agency's answer, reply to the reporter, add an internal note, assign it to a colleague.
 * Each one calls the same domain method the chat buttons call (ComplaintService, TicketActions),
 * so the reporter is told on their own channel exactly as from the chat, under the ticket's lease.
 * Each form carries a one-time key: the domain's idempotency key, so a form sent twice (double
 * click, reload) acts once. Every action is audited with the ticket's state before and after.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STAFF_BUTTON_STATUSES, isStatus } from '../../../domain/complaints/catalog.js';
import type { ComplaintDoc } from '../../../domain/complaints/types.js';
import { charLength, cleanText } from '../../../domain/complaints/text.js';
import { MESSAGE_MAX, NOTE_MAX, REJECT_REASON_MIN } from '../../../../flows/complaint-staff.js';
import { audit, seeOther, userOf, viewerOf, type ConsoleContext } from '../context.js';
import { seesConfidential } from '../roles.js';
import { formOf } from '../security.js';
import { ticketFor } from './ticket-access.js';

type Params = { Params: { ticket: string } };

const KEY_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the audit log keeps of a ticket around an action. */
function snapshot(c: ComplaintDoc): Record<string, unknown> {
  return { status: c.status, assignee: c.assignee?.account ?? null, forward: c.forward ? c.forward.agencyId : null, thread: (c.thread ?? []).length };
}

export function complaintActionRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const back = (reply: FastifyReply, ticketNo: string, query: Record<string, string>) =>
    seeOther(reply, `/console/complaints/${ticketNo}?${new URLSearchParams(query).toString()}`);

  /** Shared start of every action: the ticket (403/404 already answered), the form, the key. */
  const begin = async (req: FastifyRequest<Params>, reply: FastifyReply) => {
    const found = await ticketFor(ctx, req, reply, req.params.ticket);
    if (!found) return null;
    const form = formOf(req);
    const key = form['key'] ?? '';
    if (!KEY_RE.test(key)) {
      back(reply, found.c.ticketNo, { msg: 'invalid' });
      return null;
    }
    return { ...found, form, key: `console:${key}`, viewer: viewerOf(userOf(req)), now: ctx.clock() };
  };

  const record = (req: FastifyRequest, action: string, before: ComplaintDoc, after: ComplaintDoc | null, extra: Record<string, unknown> = {}) =>
    audit(ctx, req, { action, target: `complaint:${before.ticketNo}`, before: snapshot(before), after: { ...(after ? snapshot(after) : snapshot(before)), ...extra } });

  app.post<Params>('/complaints/:ticket/status', { config: { role: 'staff' } }, async (req, reply) => {
    const a = await begin(req, reply);
    if (!a) return reply;
    const to = a.form['to'] ?? '';
    const note = cleanText(a.form['note'] ?? '');
    if (!isStatus(to) || !STAFF_BUTTON_STATUSES.includes(to)) return back(reply, a.c.ticketNo, { msg: 'invalid' });
    if (charLength(note) > NOTE_MAX) return back(reply, a.c.ticketNo, { msg: 'too-long' });
    if (to === 'ditolak' && charLength(note) < REJECT_REASON_MIN) return back(reply, a.c.ticketNo, { msg: 'reject-reason' });
    const r = await a.mod.service.changeStatus(a.c.ticketNo, to, a.viewer, note || undefined, a.key, a.now);
    if (r.kind === 'not-found') return back(reply, a.c.ticketNo, { msg: 'invalid' });
    if (r.kind === 'not-allowed') return back(reply, a.c.ticketNo, { msg: 'not-allowed' });
    await record(req, 'complaint.status', a.c, r.complaint, { note: note || null, reporter: r.reporter });
    return back(reply, a.c.ticketNo, { msg: 'status-changed', reach: r.reporter });
  });

  app.post<Params>('/complaints/:ticket/forward', { config: { role: 'staff' } }, async (req, reply) => {
    const a = await begin(req, reply);
    if (!a) return reply;
    const note = cleanText(a.form['note'] ?? '');
    const ref = cleanText(a.form['ref'] ?? '').slice(0, 60);
    if (charLength(note) > NOTE_MAX) return back(reply, a.c.ticketNo, { msg: 'too-long' });
    const r = await a.mod.actions.forward(a.c.ticketNo, a.viewer, { agencyId: a.form['agency'] ?? '', ...(note ? { note } : {}), ...(ref ? { agencyRef: ref } : {}) }, a.key, a.now);
    if (r.kind === 'unknown-agency') return back(reply, a.c.ticketNo, { msg: 'unknown-agency' });
    if (r.kind === 'not-allowed') return back(reply, a.c.ticketNo, { msg: 'not-allowed' });
    if (r.kind === 'not-found') return back(reply, a.c.ticketNo, { msg: 'invalid' });
    await record(req, 'complaint.forward', a.c, r.complaint, { agencyRef: ref || null, note: note || null, reporter: r.reporter });
    return back(reply, a.c.ticketNo, { msg: 'forwarded', reach: r.reporter });
  });

  app.post<Params>('/complaints/:ticket/agency-answer', { config: { role: 'staff' } }, async (req, reply) => {
    const a = await begin(req, reply);
    if (!a) return reply;
    const answer = cleanText(a.form['answer'] ?? '');
    const then = a.form['then'] === 'diproses' ? 'diproses' : 'selesai';
    if (!answer) return back(reply, a.c.ticketNo, { msg: 'invalid' });
    if (charLength(answer) > NOTE_MAX) return back(reply, a.c.ticketNo, { msg: 'too-long' });
    const r = await a.mod.actions.agencyAnswer(a.c.ticketNo, a.viewer, answer, then, a.key, a.now);
    if (r.kind === 'not-forwarded') return back(reply, a.c.ticketNo, { msg: 'not-allowed' });
    if (r.kind === 'not-found') return back(reply, a.c.ticketNo, { msg: 'invalid' });
    await record(req, 'complaint.agency-answer', a.c, r.complaint, { answer, then, reporter: r.reporter });
    return back(reply, a.c.ticketNo, { msg: 'agency-answer', reach: r.reporter });
  });

  app.post<Params>('/complaints/:ticket/reply', { config: { role: 'staff' } }, async (req, reply) => {
    const a = await begin(req, reply);
    if (!a) return reply;
    const message = cleanText(a.form['message'] ?? '');
    if (!message) return back(reply, a.c.ticketNo, { msg: 'invalid' });
    if (charLength(message) > MESSAGE_MAX) return back(reply, a.c.ticketNo, { msg: 'too-long' });
    const r = await a.mod.service.messageReporter(a.c.ticketNo, a.viewer, message, a.key, a.now);
    if (r.kind === 'not-found') return back(reply, a.c.ticketNo, { msg: 'invalid' });
    const after = await a.mod.queue.ticket(a.c.ticketNo, a.viewer);
    await record(req, 'complaint.reply', a.c, after.kind === 'ok' ? after.complaint : null, { message, reporter: r.outcome });
    return back(reply, a.c.ticketNo, { msg: 'reply-sent', reach: r.outcome });
  });

  app.post<Params>('/complaints/:ticket/note', { config: { role: 'staff' } }, async (req, reply) => {
    const a = await begin(req, reply);
    if (!a) return reply;
    const note = cleanText(a.form['note'] ?? '');
    if (!note) return back(reply, a.c.ticketNo, { msg: 'invalid' });
    if (charLength(note) > NOTE_MAX) return back(reply, a.c.ticketNo, { msg: 'too-long' });
    const r = await a.mod.actions.staffNote(a.c.ticketNo, a.viewer, note, a.key, a.now);
    if (r.kind !== 'added') return back(reply, a.c.ticketNo, { msg: 'invalid' });
    await record(req, 'complaint.note', a.c, r.complaint, { note });
    return back(reply, a.c.ticketNo, { msg: 'note-added' });
  });

  app.post<Params>('/complaints/:ticket/assign', { config: { role: 'staff' } }, async (req, reply) => {
    const a = await begin(req, reply);
    if (!a) return reply;
    const username = (a.form['assignee'] ?? '').trim();
    let to: { account: string; name: string } | null = null;
    if (username) {
      const acc = await ctx.accounts.get(username);
      if (!acc || acc.disabled || (a.c.identity === 'rahasia' && !seesConfidential(acc.role))) return back(reply, a.c.ticketNo, { msg: 'not-assignable' });
      to = { account: acc._id, name: acc.name };
    }
    const r = await a.mod.actions.assign(a.c.ticketNo, a.viewer, to, a.key, a.now);
    if (r.kind === 'not-found') return back(reply, a.c.ticketNo, { msg: 'invalid' });
    await record(req, 'complaint.assign', a.c, r.complaint);
    return back(reply, a.c.ticketNo, { msg: 'assigned' });
  });
}
