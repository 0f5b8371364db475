/**
 * The local chat: reads lines from the terminal and feeds them to the same engine as the
 * platforms, as the `cli` channel.
 */
import readline from 'node:readline';
import type { App } from '../../app.js';

export function startLocalChat(app: App, onClose: () => void): void {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: 'anda> ' });
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    const text = line.trim();
    if (!text) return rl.prompt();
    // One line at a time, in order.
    queue = queue
      .then(() => app.sendLocal(text))
      .catch((err: unknown) => app.logger.error({ err }, 'local chat message failed'))
      .then(() => rl.prompt());
  });
  rl.on('close', onClose);
  void app.sendLocal('/start').then(() => rl.prompt());
}
