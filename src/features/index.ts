/**
 * The feature modules the service runs. Each module owns its flows, models and jobs.
 */
import type { Config } from '../config.js';
import { createFaqModule } from './faq.js';
import { createComplaintsModule } from './complaints.js';
import { createForumsModule } from './forums.js';
import { createIkmModule } from './ikm.js';
import type { AppModule, ModuleDeps } from './feature.js';

export async function createModules(_config: Config, deps: ModuleDeps): Promise<AppModule[]> {
  // The satisfaction survey is offered after a complaint's rating (see src/features/ikm.ts).
  const ikm = await createIkmModule(_config, deps);
  return [createFaqModule(deps), createComplaintsModule(_config, deps, { afterRated: (ctx) => ikm.afterComplaintRated(ctx) }), createForumsModule(_config, deps), ikm];
}
