/**
 * Counts the database commands a process sends, from the outside: a TCP proxy between it and the
 * database that reads the MongoDB wire protocol (OP_MSG: the first key of the section-0 document is
 * the command's name) and forwards every byte unchanged. The service under test runs in its own
 * process (as `npm start` runs it), so the count includes everything it sends — its background
 * work included — without a hook in the service.
 *
 * The drivers' connection handshakes and server-monitoring heartbeats (`hello`, `isMaster`) are not
 * commands of the application and are not counted (the driver's command monitoring leaves them out
 * too).
 */
import net from 'node:net';
import mongoose from 'mongoose';
import type { AddressInfo } from 'node:net';

const OP_MSG = 2013;
const NOT_COUNTED = new Set(['hello', 'ismaster', 'isMaster']);

/** Time the database took to answer, per command name: count and summed milliseconds. */
export type CommandTimes = Record<string, { n: number; ms: number }>;

export interface WireCounter {
  /** `mongodb://127.0.0.1:<port>` of the proxy. */
  uri: string;
  snapshot(): CommandCounts;
  /** Request → reply time of the counted commands since the last reset. */
  times(): CommandTimes;
  /**
   * The same per command shape — name, collection and the filter's fields, e.g.
   * `update sessions {_id,version}` — to see which statements cost (FerretDB answers only a lone
   * `_id` equality from its primary key). Since the last reset.
   */
  shapes(): CommandTimes;
  reset(): void;
  close(): Promise<void>;
}

/** Commands sent, in all and by name. */
export interface CommandCounts {
  total: number;
  byName: Record<string, number>;
}

/** `find 3, insert 2` (per `per` messages). */
export const formatCounts = (c: CommandCounts, per = 1): string =>
  Object.entries(c.byName)
    .map(([k, v]) => `${k} ${Math.round((v / per) * 100) / 100}`)
    .join(', ');

type Doc = Record<string, unknown>;

/** `find outbound_messages {channel,chatId}`: a command's name, collection and filter fields. */
function shapeOf(name: string, msg: Buffer): string {
  const body = mongoose.mongo.BSON.deserialize(msg.subarray(21, 21 + msg.readInt32LE(21))) as Doc;
  const statements = (body['updates'] ?? body['deletes'] ?? body['documents']) as Doc[] | undefined;
  const filter = (body['filter'] ?? body['query'] ?? statements?.[0]?.['q']) as Doc | undefined;
  const fields = Object.entries(filter ?? {}).map(([k, v]) => {
    const op = v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) ? Object.keys(v)[0] : undefined;
    return op?.startsWith('$') ? `${k}:${op}` : k;
  });
  return `${name} ${String(body[name])} {${fields.join(',')}}${statements && statements.length > 1 ? ' ×n' : ''}`;
}

/** The command name of one complete wire message, if it is an OP_MSG with a body section first. */
export function commandNameOf(msg: Buffer): string | undefined {
  if (msg.length < 27 || msg.readInt32LE(12) !== OP_MSG || msg[20] !== 0) return undefined;
  // Section 0: int32 document length, then the first element: type byte, name as a C string.
  const nameStart = 26;
  const nameEnd = msg.indexOf(0, nameStart);
  return nameEnd > nameStart ? msg.toString('utf8', nameStart, nameEnd) : undefined;
}

/** Starts a counting proxy in front of `upstream` (`host:port`). */
export async function startWireCounter(upstream: { host: string; port: number }): Promise<WireCounter> {
  let counts = new Map<string, number>();
  let times = new Map<string, { n: number; ms: number }>();
  let shapes = new Map<string, { n: number; ms: number }>();
  const add = (m: Map<string, { n: number; ms: number }>, k: string, ms: number) => {
    const t = m.get(k) ?? { n: 0, ms: 0 };
    t.n += 1;
    t.ms += ms;
    m.set(k, t);
  };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const db = net.connect(upstream.port, upstream.host);
    sockets.add(client).add(db);
    // Request id → command name and when it was sent, to time the reply (`responseTo`).
    const asked = new Map<number, { name: string; shape: string; at: number }>();
    const frames = (onFrame: (msg: Buffer) => void) => {
      let pending: Buffer = Buffer.alloc(0);
      return (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        while (pending.length >= 16) {
          const len = pending.readInt32LE(0);
          if (pending.length < len) break;
          onFrame(pending.subarray(0, len));
          pending = pending.subarray(len);
        }
      };
    };
    const fromClient = frames((msg) => {
      const name = commandNameOf(msg);
      if (name === undefined || NOT_COUNTED.has(name)) return;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      asked.set(msg.readInt32LE(4), { name, shape: shapeOf(name, msg), at: performance.now() });
    });
    const fromDb = frames((msg) => {
      const q = asked.get(msg.readInt32LE(8));
      if (!q) return;
      asked.delete(msg.readInt32LE(8));
      const ms = performance.now() - q.at;
      add(times, q.name, ms);
      add(shapes, q.shape, ms);
    });
    client.on('data', (chunk: Buffer) => {
      db.write(chunk);
      fromClient(chunk);
    });
    db.on('data', (chunk: Buffer) => {
      client.write(chunk);
      fromDb(chunk);
    });
    const end = () => {
      client.destroy();
      db.destroy();
      sockets.delete(client);
      sockets.delete(db);
    };
    client.on('close', end).on('error', end);
    db.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    snapshot: () => ({
      total: [...counts.values()].reduce((a, b) => a + b, 0),
      byName: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])),
    }),
    times: () => Object.fromEntries([...times].sort((a, b) => b[1].ms - a[1].ms)),
    shapes: () => Object.fromEntries([...shapes].sort((a, b) => b[1].ms - a[1].ms)),
    reset: () => {
      counts = new Map();
      times = new Map();
      shapes = new Map();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
