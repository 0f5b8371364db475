/**
 * Question pages: the knowledge base (search and edit), unanswered questions (answer once → a new
 * entry or a phrasing of an existing one), questions forwarded to staff. Writes go through the FAQ
 * domain (FaqService / FaqCuration), the store the chat's `/faq` edits, and the bot's index is
 * rebuilt at once. Role: staff, as in chat (`/faq` is open to every staff member).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FaqCuration, type EntryPatch } from '../../../domain/faq/curation.js';
import { isFaqModule } from '../../../features/faq.js';
import { FaqEditError } from '../../../domain/faq/service.js';
import { audit, sendHtml, seeOther, userOf, type ConsoleContext } from '../context.js';
import { messagePage } from '../layout.js';
import { formOf } from '../security.js';
import { entryPage, forwardedPage, knowledgePage, unansweredPage } from '../views/questions.js';

const ENTRY_ID_RE = /^[a-z0-9-]{1,80}$/;

export function questionRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const mod = ctx.modules.find(isFaqModule);
  if (!mod) return;
  const curation = new FaqCuration(mod.store, mod.service, ctx.clock);
  const msgOf = (req: FastifyRequest) => (req.query as { msg?: string }).msg;

  app.get('/questions', { config: { role: 'staff' } }, async (req, reply) => {
    const q = String((req.query as { q?: string }).q ?? '').slice(0, 100);
    return sendHtml(reply, knowledgePage({ user: userOf(req), q, entries: await curation.search(q), flash: msgOf(req) }));
  });

  app.get<{ Params: { id: string } }>('/questions/entry/:id', { config: { role: 'staff' } }, async (req, reply) => {
    const entry = ENTRY_ID_RE.test(req.params.id) ? await curation.get(req.params.id) : null;
    if (!entry) return sendHtml(reply, messagePage(userOf(req), 'Tidak ditemukan', 'Entri itu tidak ada.'), 404);
    return sendHtml(reply, entryPage({ user: userOf(req), entry, flash: msgOf(req) }));
  });

  app.post<{ Params: { id: string } }>('/questions/entry/:id', { config: { role: 'staff' } }, async (req, reply) => {
    const user = userOf(req);
    const entry = ENTRY_ID_RE.test(req.params.id) ? await curation.get(req.params.id) : null;
    if (!entry) return sendHtml(reply, messagePage(user, 'Tidak ditemukan', 'Entri itu tidak ada.'), 404);
    const form = formOf(req);
    const text = (k: string) => (form[k] === undefined ? undefined : form[k]!.replace(/\r\n/g, '\n').trim());
    const year = text('year');
    const patch: EntryPatch = {};
    for (const k of ['answerId', 'answerEn', 'source', 'appliesToId', 'appliesToEn'] as const) {
      const v = text(k);
      if (v !== undefined) patch[k] = v;
    }
    if (year !== undefined) patch.year = /^\d{4}$/.test(year) ? Number(year) : NaN;
    try {
      const { before, after } = await curation.editEntry(entry.id, patch, user.account.name);
      await audit(ctx, req, {
        action: 'faq.edit',
        target: `faq:${entry.id}`,
        before: { answer: before.answer, source: before.source, appliesTo: before.appliesTo, year: before.year },
        after: { answer: after.answer, source: after.source, appliesTo: after.appliesTo, year: after.year },
      });
    } catch (err) {
      if (!(err instanceof FaqEditError)) throw err;
      req.log.warn({ entry: entry.id, err: err.message }, 'console: faq edit refused');
      return sendHtml(reply, entryPage({ user, entry, message: { text: 'Isian tidak valid: jawaban 10–1.000 karakter, sumber 3–300, putaran 3–120, tahun 2000–2100.', kind: 'error' } }), 422);
    }
    return seeOther(reply, `/console/questions/entry/${entry.id}?msg=saved`);
  });

  const showUnanswered = async (req: FastifyRequest, message?: { text: string; kind: 'ok' | 'error' }) =>
    unansweredPage({ user: userOf(req), rows: await curation.unanswered(), entries: await curation.search(''), tz: ctx.tz, flash: msgOf(req), message });

  app.get('/questions/unanswered', { config: { role: 'staff' } }, async (req, reply) => sendHtml(reply, await showUnanswered(req)));

  app.post('/questions/unanswered/resolve', { config: { role: 'staff' } }, async (req, reply) => {
    const user = userOf(req);
    const form = formOf(req);
    const key = (form['key'] ?? '').slice(0, 200);
    const how =
      form['kind'] === 'phrasing'
        ? ({ kind: 'phrasing', entryId: (form['entryId'] ?? '').slice(0, 80) } as const)
        : ({ kind: 'entry', answer: (form['answer'] ?? '').replace(/\r\n/g, '\n').trim(), source: (form['source'] ?? '').trim() } as const);
    try {
      const r = await curation.resolve(key, how, user.account.name);
      if (r.kind === 'not-found') return sendHtml(reply, await showUnanswered(req, { text: 'Pertanyaan itu tidak ditemukan.', kind: 'error' }), 404);
      if (r.kind === 'already') {
        const by = r.resolution?.by ?? 'petugas lain';
        return sendHtml(reply, await showUnanswered(req, { text: `Pertanyaan ini sudah dijawab oleh ${by}.`, kind: 'error' }), 409);
      }
      await audit(ctx, req, { action: 'faq.resolve', target: `faq-unanswered:${key}`, after: { kind: r.resolution.kind, entryId: r.resolution.entryId } });
      return seeOther(reply, '/console/questions/unanswered?msg=question-resolved');
    } catch (err) {
      if (!(err instanceof FaqEditError)) throw err;
      req.log.warn({ err: err.message }, 'console: unanswered question resolution refused');
      return sendHtml(reply, await showUnanswered(req, { text: 'Isian tidak valid: jawaban 10–1.000 karakter dan sumber 3–300 karakter, atau pilih entri yang ada.', kind: 'error' }), 422);
    }
  });

  app.get('/questions/forwarded', { config: { role: 'staff' } }, async (req, reply) =>
    sendHtml(reply, forwardedPage({ user: userOf(req), rows: await curation.forwarded('all'), tz: ctx.tz })),
  );
}
