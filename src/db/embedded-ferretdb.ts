/**
 * Starts FerretDB v1.24.2 with its SQLite backend as a child process on a free loopback port.
 * Used by `npm start` when MONGODB_URI is unset, and by the test suite.
 *
 * Supervised: if FerretDB dies, it is started again on the same port with backoff (the database
 * driver reconnects by itself), and on Linux it is started with a parent-death signal, so a
 * `kill -9` of the service takes FerretDB with it instead of leaving it holding the port and files.
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
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and its supervision. Idempotent. */
  stop(): Promise<void>;
  /** Times FerretDB was started again after dying. */
  readonly restarts: number;
  /** The current FerretDB process id (tests kill it to check the supervision). */
  readonly pid: number | undefined;
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
  /** Told when FerretDB died and when it is started again (for the service log). */
  onRestart?: (event: { exitCode: number | null; signal: string | null; restarts: number; delayMs: number }) => void;
}

/** `setpriv --pdeathsig` (util-linux) when present: the child gets SIGKILL when its parent dies. */
function deathSignalWrapper(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  for (const p of ['/usr/bin/setpriv', '/bin/setpriv']) if (existsSync(p)) return p;
  return undefined;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  hasExited: () => boolean;
  stderr: () => string;
}

function spawnFerretdb(bin: string, dataDir: string, port: number, onLog?: (line: string) => void): Running {
  const args = [
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
  ];
  const wrapper = deathSignalWrapper();
  // setpriv sets the parent-death signal, then execs FerretDB (same pid): signals reach it directly.
  const child: ChildProcess = wrapper
    ? spawn(wrapper, ['--pdeathsig', 'SIGKILL', '--', bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = false;
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    for (const line of chunk.split('\n')) if (line.trim()) onLog?.(line);
  });
  const exitedP = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  return { child, exited: exitedP, hasExited: () => exited, stderr: () => stderr };
}

async function waitListening(run: Running, port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (run.hasExited()) throw new EmbeddedDatabaseError(`FerretDB exited at start-up: ${run.stderr().trim()}`);
    if (Date.now() > deadline) {
      run.child.kill('SIGKILL');
      throw new EmbeddedDatabaseError('FerretDB did not start listening within 15 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Restart backoff: 0.5 s doubling to 30 s; back to 0.5 s after a minute of running. */
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const STABLE_MS = 60_000;

export async function startEmbeddedDatabase(opts: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const bin = ensureFerretdbBinary(opts.binary);
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  let run = spawnFerretdb(bin, dataDir, port, opts.onLog);
  await waitListening(run, port);

  let stopping: Promise<void> | undefined;
  let restarts = 0;
  let delay = BACKOFF_FIRST_MS;
  let startedAt = Date.now();
  let retryTimer: NodeJS.Timeout | undefined;

  // Why a loop of exit handlers rather than a retry inside the spawn: each process gets its own
  // watcher; a restart that fails to listen is treated like another death (with a longer delay).
  const supervise = (current: Running): void => {
    void current.exited.then(() => {
      if (stopping) return;
      if (Date.now() - startedAt > STABLE_MS) delay = BACKOFF_FIRST_MS;
      const wait = delay;
      delay = Math.min(delay * 2, BACKOFF_MAX_MS);
      opts.onRestart?.({ exitCode: current.child.exitCode, signal: current.child.signalCode, restarts: restarts + 1, delayMs: wait });
      retryTimer = setTimeout(() => {
        if (stopping) return;
        restarts++;
        startedAt = Date.now();
        run = spawnFerretdb(bin, dataDir, port, opts.onLog);
        supervise(run);
        waitListening(run, port).catch((err: unknown) => opts.onLog?.(`restart failed: ${err instanceof Error ? err.message : String(err)}`));
      }, wait);
      retryTimer.unref();
    });
  };
  supervise(run);

  return {
    uri: `mongodb://127.0.0.1:${port}`,
    port,
    dataDir,
    get restarts() {
      return restarts;
    },
    get pid() {
      return run.child.pid;
    },
    stop() {
      stopping ??= (async () => {
        if (retryTimer) clearTimeout(retryTimer);
        const current = run;
        if (current.hasExited()) return;
        current.child.kill('SIGTERM');
        const timer = setTimeout(() => current.child.kill('SIGKILL'), 5000);
        await current.exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
