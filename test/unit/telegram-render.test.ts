import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramSender } from '../../src/channels/telegram/sender.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';

describe('Telegram rendering', () => {
  let tg: FakeTelegram;
  let sender: TelegramSender;
  beforeAll(async () => {
    tg = await startFakeTelegram();
    sender = new TelegramSender(tg.token, tg.apiRoot);
  });
  afterAll(async () => tg.close());

  it('shows choices as an inline keyboard', async () => {
    await sender.send('42', { kind: 'text', text: 'Pilih', choices: [{ id: 'a:1', title: 'Satu' }] });
    const markup = tg.callsOf('sendMessage').at(-1)?.params['reply_markup'] as { inline_keyboard: Array<Array<{ callback_data: string }>> };
    expect(markup.inline_keyboard[0]![0]!.callback_data).toBe('a:1');
  });

  it('offers a one-tap phone share with a reply keyboard, keeping the choices as text buttons', async () => {
    await sender.send('42', { kind: 'text', text: 'Nomor HP?', choices: [{ id: 'x:skip', title: 'Lewati' }], requestPhone: '📱 Bagikan nomor saya' });
    const markup = tg.callsOf('sendMessage').at(-1)?.params['reply_markup'] as { keyboard: Array<Array<{ text: string; request_contact?: boolean }>>; one_time_keyboard: boolean };
    expect(markup.keyboard[0]![0]).toEqual({ text: '📱 Bagikan nomor saya', request_contact: true });
    expect(markup.keyboard[1]![0]!.text).toBe('Lewati');
    expect(markup.one_time_keyboard).toBe(true);
  });

  it('sends a document as a file upload with its caption', async () => {
    await sender.send('42', { kind: 'document', fileName: 'data.csv', mimeType: 'text/csv', base64: Buffer.from('\uFEFFa,b\n').toString('base64'), caption: 'Ekspor' });
    const call = tg.callsOf('sendDocument').at(-1);
    expect(call?.params['caption']).toBe('Ekspor');
  });
});
