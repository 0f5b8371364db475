/**
 * Scheduled work of the complaints feature, each a plain function of `now` (scheduled in
 * src/features/complaints.ts):
 * escalation of tickets past their targets (and retry of failed staff alerts), the 07:00 staff
 * summary, and pruning of photos from drafts never sent.
 */
import type { Notifier } from '../../core/notifier.js';
import { buildDailySummary } from './daily-summary.js';
import type { ComplaintMediaStore } from './media-store.js';
import type { ComplaintStore } from './store.js';

/** Photos of unsent drafts are kept this long (a resident may come back to a draft). */
export const DRAFT_PHOTO_RETENTION_DAYS = 3;

export interface ComplaintJobDeps {
  store: ComplaintStore;
  media: ComplaintMediaStore;
  notifier: Notifier;
  tz: string;
}

/** Sends the daily summary to staff. Idempotent per day (the outbox key holds the date). */
export async function sendDailySummary(deps: ComplaintJobDeps, now: Date): Promise<number> {
  const summary = await buildDailySummary(deps.store, now, deps.tz);
  if (!summary) return 0;
  return deps.notifier.toStaff([{ kind: 'text', text: summary.text }], summary.key);
}

/** Removes photos of drafts never sent, older than {@link DRAFT_PHOTO_RETENTION_DAYS}. */
export function pruneDraftPhotos(media: ComplaintMediaStore, now: Date): Promise<number> {
  return media.pruneUnattached(new Date(now.getTime() - DRAFT_PHOTO_RETENTION_DAYS * 86_400_000));
}
