/**
 * The services bag flows receive in `ctx.services` (a feature's shape is in src/features/feature.ts).
 * Flows and domain services depend on these interfaces only, never on a platform.
 */
import type { Logger } from 'pino';
import type { MediaFetcher } from './core/media.js';
import type { Notifier } from './core/notifier.js';

/** Shared services available to every flow. */
export interface AppServices {
  logger: Logger;
  notifier: Notifier;
  media: MediaFetcher;
  /** The app clock (tests move it). */
  clock: () => Date;
  /** Display time zone (Asia/Jakarta). */
  tz: string;
}
