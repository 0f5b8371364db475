/**
 * One service per embedded data folder: two FerretDB processes on the same SQLite files would
 * corrupt each other. A pid file says who owns the folder; a stale one (dead pid) is taken over.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock or throws {@link DataDirLockedError}; returns the release function. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'service.pid');
  let owner = NaN;
  try {
    owner = Number(readFileSync(file, 'utf8').trim());
  } catch {
    // no lock file: free
  }
  if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
    throw new DataDirLockedError(`another Sapa Gajahmungkur process (pid ${owner}) is using ${dir}; stop it or set DATA_DIR`);
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
