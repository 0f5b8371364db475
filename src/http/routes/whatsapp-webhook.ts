import type { FastifyInstance } from 'fastify';
import type { WhatsAppIngest } from '../../channels/whatsapp/ingest.js';
import { secretsEqual, verifyWhatsAppSignature } from '../../channels/whatsapp/signature.js';
import { BadPayloadError, UnauthorizedWebhookError } from '../../core/errors.js';
import { parseJsonBody } from '../server.js';

/**
 * `GET /webhooks/whatsapp`: Meta's verification handshake.
 * `POST /webhooks/whatsapp`: signature check on the raw bytes, then store and answer 200.
 */
export function whatsappWebhookRoutes(deps: { verifyToken: string; appSecret: string; ingest: WhatsAppIngest }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/webhooks/whatsapp', async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      if (q['hub.mode'] === 'subscribe' && typeof q['hub.verify_token'] === 'string' && secretsEqual(q['hub.verify_token'], deps.verifyToken) && q['hub.challenge']) {
        return reply.code(200).type('text/plain').send(q['hub.challenge']);
      }
      req.log.warn({ mode: q['hub.mode'] }, 'whatsapp verification refused');
      return reply.code(403).send({ error: 'verification failed' });
    });

    app.post('/webhooks/whatsapp', async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const sig = req.headers['x-hub-signature-256'];
      if (!verifyWhatsAppSignature(raw, typeof sig === 'string' ? sig : undefined, deps.appSecret)) {
        throw new UnauthorizedWebhookError('missing or wrong X-Hub-Signature-256');
      }
      const json = parseJsonBody(req.body);
      const r = await deps.ingest.receive(json);
      if (r === 'invalid') throw new BadPayloadError('not a WhatsApp webhook body');
      return reply.code(200).send({ ok: true });
    });
  };
}
