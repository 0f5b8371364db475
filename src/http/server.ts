/**
 * The HTTP server: webhooks and health checks. One plugin per route file; one error handler.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BadPayloadError, isDatabaseDown, StoreUnavailableError, UnauthorizedWebhookError } from '../core/errors.js';

/** Meta documents webhook payloads of up to 3 MB; Telegram's are far smaller. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function createHttpServer(logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    // One line per inbound message is logged by the inbox; per-request lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    return503OnClosing: true,
  });

  // Webhook bodies are kept as raw bytes: WhatsApp signatures are over the exact bytes received.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, req, reply) => {
    const e = err as Error & { statusCode?: number; code?: string };
    const ctx = { method: req.method, url: req.url.split('?')[0], err: e.message };
    if (e instanceof UnauthorizedWebhookError) {
      req.log.warn(ctx, 'webhook refused: authentication failed');
      return reply.code(401).send({ error: 'unauthorized' });
    }
    if (e instanceof BadPayloadError) {
      req.log.warn(ctx, 'webhook refused: bad payload');
      return reply.code(400).send({ error: 'bad request', detail: e.message });
    }
    if (e instanceof StoreUnavailableError || isDatabaseDown(e)) {
      req.log.error(ctx, 'database unavailable; asking the platform to retry');
      return reply.code(503).header('retry-after', '5').send({ error: 'temporarily unavailable' });
    }
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      req.log.warn(ctx, 'request body too large');
      return reply.code(413).send({ error: 'payload too large' });
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      req.log.warn(ctx, 'client error');
      return reply.code(e.statusCode).send({ error: e.message });
    }
    req.log.error({ ...ctx, stack: e.stack }, 'unhandled error');
    return reply.code(500).send({ error: 'internal error' });
  });

  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not found', path: req.url.split('?')[0] }));
  return app;
}

/** Parses a raw JSON body or throws {@link BadPayloadError}. */
export function parseJsonBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new BadPayloadError('empty body');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new BadPayloadError('body is not valid JSON');
  }
}
