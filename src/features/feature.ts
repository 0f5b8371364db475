/**
 * The shape of a feature (FAQ, complaints, forums): what src/features/<feature>.ts builds from the
 * configuration and the shared services, and app.ts runs: its flows, its scheduled jobs (a feature's
 * cron jobs live in its feature file and nowhere else), and its start and recovery hooks.
 */
import type { Connection } from 'mongoose';
import type { Flow } from '../core/flow.js';
import type { Channel } from '../core/messages.js';
import type { ScheduledJob } from '../jobs/scheduler.js';
import type { AppServices } from '../services.js';

/** What a feature module gets to build itself. */
export interface ModuleDeps extends AppServices {
  conn: Connection;
  /** The channels switched on (reminder lanes, staff destinations derive from them). */
  channels: Channel[];
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
