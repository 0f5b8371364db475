/**
 * The yardstick of issue #11: the least a WhatsApp bot can do per message. Signature check on the
 * raw bytes, one `findOneAndUpdate` upsert by `_id`, one POST to the Graph API, then 200. Same
 * database and fake Graph API as the service, in the same run (see hot-path.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { verifyWhatsAppSignature } from '../src/channels/whatsapp/signature.js';

interface WaBody {
  entry?: Array<{ changes?: Array<{ value?: { messages?: Array<{ from: string; text?: { body?: string } }> } }> }>;
}

export interface MinimalHandler {
  url: string;
  close(): Promise<void>;
}

export async function startMinimalHandler(opts: { conn: Connection; appSecret: string; graphBase: string; phoneNumberId: string; token: string; port?: number }): Promise<MinimalHandler> {
  const people = opts.conn.db!.collection<{ _id: string; text: string; at: Date; n: number }>('bench_minimal_people');
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200).end('ok'); // readiness, for the bench that starts it as its own process
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const sig = req.headers['x-hub-signature-256'];
        if (!verifyWhatsAppSignature(raw, typeof sig === 'string' ? sig : undefined, opts.appSecret)) {
          res.writeHead(401).end();
          return;
        }
        const body = JSON.parse(raw.toString('utf8')) as WaBody;
        for (const e of body.entry ?? [])
          for (const c of e.changes ?? [])
            for (const m of c.value?.messages ?? []) {
              await people.findOneAndUpdate({ _id: m.from }, { $set: { text: m.text?.body ?? '', at: new Date() }, $inc: { n: 1 } }, { upsert: true });
              const r = await fetch(`${opts.graphBase}/${opts.phoneNumberId}/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
                body: JSON.stringify({ messaging_product: 'whatsapp', to: m.from, type: 'text', text: { body: 'Halo! Ada yang bisa kami bantu?' } }),
              });
              await r.arrayBuffer();
            }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      })().catch((err: unknown) => {
        console.error(err);
        res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
