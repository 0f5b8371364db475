/**
 * Lets a benchmark file also be started on its own (`npx tsx bench/x.ts …`): when the file is the
 * one node was asked to run, runs the benchmark, prints its figures and exits (1 on an error).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function runAsScript(moduleUrl: string, run: (args: string[]) => Promise<Record<string, number | string>>): void {
  const started = process.argv[1];
  if (started === undefined || moduleUrl !== pathToFileURL(path.resolve(started)).href) return;
  run(process.argv.slice(2)).then(
    (figures) => {
      for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(22)} ${v}`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
