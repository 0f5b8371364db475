/**
 * The services bag flows receive in `ctx.services`, and the shape of a feature module.
 * Flows and domain services depend on these interfaces only, never on a platform.
 */
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Flow } from './core/flow.js';
import type { MediaFetcher } from './core/media.js';
import type { Notifier } from './core/notifier.js';
import type { ScheduledJob } from './jobs/scheduler.js';

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

/** What a feature module gets to build itself. */
export interface ModuleDeps extends AppServices {
  conn: Connection;
}

/**
 * A feature (FAQ, complaints, forums): its flows, its scheduled jobs, and a start hook
 * (indexes, seeding). Built by a `createXModule(deps)` factory and registered in app.ts.
 */
export interface AppModule {
  name: string;
  flows: Flow<AppServices>[];
  jobs?: ScheduledJob[];
  /** Runs once at start-up before traffic (create indexes, load content). */
  init?(): Promise<void>;
  /** Runs once after start-up and on restart: catch up on overdue work (e.g. reminders). */
  recover?(now: Date): Promise<void>;
}
