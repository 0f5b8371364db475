/**
 * Forum pages. Every change goes through the forums domain (ForumService), the same calls the
 * chat's "Kelola forum" flow makes, so registrants hear of a move or a cancellation on their own
 * channel exactly as they do when staff act in chat (ResidentNotices, keyed per forum sequence).
 *
 * Roles: staff view forums and check people in; head creates, edits, moves and cancels (the chat
 * lets any staff member do that; the console follows the stricter split); the CSV, which
 * holds phone numbers, is for senior and above.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ForumDoc } from '../../../domain/forums/forum-model.js';
import { isForumsModule, type ForumsModule } from '../../../features/forums.js';
import { forumList } from '../../../domain/forums/overview.js';
import { audit, sendHtml, seeOther, userOf, viewerOf, type ConsoleContext } from '../context.js';
import { FORM_KEY_RE } from '../form-once.js';
import { messagePage } from '../layout.js';
import { formOf } from '../security.js';
import { forumFormPage, forumListPage, forumPage } from '../views/forums.js';
import { readForumForm, valuesFrom, valuesOf } from './forum-form.js';

type IdParams = { Params: { id: string } };

export function forumRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const mod = ctx.modules.find(isForumsModule);
  if (!mod) return;
  const fs = mod.services.forums;
  const once = ctx.formOnce;
  const msgOf = (req: FastifyRequest) => (req.query as { msg?: string }).msg;

  /** The forum of `:id`, or the 404 page already sent. */
  async function forumOf(req: FastifyRequest<IdParams>, reply: FastifyReply): Promise<ForumDoc | undefined> {
    const forum = await fs.get(req.params.id);
    if (!forum) sendHtml(reply, messagePage(userOf(req), 'Tidak ditemukan', 'Forum itu tidak ada.'), 404);
    return forum ?? undefined;
  }

  const showForum = async (req: FastifyRequest, reply: FastifyReply, forum: ForumDoc, message?: { text: string; kind: 'ok' | 'error' }, status = 200) =>
    sendHtml(reply, forumPage({ user: userOf(req), forum, regs: await fs.registrants(forum._id), tz: ctx.tz, now: ctx.clock(), flash: msgOf(req), message }), status);

  app.get('/forums', { config: { role: 'staff' } }, async (req, reply) => {
    const past = (req.query as { past?: string }).past === '1';
    const rows = await forumList(mod.stores, past ? 'past' : 'upcoming', ctx.clock());
    return sendHtml(reply, forumListPage({ user: userOf(req), rows, past, tz: ctx.tz, flash: msgOf(req) }));
  });

  app.get('/forums/new', { config: { role: 'head' } }, async (req, reply) =>
    sendHtml(reply, forumFormPage({ user: userOf(req), v: { title: '', topic: '', kelurahan: '', venue: '', date: '', time: '09:00', duration: '120', capacity: '50', deadline: '' } })),
  );

  app.post('/forums', { config: { role: 'head' } }, async (req, reply) => {
    const form = formOf(req);
    const v = valuesFrom(form);
    const now = ctx.clock();
    const parsed = readForumForm(v, ctx.tz, now, true);
    if (!parsed.ok) return sendHtml(reply, forumFormPage({ user: userOf(req), v, error: parsed.error }), 422);
    const key = form['key'] ?? '';
    if (!FORM_KEY_RE.test(key)) return sendHtml(reply, forumFormPage({ user: userOf(req), v, error: 'Formulir ini kedaluwarsa. Muat ulang lalu coba lagi.' }), 400);
    const claim = await once.claim(`forum-create:${key}`);
    if (!claim.first) return seeOther(reply, claim.result ? `/console/forums/${claim.result}?msg=saved` : '/console/forums');
    const viewer = viewerOf(userOf(req));
    let forum: ForumDoc;
    try {
      forum = await fs.create(parsed.input, `${viewer.channel}:${viewer.userKey}`, now);
    } catch (err) {
      await once.release(`forum-create:${key}`);
      throw err;
    }
    await once.done(`forum-create:${key}`, String(forum._id));
    await audit(ctx, req, { action: 'forum.create', target: `forum:${String(forum._id)}`, after: { ...parsed.input } });
    return seeOther(reply, `/console/forums/${String(forum._id)}?msg=forum-created`);
  });

  app.get<IdParams>('/forums/:id', { config: { role: 'staff' } }, async (req, reply) => {
    const forum = await forumOf(req, reply);
    if (forum) return showForum(req, reply, forum);
  });

  app.get<IdParams>('/forums/:id/edit', { config: { role: 'head' } }, async (req, reply) => {
    const forum = await forumOf(req, reply);
    if (forum) return sendHtml(reply, forumFormPage({ user: userOf(req), v: valuesOf(forum, ctx.tz), forum }));
  });

  app.post<IdParams>('/forums/:id', { config: { role: 'head' } }, async (req, reply) => {
    const before = await forumOf(req, reply);
    if (!before) return;
    const v = valuesFrom(formOf(req));
    const now = ctx.clock();
    const moving = valuesOf(before, ctx.tz);
    const parsed = readForumForm(v, ctx.tz, now, v.date !== moving.date || v.time !== moving.time);
    if (!parsed.ok) return sendHtml(reply, forumFormPage({ user: userOf(req), v, forum: before, error: parsed.error }), 422);
    const r = await fs.update(String(before._id), parsed.input, now);
    const refuse = (text: string) => sendHtml(reply, forumFormPage({ user: userOf(req), v, forum: before, error: text }), 409);
    switch (r.kind) {
      case 'capacity-below-registered':
        return refuse(`Kapasitas tidak bisa di bawah jumlah yang sudah terdaftar (${r.registered}).`);
      case 'deadline-after-start':
        return refuse('Batas pendaftaran harus sebelum forum dimulai.');
      case 'cancelled':
        return refuse('Forum itu sudah dibatalkan; tidak bisa diubah.');
      case 'not-found':
        return sendHtml(reply, messagePage(userOf(req), 'Tidak ditemukan', 'Forum itu tidak ada.'), 404);
      case 'updated':
        await audit(ctx, req, {
          action: r.moved ? 'forum.move' : 'forum.edit',
          target: `forum:${String(before._id)}`,
          before: pick(before),
          after: { ...pick(r.forum), told: r.told, promoted: r.promoted },
        });
        return seeOther(reply, `/console/forums/${String(before._id)}?msg=${r.moved ? 'forum-moved' : 'saved'}`);
    }
  });

  app.post<IdParams>('/forums/:id/cancel', { config: { role: 'head' } }, async (req, reply) => {
    const forum = await forumOf(req, reply);
    if (!forum) return;
    const r = await fs.cancel(String(forum._id), ctx.clock());
    if (r.kind === 'cancelled') await audit(ctx, req, { action: 'forum.cancel', target: `forum:${String(forum._id)}`, before: { status: forum.status }, after: { status: 'cancelled', told: r.told } });
    return seeOther(reply, `/console/forums/${String(forum._id)}?msg=forum-cancelled`);
  });

  app.post<IdParams>('/forums/:id/checkin', { config: { role: 'staff' } }, async (req, reply) => {
    const forum = await forumOf(req, reply);
    if (!forum) return;
    if (forum.status !== 'scheduled') return showForum(req, reply, forum, { text: 'Forum ini dibatalkan.', kind: 'error' }, 409);
    const form = formOf(req);
    const now = ctx.clock();
    let r: Awaited<ReturnType<ForumsModule['services']['forums']['markAttendance']>>;
    if (form['registration']) {
      // Only a registration of this forum: the id comes from the page, but a form can be altered.
      const regs = await fs.registrants(forum._id);
      r = regs.some((x) => String(x._id) === form['registration']) ? await fs.markById(form['registration'], now) : { kind: 'none' };
    } else {
      const code = (form['code'] ?? '').trim().slice(0, 80);
      r = code ? await fs.markAttendance(forum._id, code, now) : { kind: 'none' };
    }
    switch (r.kind) {
      case 'marked':
        if (!r.already) await audit(ctx, req, { action: 'forum.checkin', target: `forum:${String(forum._id)}`, after: { registration: r.registration.code } });
        return showForum(req, reply, forum, { text: r.already ? `${r.registration.name} (${r.registration.code}) sudah tercatat hadir.` : `${r.registration.name} (${r.registration.code}) tercatat hadir.`, kind: 'ok' });
      case 'many':
        return showForum(req, reply, forum, { text: `Ada ${r.matches.length} pendaftar yang cocok. Ketik kode pendaftaran atau ketuk "Hadir" pada namanya.`, kind: 'error' }, 409);
      case 'none':
        return showForum(req, reply, forum, { text: 'Tidak ada pendaftar (terdaftar) dengan kode atau nama itu.', kind: 'error' }, 404);
    }
  });

  app.get<IdParams>('/forums/:id/csv', { config: { role: 'senior' } }, async (req, reply) => {
    const forum = await forumOf(req, reply);
    if (!forum) return;
    const bytes = await fs.exportCsv(forum._id);
    await audit(ctx, req, { action: 'forum.export', target: `forum:${String(forum._id)}` });
    const slug = forum.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'forum';
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="pendaftar-${slug}.csv"`)
      .header('cache-control', 'no-store')
      .send(bytes);
  });
}

/** The audited fields of a forum. */
function pick(f: ForumDoc): Record<string, unknown> {
  return { title: f.title, topic: f.topic, kelurahan: f.kelurahan, venue: f.venue, startAt: f.startAt, durationMinutes: f.durationMinutes, capacity: f.capacity, registrationDeadline: f.registrationDeadline };
}
