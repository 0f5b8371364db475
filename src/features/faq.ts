/**
 * The applicants' FAQ feature: seeds the knowledge base from `flows/content/faq/`, keeps the
 * matching index in memory, and offers the resident and staff flows.
 */
import { createFaqFlow } from '../../flows/faq.js';
import { createFaqStaffFlow } from '../../flows/faq-staff.js';
import type { AppModule, ModuleDeps } from './feature.js';
import { loadFaqEntries } from '../domain/faq/load-content.js';
import { FaqService } from '../domain/faq/service.js';
import { MongoFaqStore } from '../store/faq.js';
import { projectPath } from '../project-root.js';

export const FAQ_CONTENT_DIR = projectPath('flows/content/faq') + '/';

export function createFaqModule(deps: ModuleDeps, contentDir = FAQ_CONTENT_DIR): AppModule & { service: FaqService } {
  const store = new MongoFaqStore(deps.conn);
  const logger = deps.logger.child({ component: 'faq' });
  const service = new FaqService(store, logger, deps.clock);
  return {
    name: 'faq',
    service,
    flows: [createFaqFlow(service), createFaqStaffFlow(service)],
    jobs: [{ name: 'faq-refresh-index', cron: '30 * * * * *', run: () => service.refreshIfChanged() }],
    async init() {
      await store.init();
      const entries = await loadFaqEntries(contentDir);
      const seeded = await service.seed(entries);
      logger.info({ files: contentDir, entries: entries.length, ...seeded }, 'faq content seeded');
      await service.reload();
    },
  };
}
