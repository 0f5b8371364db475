/**
 * Scheduled work of the complaints feature, each a plain function of `now`:
 * escalation of tickets past their targets (and retry of failed staff alerts), the 07:00 staff
 * summary, and pruning of photos from drafts never sent.
 */
import type { Notifier } from '../../core/notifier.js';
import type { ScheduledJob } from '../../jobs/scheduler.js';
import { buildDailySummary } from './daily-summary.js';
import type { ComplaintMediaStore } from './media-store.js';
import type { ComplaintModel } from './models.js';
import type { ComplaintService } from './service.js';

/** Photos of unsent drafts are kept this long (a resident may come back to a draft). */
export const DRAFT_PHOTO_RETENTION_DAYS = 3;

export interface ComplaintJobDeps {
  service: ComplaintService;
  complaints: ComplaintModel;
  media: ComplaintMediaStore;
  notifier: Notifier;
  tz: string;
}

/** Sends the daily summary to staff. Idempotent per day (the outbox key holds the date). */
export async function sendDailySummary(deps: ComplaintJobDeps, now: Date): Promise<number> {
  const summary = await buildDailySummary(deps.complaints, now, deps.tz);
  if (!summary) return 0;
  return deps.notifier.toStaff([{ kind: 'text', text: summary.text }], summary.key);
}

export function complaintJobs(deps: ComplaintJobDeps): ScheduledJob[] {
  return [
    {
      name: 'complaint-targets',
      cron: '*/10 * * * *',
      run: async (now) => ({ escalated: await deps.service.escalateOverdue(now), alertsRetried: await deps.service.retryStaffAlerts(now) }),
    },
    { name: 'complaint-daily-summary', cron: '0 7 * * *', run: (now) => sendDailySummary(deps, now) },
    {
      name: 'complaint-draft-photos',
      cron: '23 3 * * *',
      run: (now) => deps.media.pruneUnattached(new Date(now.getTime() - DRAFT_PHOTO_RETENTION_DAYS * 86_400_000)),
    },
  ];
}
