/**
 * Starts FerretDB v1.24.2 with its SQLite backend as a child process on a free loopback port.
 * Used by `npm start` when MONGODB_URI is unset, and by the test suite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

export const FERRETDB_VERSION = 'v1.24.2';

/** A running embedded database. */
export interface EmbeddedDatabase {
  /** Connection string without a database name, e.g. `mongodb://127.0.0.1:41234`. */
  uri: string;
  port: number;
  dataDir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

const projectRoot = PROJECT_ROOT;

/** Where the build script caches the binary, under the user's cache folder. */
export function defaultFerretdbBinary(cacheHome: string = path.join(os.homedir(), '.cache')): string {
  return path.join(cacheHome, 'sapa-gajahmungkur', `ferretdb-${FERRETDB_VERSION}`);
}

/** Returns the FerretDB binary, building it once (scripts/build-ferretdb.sh) when absent. */
export function ensureFerretdbBinary(explicit?: string): string {
  const bin = explicit ?? defaultFerretdbBinary();
  if (existsSync(bin)) return bin;
  const r = spawnSync('bash', [path.join(projectRoot, 'scripts/build-ferretdb.sh'), bin], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !existsSync(bin)) {
    throw new EmbeddedDatabaseError(`could not build FerretDB (exit ${r.status}); install Go or set MONGODB_URI`);
  }
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Options for {@link startEmbeddedDatabase}. */
export interface EmbeddedDatabaseOptions {
  /** Folder for the SQLite files (created when missing). */
  dataDir: string;
  /** Binary path; default: the cached build, built on first use. */
  binary?: string;
  /** Port; default: a free one. */
  port?: number;
  /** Called with FerretDB's own log lines (warnings and errors only). */
  onLog?: (line: string) => void;
}

export async function startEmbeddedDatabase(opts: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const bin = ensureFerretdbBinary(opts.binary);
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin,
    [
      '--handler=sqlite',
      // WAL with synchronous=NORMAL: commits do not wait for fsync, so writes stop queueing behind
      // the disk. A crash of this process or of the service loses nothing; only a power cut may
      // lose the last moments (MongoDB is the production database).
      `--sqlite-url=file:${dataDir}/?_pragma=synchronous(NORMAL)`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
      '--log-format=json',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let exited = false;
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    for (const line of chunk.split('\n')) if (line.trim()) opts.onLog?.(line);
  });
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });

  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (exited) throw new EmbeddedDatabaseError(`FerretDB exited at start-up: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new EmbeddedDatabaseError('FerretDB did not start listening within 15 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  let stopping: Promise<void> | undefined;
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    port,
    dataDir,
    stop() {
      stopping ??= (async () => {
        if (exited) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
