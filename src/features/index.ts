/**
 * The feature modules the service runs. Each module owns its flows, models and jobs.
 */
import type { Config } from '../config.js';
import { createFaqModule } from './faq.js';
import { createComplaintsModule } from './complaints.js';
import { createForumsModule } from './forums.js';
import type { AppModule, ModuleDeps } from './feature.js';

export async function createModules(_config: Config, deps: ModuleDeps): Promise<AppModule[]> {
  return [createFaqModule(deps), createComplaintsModule(_config, deps), createForumsModule(_config, deps)];
}
