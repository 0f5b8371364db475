/**
 * Runs a program under test in its own process, as it runs in production, and watches it from the
 * outside (Linux /proc): resident memory sampled every 20 ms, its peak (VmHWM), and CPU time
 * (user + system), so figures are the program's own and not the load generator's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface WatchedProcess {
  readonly pid: number;
  /** Resident memory now, in bytes (0 when /proc is not available). */
  rss(): number;
  /** Highest resident memory since the process started, in bytes. */
  peakRss(): number;
  /** CPU time used so far (user + system), in milliseconds. */
  cpuMs(): number;
  /** Samples RSS every 20 ms until the returned function is called; it returns the peak seen. */
  samplePeak(): () => number;
  /** Its stdout and stderr so far (for error reports). */
  output(): string;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_S = 100;

function statusField(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // not Linux, or the process has ended: no figure rather than a wrong one
  }
}

/** Starts `node <args>` with `env`, and resolves once `ready()` says so (polled every 100 ms). */
export async function startWatched(args: string[], env: Record<string, string>, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<WatchedProcess> {
  const child: ChildProcess = spawn(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const pid = child.pid ?? 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${args.join(' ')} exited before it was ready:\n${out}`);
    if (await ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} not ready within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const watched: WatchedProcess = {
    pid,
    rss: () => statusField(pid, 'VmRSS'),
    peakRss: () => statusField(pid, 'VmHWM'),
    cpuMs: () => {
      try {
        // Fields after the command name: utime and stime are the 12th and 13th (clock ticks).
        const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLOCK_TICKS_PER_S;
      } catch {
        return NaN;
      }
    },
    samplePeak: () => {
      let peak = watched.rss();
      const timer = setInterval(() => (peak = Math.max(peak, watched.rss())), 20);
      return () => {
        clearInterval(timer);
        return Math.max(peak, watched.rss());
      };
    },
    output: () => out,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };
  return watched;
}

/** True when `url` answers 200. */
export async function answers200(url: string): Promise<boolean> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status === 200;
}
