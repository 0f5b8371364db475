/**
 * Messages the bot starts itself (staff alerts, status updates, reminders), as opposed to
 * replies. Everything still goes through the outbox; this decides where and how.
 */
import type { Logger } from 'pino';
import { maskId } from '../logging/mask.js';
import type { Channel, Reply } from './messages.js';
import type { Outbox } from './outbox.js';
import type { ExpectedReply, PushedPromptStore } from './pushed-prompts.js';
import type { ContactDoc, ContactStore } from './contact-store.js';

/** A staff destination: a Telegram chat (private or group) or a WhatsApp number. */
export interface StaffTarget {
  /** `cli`: the local chat, which gets staff alerts when no platform staff destination is set. */
  channel: Channel;
  chatId: string;
}

/** An approved WhatsApp template to use when the 24-hour window is closed. */
export interface TemplateFallback {
  name: string;
  language: string;
  bodyParams: string[];
}

/** What happened to a message for a person. */
export type NotifyOutcome = 'queued' | 'queued-template' | 'blocked' | 'outside-window' | 'unknown-contact';

/** WhatsApp's customer-service window. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export class Notifier {
  constructor(
    private readonly deps: {
      outbox: Outbox;
      contacts: ContactStore;
      staffTargets: StaffTarget[];
      clock: () => Date;
      logger: Logger;
      /** Where pushed prompts are remembered (see `toContact`'s `expect`). */
      pushedPrompts?: PushedPromptStore;
    },
  ) {}

  /** Staff destinations configured (STAFF_TELEGRAM_CHAT_IDS, STAFF_WHATSAPP_NUMBERS) whose channel is on. */
  get staffTargets(): StaffTarget[] {
    return this.deps.staffTargets.filter((t) => this.deps.outbox.hasChannel(t.channel));
  }

  /**
   * Queues replies to one chat. `key` makes it idempotent (the same key is never queued twice);
   * `report` asks the outbox to report each message's outcome to that topic (see `OutboxOutcomes`).
   */
  async toChat(channel: Channel, chatId: string, replies: Reply[], key: string, report?: string): Promise<void> {
    await this.deps.outbox.enqueue(replies.map((reply, i) => ({ channel, chatId, reply, key: `${key}:${i}`, ...(report ? { report } : {}) })));
    // Messages with a report topic come from bulk producers (forum reminders): their kicks share
    // one read of the queue; everything else starts its chat at once.
    this.deps.outbox.kick(channel, chatId, report !== undefined);
  }

  /**
   * Queues replies to a person. On WhatsApp outside the 24-hour window, sends `template` instead
   * (or returns `outside-window` when there is none). Never sends to a contact who blocked the bot.
   */
  async toContact(
    channel: Channel,
    userKey: string,
    replies: Reply[],
    opts: {
      key: string;
      template?: TemplateFallback;
      /**
       * The contact, when the caller already loaded it (batch senders such as reminders): skips
       * the lookup, which on FerretDB's SQLite backend scans the whole collection. `null` = none.
       */
      contact?: Pick<ContactDoc, 'chatId' | 'blocked' | 'lastInboundAt'> | null;
      /** Report topic for the outcome (see `toChat`). Default: none. */
      report?: string;
      /**
       * The message asks the person something (a rating, a staff question): their next typed
       * reply, while nothing else is in progress, goes to this step (context first).
       */
      expect?: ExpectedReply;
    },
  ): Promise<NotifyOutcome> {
    const c = opts.contact !== undefined ? opts.contact : await this.deps.contacts.get(channel, userKey);
    if (!c) return 'unknown-contact';
    if (c.blocked) {
      this.deps.logger.info({ channel, user: maskId(userKey), key: opts.key }, 'not sent: contact blocked the bot');
      return 'blocked';
    }
    const now = this.deps.clock().getTime();
    const windowOpen = channel !== 'whatsapp' || (c.lastInboundAt !== undefined && now - new Date(c.lastInboundAt).getTime() < WHATSAPP_WINDOW_MS);
    if (windowOpen) {
      await this.toChat(channel, c.chatId, replies, opts.key, opts.report);
      await this.rememberPrompt(channel, userKey, opts.key, opts.expect);
      return 'queued';
    }
    if (!opts.template) return 'outside-window';
    const fallbackText = replies.map((r) => (r.kind === 'text' ? r.text : '')).join('\n\n');
    await this.toChat(channel, c.chatId, [{ kind: 'template', ...opts.template, fallbackText }], opts.key, opts.report);
    await this.rememberPrompt(channel, userKey, opts.key, opts.expect);
    return 'queued-template';
  }

  /**
   * Records a pushed prompt. A failure here is logged and does not undo the queued message: the
   * person still gets it, and a typed reply is then routed as a new message (as before).
   */
  private async rememberPrompt(channel: Channel, userKey: string, key: string, expect: ExpectedReply | undefined): Promise<void> {
    if (!expect || !this.deps.pushedPrompts) return;
    try {
      await this.deps.pushedPrompts.record(channel, userKey, key, expect, this.deps.clock());
    } catch (err) {
      this.deps.logger.error({ err, channel, user: maskId(userKey), key, flow: expect.flow }, 'pushed prompt not remembered; a typed reply will be routed as a new message');
    }
  }

  /**
   * Resolves when `channel` can take more messages without a backlog (see `Outbox.whenRoom`):
   * bulk senders call it before each message so they queue at the pace messages go out.
   */
  whenRoom(channel: Channel): Promise<void> {
    return this.deps.outbox.whenRoom(channel);
  }

  /** Queues replies to every staff destination (or to `targets`). Returns how many got it. `report` as in `toChat`. */
  async toStaff(replies: Reply[], key: string, targets: StaffTarget[] = this.staffTargets, report?: string): Promise<number> {
    for (const t of targets) await this.toChat(t.channel, t.chatId, replies, `${key}:${t.channel}:${t.chatId}`, report);
    return targets.length;
  }
}
