/**
 * Who may see and handle which complaint.
 *
 * - The reporter always sees their own ticket (matched by channel + user key).
 * - Staff see and handle `named` and `anonim` tickets; for `anonim` never the reporter's name or number.
 * - `rahasia` tickets are seen and handled only by designated senior staff (on the console: the
 *   senior, head and admin roles).
 * Anyone else is told "not found", exactly as for a ticket that does not exist.
 */
import type { StaffTarget } from '../../core/notifier.js';
import type { Channel } from '../../core/messages.js';
import type { ComplaintDoc } from './types.js';

/** The person asking, as the engine knows them. */
export interface Viewer {
  channel: Channel;
  userKey: string;
  chatId: string;
  isStaff: boolean;
  name?: string;
  phone?: string;
  /**
   * Set when a signed-in staff console account acts (src/http/console): its role, checked on the
   * server, decides whether it may handle `rahasia` tickets, not the chat id it is linked to.
   */
  console?: { account: string; senior: boolean };
}

export class ComplaintAccess {
  constructor(private readonly seniorStaff: readonly StaffTarget[]) {}

  /** True when the viewer writes from a senior staff chat or number. */
  isSenior(v: Viewer): boolean {
    if (v.console) return v.console.senior;
    // A Telegram group member's key is "<group id>:<user id>": the group or the person may be listed.
    const ids = new Set([v.chatId, v.userKey, v.userKey.split(':').pop() ?? '', v.phone ?? '']);
    return this.seniorStaff.some((t) => t.channel === v.channel && ids.has(t.chatId));
  }

  isReporter(c: Pick<ComplaintDoc, 'reporter'>, v: Viewer): boolean {
    return c.reporter.channel === v.channel && c.reporter.userKey === v.userKey;
  }

  /** May act as staff at all (status buttons, export). */
  isHandler(v: Viewer): boolean {
    return v.isStaff || this.isSenior(v);
  }

  /** May handle this ticket as staff. */
  canHandle(c: Pick<ComplaintDoc, 'identity'>, v: Viewer): boolean {
    return c.identity === 'rahasia' ? this.isSenior(v) : this.isHandler(v);
  }

  canSee(c: Pick<ComplaintDoc, 'identity' | 'reporter'>, v: Viewer): boolean {
    return this.isReporter(c, v) || this.canHandle(c, v);
  }

  /** Whether staff views may show who reported: never for `anonim`. */
  showsReporterTo(c: Pick<ComplaintDoc, 'identity' | 'reporter'>, v: Viewer): boolean {
    if (this.isReporter(c, v)) return true;
    return c.identity !== 'anonim' && this.canHandle(c, v);
  }
}
