import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, WA_VERIFY_TOKEN, type Harness } from '../support/test-app.js';
import {
  multiEntry,
  waButtonReply,
  waImage,
  waListReply,
  waLocation,
  waReaction,
  waStatus,
  waSticker,
  waText,
  waUnsupported,
  waWebhook,
} from '../support/payloads/whatsapp.js';

type Interactive = {
  type: string;
  body: { text: string };
  action: { buttons?: Array<{ reply: { id: string } }>; sections?: Array<{ rows: Array<{ id: string; title: string }> }> };
};

/** Choice ids of an interactive message, whether shown as buttons or as a list. */
function choiceIds(i: Interactive): string[] {
  return i.type === 'button' ? (i.action.buttons ?? []).map((b) => b.reply.id) : (i.action.sections ?? []).flatMap((s) => s.rows.map((r) => r.id));
}

describe('WhatsApp webhook, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());
  beforeEach(() => h.wa.clear());

  it('completes Meta\'s verification handshake only with the right token', async () => {
    const ok = await h.app.http.inject({ method: 'GET', url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WA_VERIFY_TOKEN}&hub.challenge=1158201444` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1158201444');
    const bad = await h.app.http.inject({ method: 'GET', url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1' });
    expect(bad.statusCode).toBe(403);
  });

  it('answers "halo" with a greeting and the menu as a list, and marks the message read', async () => {
    const body = waWebhook(waText({ from: '6281200000001', text: 'halo', name: 'Dewi Lestari' }));
    expect((await h.postWhatsApp(body)).statusCode).toBe(200);
    await h.settle();
    const [m] = h.wa.sentTo('6281200000001');
    expect(m?.type).toBe('interactive');
    const interactive = m?.body['interactive'] as Interactive;
    expect(interactive.body.text).toContain('Dewi');
    expect(choiceIds(interactive)).toContain('g:help');
    expect(h.wa.readReceipts).toHaveLength(1);
  });

  it('acts on a tapped list row and on a tapped reply button', async () => {
    await h.postWhatsApp(waWebhook(waListReply({ from: '6281200000001', replyId: 'g:help', title: 'Bantuan' })));
    await h.settle();
    expect(h.wa.sentTexts('6281200000001').join('\n')).toContain('Bantuan Sapa Gajahmungkur');
    h.wa.clear();
    await h.postWhatsApp(waWebhook(waButtonReply({ from: '6281200000001', replyId: 'g:lang', title: 'English' })));
    await h.settle();
    expect(h.wa.sentTexts('6281200000001')[0]).toContain('Language switched to English');
  });

  it('handles a redelivered message only once', async () => {
    const body = waWebhook(waText({ from: '6281200000002', text: 'menu' }));
    expect((await h.postWhatsApp(body)).statusCode).toBe(200);
    expect((await h.postWhatsApp(body)).statusCode).toBe(200);
    await h.settle();
    expect(h.wa.sentTo('6281200000002')).toHaveLength(1);
  });

  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    const before = await h.app.store.inbox.countDocuments();
    const body = waWebhook(waText({ from: '6281200000003', text: 'halo' }));
    expect((await h.postWhatsApp(body, { signature: null })).statusCode).toBe(401);
    expect((await h.postWhatsApp(body, { signature: 'sha256=' + '0'.repeat(64) })).statusCode).toBe(401);
    expect((await h.postWhatsApp(body, { signature: 'garbage' })).statusCode).toBe(401);
    expect(await h.app.store.inbox.countDocuments()).toBe(before);
  });

  it('answers 400 to broken JSON that is correctly signed', async () => {
    expect((await h.postWhatsApp(null, { raw: '{"object":"whatsapp_business_account","entry":[' })).statusCode).toBe(400);
    expect((await h.postWhatsApp(null, { raw: '{"entry": 5}' })).statusCode).toBe(400);
  });

  it('refuses a body over 3 MB with 413', async () => {
    const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(3 * 1024 * 1024) });
    expect((await h.postWhatsApp(null, { raw })).statusCode).toBe(413);
  });

  it('handles several messages and entries in one POST, each person in order', async () => {
    const body = multiEntry(
      waWebhook(waText({ from: '6281200000004', text: 'halo', timestamp: 1764460000 }), waText({ from: '6281200000005', text: 'menu' })),
      waWebhook(waText({ from: '6281200000004', text: 'bantuan', timestamp: 1764460001 })),
    );
    expect((await h.postWhatsApp(body)).statusCode).toBe(200);
    await h.settle();
    const four = h.wa.sentTexts('6281200000004');
    expect(four[0]).toContain('Selamat datang');
    expect(four.join('\n')).toContain('Bantuan Sapa Gajahmungkur');
    expect(h.wa.sentTo('6281200000005')).toHaveLength(1);
  });

  it('answers a username-only user (no phone number) through the business-scoped id', async () => {
    await h.postWhatsApp(waWebhook(waText({ from: '6281200000006', noPhone: true, userId: 'ID.1234567890123', text: 'halo' })));
    await h.settle();
    const sent = h.wa.messages.find((m) => m.recipient === 'ID.1234567890123');
    expect(sent).toBeDefined();
    const contact = await h.app.store.contacts.findOne({ channel: 'whatsapp', userKey: 'ID.1234567890123' }).lean();
    expect(contact?.phone).toBeUndefined();
  });

  it('never crashes on reactions, stickers, unsupported types or unknown fields', async () => {
    const body = waWebhook(
      waReaction({ from: '6281200000007', messageId: 'wamid.x', emoji: '👍' }),
      waReaction({ from: '6281200000007', messageId: 'wamid.x' }),
      waUnsupported({ from: '6281200000007' }),
      waSticker({ from: '6281200000007', mediaId: '123', mimeType: 'image/webp' }),
    ) as unknown as { entry: Array<Record<string, unknown>> };
    body.entry[0]!['future_field'] = { anything: true };
    expect((await h.postWhatsApp(body)).statusCode).toBe(200);
    await h.settle();
    expect(h.wa.sentTo('6281200000007').length).toBeGreaterThan(0);
  });

  it('offers the menu for an image or location with nothing in progress', async () => {
    await h.postWhatsApp(waWebhook(waImage({ from: '6281200000008', mediaId: '777', mimeType: 'image/jpeg' }), waLocation({ from: '6281200000008', latitude: -7.01, longitude: 110.41 })));
    await h.settle();
    expect(h.wa.sentTo('6281200000008').length).toBeGreaterThan(0);
  });

  it('records delivery statuses against the sent message, even out of order', async () => {
    await h.postWhatsApp(waWebhook(waText({ from: '6281200000009', text: 'menu' })));
    await h.settle();
    const sent = h.wa.sentTo('6281200000009')[0]!;
    const read = waWebhook(waStatus({ messageId: sent.id, status: 'read', recipient: '6281200000009' }));
    const delivered = waWebhook(waStatus({ messageId: sent.id, status: 'delivered', recipient: '6281200000009' }));
    expect((await h.postWhatsApp(read)).statusCode).toBe(200);
    expect((await h.postWhatsApp(delivered)).statusCode).toBe(200);
    expect(await h.app.deliveries.statusOf('whatsapp', sent.id)).toBe('read');
  });

  it('records a failed status with its error code', async () => {
    await h.postWhatsApp(waWebhook(waText({ from: '6281200000010', text: 'menu' })));
    await h.settle();
    const sent = h.wa.sentTo('6281200000010')[0]!;
    await h.postWhatsApp(waWebhook(waStatus({ messageId: sent.id, status: 'failed', recipient: '6281200000010', errors: [{ code: 131047, title: 'Re-engagement message' }] })));
    const report = await h.app.deliveries.reportOf('whatsapp', sent.id);
    expect(report?.status).toBe('failed');
    expect(report?.error?.code).toBe('131047');
  });

  it('splits a long answer so nothing exceeds the platform limits', async () => {
    await h.app.outbox.enqueue([{ channel: 'whatsapp', chatId: '6281200000011', reply: { kind: 'text', text: 'kata '.repeat(2000), choices: [{ id: 'g:menu', title: 'Menu' }] }, key: 'long-1' }]);
    await h.app.outbox.flushChat('whatsapp', '6281200000011');
    const sent = h.wa.sentTo('6281200000011');
    expect(h.wa.rejected).toHaveLength(0);
    expect(sent.length).toBeGreaterThan(2);
    const words = h.wa.sentTexts('6281200000011').join(' ').split(/\s+/).filter(Boolean);
    expect(words.every((w) => w === 'kata')).toBe(true);
    expect(words).toHaveLength(2000);
  });
});
