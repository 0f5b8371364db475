/**
 * The minimal handler as its own process (`node --import tsx bench/minimal-handler-main.ts`), so
 * the hot-path bench compares two processes on equal terms. Settings from the environment:
 * MONGODB_URI, PORT, APP_SECRET, GRAPH_BASE, PHONE_NUMBER_ID, TOKEN.
 */
import { connectDatabase } from '../src/db/connect.js';
import { startMinimalHandler } from './minimal-handler.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const conn = await connectDatabase(env('MONGODB_URI'));
const handler = await startMinimalHandler({ conn, appSecret: env('APP_SECRET'), graphBase: env('GRAPH_BASE'), phoneNumberId: env('PHONE_NUMBER_ID'), token: env('TOKEN'), port: Number(env('PORT')) });
process.on('SIGTERM', () => {
  void handler.close().then(() => conn.close()).then(() => process.exit(0));
});
