/**
 * A crash between a send and its record. The platforms take no idempotency key, so the reply in
 * doubt is sent again after the restart (at least once); what must not happen is the person's
 * next replies waiting behind it for the claim's full minute.
 */
import { spawn } from 'node:child_process';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded-ferretdb.js';
import { startFakeWhatsApp } from '../support/fake-whatsapp.js';
import { signWhatsApp, waText, waWebhook } from '../support/payloads/whatsapp.js';
import { startHarness, testDatabaseUri, WA_APP_SECRET, WA_PHONE_NUMBER_ID, WA_VERIFY_TOKEN, type Harness } from '../support/test-app.js';

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('A crash between a send and its record', () => {
  let h: Harness | undefined;
  afterAll(async () => h?.close());

  it('sends the reply in doubt again after the restart and holds the person\'s next replies only a few seconds', async () => {
    const dbUri = testDatabaseUri('crash');
    const wa = await startFakeWhatsApp({ phoneNumberId: WA_PHONE_NUMBER_ID });
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: dbUri,
        WHATSAPP_TOKEN: wa.token,
        WHATSAPP_PHONE_NUMBER_ID: WA_PHONE_NUMBER_ID,
        WHATSAPP_APP_SECRET: WA_APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: WA_VERIFY_TOKEN,
        WHATSAPP_API_BASE: wa.baseUrl,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200, 60_000, `the service to start:\n${out}`);
      const from = '6281800000001';
      // The platform takes the reply, and the service dies before it hears back.
      wa.hangNext(1, { to: from, deliver: true });
      const raw = JSON.stringify(waWebhook(waText({ from, text: 'halo' })));
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsApp(raw, WA_APP_SECRET) },
        body: raw,
      });
      expect(res.status).toBe(200);
      await until(() => wa.hung.length === 1, 30_000, 'the send to reach the platform');
      // Killed once the message is handled (its conversation lease released): what is measured is
      // the outbox, not the 30 s lease of a conversation cut short.
      const conn = await mongoose.createConnection(dbUri).asPromise();
      try {
        await until(async () => (await conn.collection('leases').countDocuments({ _id: { $regex: '^conv:' } } as Record<string, unknown>)) === 0, 30_000, 'the conversation lease to be released');
      } finally {
        await conn.close();
      }
      child.kill('SIGKILL');
      await exited;
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await wa.close();
    }

    // The restart (a new instance on the same database) and the person writes again at once.
    // Real time here: the crashed process stored real times, which a test clock could lag behind.
    h = await startHarness({ dbUri, appOptions: { clock: () => new Date() } });
    const restarted = Date.now();
    await h.app.start();
    h.app.outbox.start(200);
    const from = '6281800000001';
    await h.postWhatsApp(waWebhook(waText({ from, text: 'menu' })));
    await until(() => h!.wa.sentTo(from).length >= 2, 30_000, 'the reply in doubt and the next reply').catch(async (e: unknown) => {
      console.log(JSON.stringify(h!.logs.filter((l) => (l['level'] as number) >= 40).slice(0, 20), null, 1));
      console.log(JSON.stringify(await h!.app.store.outbox.find({}).lean()), JSON.stringify(await h!.app.store.outboxClaims.find({}).lean()), JSON.stringify(await h!.app.store.leases.find({}).lean()), JSON.stringify(await h!.app.store.inbox.find({}).lean()));
      throw e;
    });
    const heldMs = Date.now() - restarted;
    if (heldMs > 15_000) console.log(JSON.stringify(h.logs.map((l) => [Number(l['time']) - restarted, l['msg'], l['key'] ?? l['latencyMs']]).concat(h.wa.messages.map((m) => [m.at - restarted, 'wa sent', m.to]))));
    // Seconds (the dead process's heartbeat running out), not the claim's minute.
    expect(heldMs).toBeLessThan(15_000);
    // The reply in doubt went out again (at least once), before the next one.
    const texts = h.wa.sentTexts(from);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(h.logs.some((l) => l['msg'] === 'send attempt in doubt (its process died or it ended abnormally); sending again')).toBe(true);
    console.log(`crash window: next reply after ${heldMs} ms`);
  }, 120_000);
});
