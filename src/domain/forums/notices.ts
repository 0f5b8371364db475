/**
 * Tells registrants what changed (moved, cancelled, promoted from the waitlist). Each notice has
 * an idempotency key, so repeating an operation never repeats a message. On WhatsApp outside the
 * 24-hour window an approved template carries them: the reminder template (forum details as
 * parameters) for moves and promotions, the cancellation template for cancellations.
 */
import type { Logger } from 'pino';
import type { Notifier, NotifyOutcome, TemplateFallback } from '../../core/notifier.js';
import type { Reply } from '../../core/messages.js';
import { maskId } from '../../logging/mask.js';
import { forumCalendar } from './calendar.js';
import type { ForumDoc } from './forum-model.js';
import { cancelledNotice, cancelledTemplateParams, movedNotice, promotedNotice, reminderTemplateParams } from './messages.js';
import type { RegistrationDoc } from './registration-model.js';

export interface NoticeDeps {
  notifier: Notifier;
  logger: Logger;
  tz: string;
  /** Approved WhatsApp template for forum messages outside the 24-hour window. */
  template: { name: string; language: string };
  /** Approved WhatsApp template for a cancellation outside the 24-hour window (name, title, when). */
  cancelledTemplate: { name: string; language: string };
}

type Reg = Pick<RegistrationDoc, '_id' | 'channel' | 'userKey' | 'name' | 'code' | 'lang' | 'status'>;

export class ResidentNotices {
  constructor(private readonly deps: NoticeDeps) {}

  /** A calendar file as a document reply. */
  calendarReply(forum: ForumDoc, now: Date, code?: string): Reply {
    const ics = forumCalendar(forum, now, { tz: this.deps.tz, ...(code ? { registrationCode: code } : {}) });
    return { kind: 'document', fileName: 'forum-warga.ics', mimeType: 'text/calendar', base64: Buffer.from(ics, 'utf8').toString('base64') };
  }

  async promoted(forum: ForumDoc, reg: Reg, now: Date): Promise<NotifyOutcome> {
    const replies: Reply[] = [{ kind: 'text', text: promotedNotice(forum, reg, reg.lang, this.deps.tz) }, this.calendarReply(forum, now, reg.code)];
    return this.send(reg, replies, `forum-promoted:${String(reg._id)}:${now.getTime()}`, this.forumTemplate(forum, reg));
  }

  async moved(forum: ForumDoc, previousStart: Date, regs: Reg[], now: Date): Promise<void> {
    for (const reg of regs) {
      const replies: Reply[] = [{ kind: 'text', text: movedNotice(forum, previousStart, reg.lang, this.deps.tz) }];
      if (reg.status === 'registered') replies.push(this.calendarReply(forum, now, reg.code));
      await this.send(reg, replies, `forum-moved:${String(forum._id)}:${forum.sequence}:${String(reg._id)}`, this.forumTemplate(forum, reg));
    }
  }

  async cancelled(forum: ForumDoc, regs: Reg[]): Promise<void> {
    for (const reg of regs) {
      await this.send(reg, [{ kind: 'text', text: cancelledNotice(forum, reg.lang, this.deps.tz) }], `forum-cancelled:${String(forum._id)}:${String(reg._id)}`, {
        ...this.deps.cancelledTemplate,
        bodyParams: cancelledTemplateParams(forum, reg, reg.lang, this.deps.tz),
      });
    }
  }

  private forumTemplate(forum: ForumDoc, reg: Reg): TemplateFallback {
    return { ...this.deps.template, bodyParams: reminderTemplateParams(forum, reg, reg.lang, this.deps.tz) };
  }

  private async send(reg: Reg, replies: Reply[], key: string, template: TemplateFallback): Promise<NotifyOutcome> {
    const outcome = await this.deps.notifier.toContact(reg.channel, reg.userKey, replies, { key, template });
    if (outcome !== 'queued' && outcome !== 'queued-template') {
      this.deps.logger.warn({ channel: reg.channel, user: maskId(reg.userKey), key, outcome }, 'forum notice not delivered');
    }
    return outcome;
  }
}
