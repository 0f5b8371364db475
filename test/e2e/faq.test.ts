import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/test-app.js';
import { tgCallback, tgGroupText, tgText } from '../support/payloads/telegram.js';
import { waButtonReply, waText, waWebhook } from '../support/payloads/whatsapp.js';

const STAFF_GROUP = -100500;
type Interactive = { type: string; body: { text: string }; action: { buttons?: Array<{ reply: { id: string; title: string } }>; sections?: Array<{ rows: Array<{ id: string; title: string }> }> } };
/** A tap on an inline button under a bot message in a (staff) group chat. */
function groupCallback(userId: number, chatId: number, data: string) {
  const u = tgCallback({ userId, data });
  (u.callback_query.message as { chat: unknown }).chat = { id: chatId, type: 'group', title: 'Staf Kecamatan' };
  return u;
}

describe('Applicants\' questions about ASN recruitment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { STAFF_TELEGRAM_CHAT_IDS: String(STAFF_GROUP) } });
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.tg.clear();
    h.wa.clear();
  });

  it('answers a slangy first message on WhatsApp in one message, with its source and round', async () => {
    await h.postWhatsApp(waWebhook(waText({ from: '6281500000001', text: 'brp batas umur daftar cpns kak?' })));
    await h.settle();
    const [m] = h.wa.sentTo('6281500000001');
    const body = (m?.body['interactive'] as Interactive | undefined)?.body.text ?? '';
    expect(body).toContain('35 tahun');
    expect(body).toMatch(/Sumber: PermenPANRB No\. 6 Tahun 2024.* · berlaku untuk seleksi CPNS 2024/);
  });

  it('follows up "kalau PPPK?" with the PPPK answer of the same topic', async () => {
    await h.postWhatsApp(waWebhook(waText({ from: '6281500000001', text: 'kalau PPPK?' })));
    await h.settle();
    const body = (h.wa.sentTo('6281500000001')[0]?.body['interactive'] as Interactive).body.text;
    expect(body).toContain('PPPK');
    expect(body).toContain('20 tahun');
  });

  it('answers an English question in English', async () => {
    await h.postTelegram(tgText({ userId: 6001, text: 'what documents do I need for CPNS?' }));
    await h.settle();
    const [t] = h.tg.sentTexts(6001);
    expect(t).toContain('Source:');
    expect(t).toMatch(/applies to/);
  });

  it('asks which of up to three topics an ambiguous question means, and answers the one tapped', async () => {
    await h.postTelegram(tgText({ userId: 6002, text: 'syarat' }));
    await h.settle();
    const call = h.tg.callsOf('sendMessage')[0]!;
    const buttons = (call.params['reply_markup'] as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard.flat();
    const topics = buttons.filter((b) => b.callback_data.startsWith('u:faq:'));
    expect(topics.length).toBeGreaterThanOrEqual(2);
    expect(topics.length).toBeLessThanOrEqual(3);
    h.tg.clear();
    await h.postTelegram(tgCallback({ userId: 6002, data: topics[0]!.callback_data }));
    await h.settle();
    expect(h.tg.sentTexts(6002)[0]).toContain('Sumber:');
  });

  it('refuses an off-topic question politely, saying what it can help with, never a recruitment fact', async () => {
    await h.postWhatsApp(waWebhook(waText({ from: '6281500000002', text: 'siapa juara liga inggris tahun ini?' })));
    await h.settle();
    const body = (h.wa.sentTo('6281500000002')[0]?.body['interactive'] as Interactive).body.text;
    expect(body).toContain('di luar');
    expect(body).not.toContain('Sumber:');
    expect(await h.app.conn.collection('faq_unanswered').countDocuments()).toBeGreaterThan(0);
  });

  it('gives the anti-fraud answer to a bribery question', async () => {
    await h.postTelegram(tgText({ userId: 6003, text: 'bisa beli kursi PNS gak? ada yg nawarin 100jt' }));
    await h.settle();
    const t = h.tg.sentTexts(6003)[0] ?? '';
    expect(t.toLowerCase()).toMatch(/penipu|calo/);
  });

  it('forwards an unanswered question to staff, and delivers the staff answer back on the resident\'s channel', async () => {
    await h.postWhatsApp(waWebhook(waText({ from: '6281500000003', text: 'apakah ada kuota khusus untuk atlet berprestasi?' })));
    await h.settle();
    h.wa.clear();
    await h.postWhatsApp(waWebhook(waButtonReply({ from: '6281500000003', replyId: 'faq:fwd', title: 'Tanya petugas' })));
    await h.settle();
    expect(h.wa.sentTexts('6281500000003')[0]).toContain('diteruskan ke petugas');

    const alert = h.tg.callsOf('sendMessage').find((c) => String(c.params['chat_id']) === String(STAFF_GROUP));
    expect(String(alert?.params['text'])).toContain('atlet berprestasi');
    const button = (alert?.params['reply_markup'] as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard.flat()[0]!;
    expect(button.callback_data).toMatch(/^faqstaff:ans:[a-f0-9]{24}$/);

    h.wa.clear();
    await h.postTelegram(groupCallback(7001, STAFF_GROUP, button.callback_data));
    await h.settle();
    await h.postTelegram(tgGroupText({ chatId: STAFF_GROUP, userId: 7001, text: 'Ada, cek pengumuman instansi tentang formasi khusus atlet.' }));
    await h.settle();
    const delivered = h.wa.sentTexts('6281500000003');
    expect(delivered[0]).toContain('Jawaban petugas Kecamatan Gajahmungkur');
    expect(delivered[0]).toContain('formasi khusus atlet');
  });

  it('lets staff edit an answer; the edit survives a restart and a re-seed', async () => {
    await h.postTelegram(tgGroupText({ chatId: STAFF_GROUP, userId: 7001, text: '/faq' }));
    await h.settle();
    await h.postTelegram(groupCallback(7001, STAFF_GROUP, 'faqstaff:edit'));
    await h.settle();
    await h.postTelegram(tgGroupText({ chatId: STAFF_GROUP, userId: 7001, text: 'umum-biaya' }));
    await h.settle();
    await h.postTelegram(tgGroupText({ chatId: STAFF_GROUP, userId: 7001, text: 'Pendaftaran CPNS dan PPPK gratis, tanpa biaya apa pun. (diperbarui petugas)' }));
    await h.settle();
    expect(h.tg.sentTexts(STAFF_GROUP).at(-1)).toContain('Tersimpan');

    await h.app.close();
    await h.rebuild(); // restart: seeds the content files again
    h.tg.clear();
    await h.postTelegram(tgText({ userId: 6004, text: 'daftar cpns bayar gak?' }));
    await h.settle();
    expect(h.tg.sentTexts(6004)[0]).toContain('(diperbarui petugas)');
  });

  it('refuses the staff command to residents', async () => {
    await h.postTelegram(tgText({ userId: 6005, text: '/faq' }));
    await h.settle();
    expect(h.tg.sentTexts(6005)[0]).toContain('tidak dikenal');
  });
});

describe('Reply language', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('keeps answering in English someone who writes in English, menu included', async () => {
    await h.postTelegram(tgText({ userId: 6101, text: 'what documents do I need for CPNS?' }));
    await h.settle();
    expect(h.tg.sentTexts(6101)[0]).toContain('Source:');
    h.tg.clear();
    await h.postTelegram(tgText({ userId: 6101, text: 'menu' }));
    await h.settle();
    expect(h.tg.sentTexts(6101)[0]).toContain('Main menu');
  });

  it('does not override a language the person chose', async () => {
    await h.postTelegram(tgText({ userId: 6102, text: 'bahasa indonesia' }));
    await h.settle();
    h.tg.clear();
    await h.postTelegram(tgText({ userId: 6102, text: 'what is the age limit for cpns?' }));
    await h.settle();
    expect(h.tg.sentTexts(6102)[0]).toContain('Sumber:');
  });
});
