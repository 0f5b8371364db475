/**
 * Helpers for the forum specs: talk to the real app as a Telegram or WhatsApp user, and reach the
 * forums module's services and collections.
 */
import { expect } from 'vitest';
import { isForumsModule, type ForumsModule } from '../../src/features/forums.js';
import type { ForumInput } from '../../src/domain/forums/forum-service.js';
import type { ForumDoc } from '../../src/domain/forums/forum-model.js';
import type { App } from '../../src/app.js';
import type { Harness } from '../support/test-app.js';
import { tgCallback, tgText } from '../support/payloads/telegram.js';
import { waButtonReply, waListReply, waText, waWebhook } from '../support/payloads/whatsapp.js';

export const STAFF_ENV = { STAFF_TELEGRAM_CHAT_IDS: '-100500,777', STAFF_WHATSAPP_NUMBERS: '6281299990000' };
export const HOUR = 3_600_000;

export function forumsOf(app: App): ForumsModule {
  const m = app.modules.find(isForumsModule);
  if (!m) throw new Error('forums module is not registered');
  return m;
}

/** Moves the test clock to a fixed instant (the specs use fixed calendar dates). */
export function setClock(h: Harness, iso: string): void {
  h.clock.advance(new Date(iso).getTime() - h.clock.now().getTime());
}

/** A Telegram user in a private chat. */
export function telegramUser(h: Harness, userId: number, firstName = 'Budi') {
  const unix = () => Math.floor(h.clock.now().getTime() / 1000);
  return {
    async say(text: string) {
      expect((await h.postTelegram(tgText({ userId, text, firstName, date: unix() }))).statusCode).toBe(200);
      await h.settle();
    },
    async tap(data: string) {
      expect((await h.postTelegram(tgCallback({ userId, data, firstName, date: unix() }))).statusCode).toBe(200);
      await h.settle();
    },
    texts: () => h.tg.sentTexts(userId),
    lastText: () => h.tg.sentTexts(userId).at(-1) ?? '',
    buttons(): string[] {
      const calls = h.tg.callsOf('sendMessage').filter((c) => c.params['chat_id'] === userId);
      const markup = calls.at(-1)?.params['reply_markup'] as { inline_keyboard?: Array<Array<{ callback_data: string }>> } | undefined;
      return (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
    },
  };
}

/** A WhatsApp user; messages carry the test clock's time (it opens the 24-hour window). */
export function whatsappUser(h: Harness, phone: string, name = 'Sari Wulandari') {
  return {
    async say(text: string) {
      expect((await h.postWhatsApp(waWebhook(waText({ from: phone, name, text, timestamp: h.clock.now() })))).statusCode).toBe(200);
      await h.settle();
    },
    async button(id: string, title = 'OK') {
      expect((await h.postWhatsApp(waWebhook(waButtonReply({ from: phone, name, replyId: id, title, timestamp: h.clock.now() })))).statusCode).toBe(200);
      await h.settle();
    },
    async list(id: string, title = 'Forum') {
      expect((await h.postWhatsApp(waWebhook(waListReply({ from: phone, name, replyId: id, title, timestamp: h.clock.now() })))).statusCode).toBe(200);
      await h.settle();
    },
    texts: () => h.wa.sentTexts(phone),
  };
}

/** A forum created through the service (the staff flow has its own spec). */
export async function createForum(h: Harness, patch: Partial<ForumInput> = {}): Promise<ForumDoc> {
  const now = h.clock.now();
  const startAt = patch.startAt ?? new Date(now.getTime() + 3 * 24 * HOUR);
  return forumsOf(h.app).services.forums.create(
    {
      title: 'Forum Warga Sampangan',
      topic: 'Drainase dan genangan',
      kelurahan: 'Sampangan',
      venue: 'Aula Kelurahan Sampangan',
      durationMinutes: 120,
      capacity: 50,
      registrationDeadline: new Date(startAt.getTime() - 2 * HOUR),
      ...patch,
      startAt,
    },
    'telegram:777',
    now,
  );
}
