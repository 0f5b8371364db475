/**
 * The local chat: reads lines from the terminal and feeds them to the same engine as the
 * platforms, as the `cli` channel.
 */
import readline from 'node:readline';
import type { Logger } from 'pino';

/** What the local chat needs of the service: feed a typed line, log a failure. */
export interface LocalChatTarget {
  /** Handles one line typed by the local user and prints the replies. */
  sendLocal(text: string): Promise<void>;
  logger: Pick<Logger, 'error'>;
}

export function startLocalChat(app: LocalChatTarget, onClose: () => void): void {
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
