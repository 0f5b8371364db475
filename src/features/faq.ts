/**
 * The applicants' FAQ feature: seeds the knowledge base from `flows/content/faq/`, keeps the
 * matching index in memory, and offers the resident and staff flows.
 */
import { createFaqFlow } from '../../flows/faq.js';
import { createFaqStaffFlow } from '../../flows/faq-staff.js';
import type { AppModule, ModuleDeps } from './feature.js';
import { loadFaqEntries } from '../domain/faq/load-content.js';
import { FaqService } from '../domain/faq/service.js';
import type { FaqStore } from '../domain/faq/store.js';
import { MongoFaqStore } from '../store/faq.js';
import { projectPath } from '../project-root.js';

export const FAQ_CONTENT_DIR = projectPath('flows/content/faq') + '/';

/** The FAQ module, with its service and storage port exposed for the console and tests. */
export type FaqModule = AppModule & { name: 'faq'; service: FaqService; store: FaqStore };

export function createFaqModule(deps: ModuleDeps, contentDir = FAQ_CONTENT_DIR): FaqModule {
  const store = new MongoFaqStore(deps.conn);
  const logger = deps.logger.child({ component: 'faq' });
  const service = new FaqService(store, logger, deps.clock);
  return {
    name: 'faq',
    service,
    store,
    flows: [createFaqFlow(service), createFaqStaffFlow(service)],
    jobs: [
      { name: 'faq-refresh-index', cron: '30 * * * * *', run: () => service.refreshIfChanged() },
      { name: 'faq-prune-asked', cron: '23 3 * * *', run: (now: Date) => service.pruneAsked(now) },
    ],
    async init() {
      await store.init();
      const entries = await loadFaqEntries(contentDir);
      const seeded = await service.seed(entries);
      logger.info({ files: contentDir, entries: entries.length, ...seeded }, 'faq content seeded');
      await service.reload();
    },
  };
}

/** Narrows an app module to the FAQ module (console, tests). */
export function isFaqModule(m: AppModule): m is FaqModule {
  return m.name === 'faq' && 'service' in m && 'store' in m;
}
