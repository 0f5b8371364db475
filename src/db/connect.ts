import mongoose, { type Connection } from 'mongoose';

/**
 * Opens a mongoose connection that fails fast instead of buffering when the database is down,
 * so a webhook can answer 503 (and the platform retries) rather than hang.
 */
export async function connectDatabase(uri: string): Promise<Connection> {
  // A URI without a database path uses ours rather than the driver's "test".
  const hasDb = /^mongodb(\+srv)?:\/\/[^/]+\/[^?/]+/.test(uri);
  const conn = mongoose.createConnection(uri, {
    ...(hasDb ? {} : { dbName: 'sapa_gajahmungkur' }),
    serverSelectionTimeoutMS: 3000,
    socketTimeoutMS: 20_000,
    heartbeatFrequencyMS: 2000,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    // Command events, for specs that check which commands a path sends (e.g. the outbox's sole
    // writer); without a listener the driver only builds a small event object per command.
    monitorCommands: true,
  });
  await conn.asPromise();
  return conn;
}

/** True when the database answers a ping. */
export async function pingDatabase(conn: Connection): Promise<boolean> {
  try {
    const db = conn.db;
    if (!db) return false;
    await db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}
