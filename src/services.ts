/**
 * The services bag flows receive in `ctx.services`. Flows depend on these interfaces only.
 */
import type { Logger } from 'pino';

/** Domain services available to flows. */
export interface AppServices {
  logger: Logger;
}
