/**
 * The outbox as the reminder runner sees it, in memory: the notifier's queuing (`toContact`,
 * `toStaff`, `whenRoom`, `staffTargets`) and the outcomes it reads back (`readReports`, `lookup`,
 * `ack`). Like the real outbox it queues a key once (a second message with the same key is
 * refused), never sends to a contact who blocked the bot, and outside WhatsApp's 24-hour window
 * sends the template instead. A spec finishes messages by hand (`finish`, `finishAll`).
 */
import type { Channel, Reply } from '../../src/core/messages.js';
import type { NotifyOutcome, StaffTarget, TemplateFallback } from '../../src/core/notifier.js';
import { WHATSAPP_WINDOW_MS } from '../../src/core/notifier.js';
import type { MessageState, OutcomeReport } from '../../src/core/outbox-outcomes.js';
import type { ReminderNotifier, ReminderOutcomes } from '../../src/domain/forums/reminder-options.js';
import type { ReminderContact } from '../../src/domain/forums/store.js';

/** A message as queued. */
export interface QueuedMessage {
  key: string;
  channel: Channel;
  chatId: string;
  reply: Reply;
  report?: string;
  state: 'queued' | 'sent' | 'failed';
}

export class FakeReminderOutbox implements ReminderNotifier, ReminderOutcomes {
  /** Every message ever queued, by key (a key is queued once). */
  readonly messages = new Map<string, QueuedMessage>();
  private reports: OutcomeReport[] = [];
  /** Staff chats that get attendance lists and digests. */
  staffTargets: StaffTarget[] = [{ channel: 'telegram', chatId: '-1001' }];

  constructor(private readonly clock: () => Date) {}

  async whenRoom(_channel: Channel): Promise<void> {}

  async toContact(
    channel: Channel,
    _userKey: string,
    replies: Reply[],
    opts: { key: string; template?: TemplateFallback; contact?: Pick<ReminderContact, 'chatId' | 'blocked' | 'lastInboundAt'> | null; report?: string },
  ): Promise<NotifyOutcome> {
    const c = opts.contact;
    if (!c) return 'unknown-contact';
    if (c.blocked) return 'blocked';
    const windowOpen = channel !== 'whatsapp' || (c.lastInboundAt !== undefined && this.clock().getTime() - c.lastInboundAt.getTime() < WHATSAPP_WINDOW_MS);
    if (windowOpen) {
      this.queue(channel, c.chatId, replies, opts.key, opts.report);
      return 'queued';
    }
    if (!opts.template) return 'outside-window';
    this.queue(channel, c.chatId, [{ kind: 'template', ...opts.template, fallbackText: '' }], opts.key, opts.report);
    return 'queued-template';
  }

  async toStaff(replies: Reply[], key: string, targets: StaffTarget[] = this.staffTargets, report?: string): Promise<number> {
    for (const t of targets) this.queue(t.channel, t.chatId, replies, `${key}:${t.channel}:${t.chatId}`, report);
    return targets.length;
  }

  /** Messages queued (any state) whose key starts with `prefix`. */
  queued(prefix = ''): QueuedMessage[] {
    return [...this.messages.values()].filter((m) => m.key.startsWith(prefix));
  }

  /** The outbox finished a message: sent, or failed with an error code (as a platform gives it). */
  finish(key: string, outcome: 'sent' | { failed: string }): void {
    const m = this.messages.get(key);
    if (!m || m.state !== 'queued') throw new Error(`no queued message ${key}`);
    m.state = outcome === 'sent' ? 'sent' : 'failed';
    if (!m.report) return;
    const lastError = outcome === 'sent' ? undefined : { code: outcome.failed, message: `error ${outcome.failed}` };
    this.reports.push({ _id: key, topic: m.report, status: m.state === 'sent' ? 'sent' : 'failed', finishedAt: this.clock(), ...(lastError ? { lastError } : {}) });
  }

  /** Sends everything still queued. */
  finishAll(): void {
    for (const m of this.messages.values()) if (m.state === 'queued') this.finish(m.key, 'sent');
  }

  async readReports(topic: string): Promise<OutcomeReport[]> {
    return this.reports.filter((r) => r.topic === topic);
  }

  async lookup(topic: string, keys: string[], _now: Date, reports?: OutcomeReport[]): Promise<Map<string, MessageState>> {
    const out = new Map<string, MessageState>();
    const read = reports ?? (await this.readReports(topic));
    for (const key of keys) {
      const r = read.find((x) => x._id === key);
      if (r) out.set(key, r.status === 'sent' ? { state: 'sent', at: r.finishedAt } : { state: r.status, ...(r.lastError ? { lastError: r.lastError } : {}) });
      else if (this.messages.get(key)?.state === 'queued') out.set(key, { state: 'queued' });
    }
    return out;
  }

  async ack(topic: string, keys: string[]): Promise<void> {
    this.reports = this.reports.filter((r) => r.topic !== topic || !keys.includes(r._id));
  }

  private queue(channel: Channel, chatId: string, replies: Reply[], key: string, report?: string): void {
    replies.forEach((reply, i) => {
      const k = `${key}:${i}`;
      // The outbox's unique key: the same message is never queued twice.
      if (!this.messages.has(k)) this.messages.set(k, { key: k, channel, chatId, reply, state: 'queued', ...(report ? { report } : {}) });
    });
  }
}
