/** Typed errors shared by the core. One handler each for HTTP and for the bot decides what users see. */

/** The database refused or could not be reached; callers answer 503 / retry later. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A webhook request that is not what the platform sends (bad JSON, wrong shape). */
export class BadPayloadError extends Error {
  override name = 'BadPayloadError';
}

/** Authentication of a webhook failed (bad signature / secret). */
export class UnauthorizedWebhookError extends Error {
  override name = 'UnauthorizedWebhookError';
}

/**
 * True for errors that mean "the database is not reachable right now". Only the database
 * driver's own errors count: a platform call refused (`ECONNREFUSED` from Telegram or WhatsApp) is
 * a send error, handled by the outbox's backoff, never a database outage.
 */
export function isDatabaseDown(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof StoreUnavailableError) return isDatabaseDown(err.cause);
  const name = err.name;
  if (!/^Mongo|^PoolCleared/.test(name)) return false;
  return (
    name === 'MongoServerSelectionError' ||
    name === 'MongoNetworkError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoTopologyClosedError' ||
    name === 'MongooseServerSelectionError' ||
    name === 'PoolClearedError' ||
    name === 'PoolClearedOnNetworkError' ||
    /connection .* closed|ECONNREFUSED|not connected|Client must be connected/i.test(err.message)
  );
}

/** Duplicate key (unique index) error from MongoDB / FerretDB. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code?: unknown }).code === 11000;
}
