import type { FastifyInstance } from 'fastify';

/** `/healthz`: the process is alive. `/readyz`: it can take traffic (database reachable, not stopping). */
export function healthRoutes(deps: { isReady: () => Promise<boolean> }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) => {
      const ready = await deps.isReady();
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable' });
    });
  };
}
