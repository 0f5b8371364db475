/**
 * `npm run bench`: every benchmark, one after the other, printing its figures.
 * Sizes can be set with BENCH_MESSAGES (webhook, default 1000).
 */
import { benchFaq } from './faq.js';
import { benchFairness } from './fairness.js';
import { benchHotPath } from './hot-path.js';
import { benchWebhook } from './webhook.js';

type Bench = { name: string; run: () => Promise<Record<string, number | string>> };

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 1000);
  const benches: Bench[] = [
    { name: 'faq matching', run: benchFaq },
    { name: 'hot path (issue #11): flood vs minimal handler, steady 20 msg/s, commands per text, idle commands', run: benchHotPath },
    { name: `webhook → reply, flood (${messages} WhatsApp messages)`, run: () => benchWebhook(messages, Math.max(10, Math.round(messages / 10))) },
    { name: 'webhook → reply, steady 5 messages/s (150 messages)', run: () => benchWebhook(150, 30, 5) },
    { name: 'fairness: others\' reply latency while one chat sends 40 at once / one send hangs', run: benchFairness },
  ];
  try {
    const { benchForumFanout } = (await import('./forum-fanout.js')) as { benchForumFanout: (n: number) => ReturnType<Bench['run']> };
    // The size; about three minutes here with seeding. FANOUT_N=1000 npm run bench for a quick look.
    const n = Number(process.env['FANOUT_N'] ?? 10_000);
    benches.push({ name: `forum reminder fan-out (${n} registrants)`, run: () => benchForumFanout(n) });
  } catch (err) {
    console.log(`(forum fan-out benchmark not available: ${err instanceof Error ? err.message : String(err)})`);
  }
  for (const b of benches) {
    console.log(`\n== ${b.name}`);
    const figures = await b.run();
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(22)} ${v}`);
  }
  console.log(`\nnode ${process.version}, ${(await import('node:os')).cpus().length} cores`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
