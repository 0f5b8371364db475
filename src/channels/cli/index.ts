/** The local terminal chat as a channel: prints replies; the person at the terminal is staff. */
import type { EnabledChannel } from '../channel.js';
import { CliSender } from './cli-sender.js';

/** The user key (and chat id) of the person at the local chat. */
export const LOCAL_USER = 'local';

/** The local chat channel, printing to `output`. */
export function cliChannel(output: (line: string) => void): EnabledChannel {
  return {
    channel: 'cli',
    sender: new CliSender(output),
    staffTargets: [],
    // The README: the local user counts as staff, so every staff flow can be tried.
    isStaff: () => true,
    async connect() {},
  };
}
