/**
 * A platform redelivers a message while the same person's next message is being handled. The
 * redelivery must never be handled again (it used to sit in the inbox as `pending` for a moment,
 * where a running drain could pick it up and handle it a second time, out of order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/test-app.js';
import { waText, waWebhook } from '../support/payloads/whatsapp.js';

const ROUNDS = 200;

describe('Redelivery racing the next message', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it(`handles every message once and in order (${ROUNDS} rounds)`, async () => {
    const from = '6281700000001';
    const handled = () => h.logs.filter((l) => l['msg'] === 'inbound handled').map((l) => String(l['externalId']));
    const expected: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const first = waText({ from, text: round % 2 ? 'menu' : 'halo', id: `wamid.race-${round}-a` });
      const next = waText({ from, text: 'bantuan', id: `wamid.race-${round}-b` });
      expect((await h.postWhatsApp(waWebhook(first))).statusCode).toBe(200);
      await h.app.processor.idle();
      // The next message, and a redelivery of the first while the next is being handled (the
      // delay sweeps the handling time, so the redelivery lands at every point of it).
      const delay = (round * 7) % 60;
      const [a, b] = await Promise.all([
        h.postWhatsApp(waWebhook(next)),
        new Promise((r) => setTimeout(r, delay)).then(() => h.postWhatsApp(waWebhook(first))),
      ]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      await h.app.processor.idle();
      expected.push(`wamid.race-${round}-a`, `wamid.race-${round}-b`);
    }
    expect(handled()).toEqual(expected);
    expect(await h.app.store.inbox.countDocuments({})).toBe(0);
  }, 300_000);

  it('keeps the language a person chose when a redelivery of an earlier message races their next one', async () => {
    const from = '6281700000002';
    for (let round = 0; round < 20; round++) {
      const hello = waText({ from, text: 'halo', id: `wamid.lang-${round}-a` });
      await h.postWhatsApp(waWebhook(hello));
      await h.app.processor.idle();
      await h.postWhatsApp(waWebhook(waText({ from, text: 'english', id: `wamid.lang-${round}-b` })));
      await h.app.processor.idle();
      await Promise.all([
        h.postWhatsApp(waWebhook(waText({ from, text: 'menu', id: `wamid.lang-${round}-c` }))),
        new Promise((r) => setTimeout(r, (round * 7) % 60)).then(() => h.postWhatsApp(waWebhook(hello))),
      ]);
      await h.app.processor.idle();
      const contact = await h.app.store.contacts.findOne({ channel: 'whatsapp', userKey: from }).lean();
      expect(contact?.lang).toBe('en');
      await h.postWhatsApp(waWebhook(waText({ from, text: 'bahasa indonesia', id: `wamid.lang-${round}-d` })));
      await h.app.processor.idle();
    }
  }, 300_000);
});
