/**
 * How a reminder attempt's outcome is judged once the outbox has finished with it: which
 * failures are final (a blocked contact, a closed WhatsApp window, a refused message) and which
 * are worth another attempt later.
 */

/** Outbox error codes after which another attempt cannot succeed. */
const FINAL: Record<string, string> = {
  '403': 'blocked', // Telegram: bot was blocked by the user
  blocked: 'blocked', // outbox: cancelled because the person blocked the bot
  '131047': 'outside-window', // WhatsApp: more than 24 hours since the person wrote
  '131026': 'undeliverable', // WhatsApp: not on WhatsApp / cannot receive
  '131051': 'rejected',
  '131009': 'rejected', // a parameter over its limit
  '131008': 'rejected',
  '100': 'rejected',
  '190': 'rejected', // access token expired: retrying does not fix it
  '400': 'rejected',
  '401': 'rejected',
  '404': 'rejected',
  'no-channel': 'rejected',
  'callback-data-too-long': 'rejected',
};

/** Final outcome name for a failure code, or undefined when a later attempt may succeed. */
export function finalFailure(code: string | undefined): string | undefined {
  return code === undefined ? undefined : FINAL[code];
}

/** Delay before attempt `attempts + 1`: 5, 10, 20, 40 … minutes, at most 2 hours. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 2 * 3_600_000);
}
