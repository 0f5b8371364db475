/**
 * node-cron schedules. Each tick calls a plain function; errors are logged, never thrown away.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { isDatabaseDown } from '../core/errors.js';

export interface ScheduledJob {
  name: string;
  /** node-cron expression (seconds field allowed). */
  cron: string;
  run(now: Date): Promise<unknown>;
}

export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger, private readonly tz: string) {}

  start(jobs: ScheduledJob[]): void {
    for (const job of jobs) {
      const task = cron.schedule(
        job.cron,
        () => {
          const p = job
            .run(new Date())
            .then((result) => this.logger.debug({ job: job.name, result }, 'job done'))
            .catch((err: unknown) => {
              if (isDatabaseDown(err)) this.logger.warn({ job: job.name }, 'job skipped: database unavailable');
              else this.logger.error({ job: job.name, err }, 'job failed');
            });
          this.running.add(p);
          void p.finally(() => this.running.delete(p));
        },
        { timezone: this.tz, noOverlap: true, name: job.name },
      );
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) await t.stop();
    await Promise.allSettled([...this.running]);
  }
}
