/**
 * Small things residents meet on a cheap phone: the complaint categories fit one WhatsApp list,
 * and a forum meant for one kelurahan says so to a resident of another before signing them up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/test-app.js';
import { COMPLAINT_ENV, telegramUser, whatsappUser } from './complaints-support.js';
import { createForum, forumsOf } from './forums-support.js';

type ListMessage = { type: string; body: { text: string }; action: { buttons?: Array<{ reply: { id: string } }>; sections?: Array<{ rows: Array<{ id: string; title: string }> }> } };

describe('Lists and warnings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: COMPLAINT_ENV });
  });
  afterAll(async () => h.close());

  it('the twelve complaint categories come as one WhatsApp list (the most used first, "Kategori lain…" for the rest), never a "…" message', async () => {
    const from = '6281377770001';
    const u = whatsappUser(h, from);
    h.wa.clear();
    await u.tap('m:complaint', 'Pengaduan / aspirasi');
    const interactive = h.wa.sentTo(from).filter((m) => m.type === 'interactive').map((m) => m.body['interactive'] as ListMessage);
    expect(interactive).toHaveLength(1);
    const rows = interactive[0]!.action.sections!.flatMap((s) => s.rows);
    expect(rows).toHaveLength(10);
    expect(rows[0]!.id).toBe('complaint:cat:jalan');
    expect(rows.at(-1)).toMatchObject({ id: 'complaint:cat-more', title: 'Kategori lain…' });
    expect(h.wa.sentTexts(from).some((t) => t.trim() === '…')).toBe(false);

    h.wa.clear();
    await u.tap('complaint:cat-more', 'Kategori lain…');
    const more = h.wa.sentTo(from).filter((m) => m.type === 'interactive').map((m) => m.body['interactive'] as ListMessage);
    const moreIds = more.flatMap((m) => [...(m.action.buttons ?? []).map((b) => b.reply.id), ...(m.action.sections?.flatMap((s) => s.rows.map((r) => r.id)) ?? [])]);
    expect(moreIds).toEqual(['complaint:cat:izin', 'complaint:cat:aspirasi', 'complaint:cat:lainnya']);
    await u.tap('complaint:cat:aspirasi', 'Aspirasi / usulan');
    expect(u.last()).toContain('kelurahan');
  });

  it('a Petompon forum tells a resident of Sampangan, who can choose a forum of their own instead', async () => {
    const forum = await createForum(h, { title: 'Musrenbang Kelurahan Petompon', kelurahan: 'Petompon' });
    const own = await createForum(h, { title: 'Musrenbang Kelurahan Sampangan', kelurahan: 'Sampangan' });
    const u = telegramUser(h, 5301, 'Rina');
    await u.say('/forum');
    await u.tap(`forum:f:${String(forum._id)}`);
    await u.tap(`forum:join:${String(forum._id)}`);
    await u.say('Rina Astuti');
    await u.say('sampangan');
    expect(u.last()).toContain('ditujukan untuk warga Kelurahan Petompon');
    expect(u.last()).toContain('Anda warga Sampangan');
    await u.tap('forum:otherkel:list');
    expect(u.buttons()).toContain(`forum:f:${String(own._id)}`);
    expect(await forumsOf(h.app).models.registrations.countDocuments({ forumId: forum._id })).toBe(0);
  });
});
