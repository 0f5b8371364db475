import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TelegramIngest } from '../../channels/telegram/ingest.js';
import { BadPayloadError, UnauthorizedWebhookError } from '../../core/errors.js';
import { parseJsonBody } from '../server.js';

function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `POST /webhooks/telegram`: checks Telegram's secret header, stores the update, answers 200. */
export function telegramWebhookRoute(deps: { secret: string | undefined; ingest: TelegramIngest }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/webhooks/telegram', async (req, reply) => {
      const header = req.headers['x-telegram-bot-api-secret-token'];
      if (!sameSecret(typeof header === 'string' ? header : undefined, deps.secret)) {
        throw new UnauthorizedWebhookError('missing or wrong X-Telegram-Bot-Api-Secret-Token');
      }
      const json = parseJsonBody(req.body);
      const r = await deps.ingest.receive(json);
      if (r === 'invalid') throw new BadPayloadError('not a Telegram update');
      return reply.code(200).send({ ok: true });
    });
  };
}
