/**
 * The embedded FerretDB is supervised: killed, it is started again and the service is ready
 * without a manual step; and it never outlives a killed service.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded-ferretdb.js';
import { startHarness, type Harness } from '../support/test-app.js';
import { tgText } from '../support/payloads/telegram.js';

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Embedded FerretDB supervision', () => {
  const dirs: string[] = [];
  let db: EmbeddedDatabase | undefined;
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
    await db?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('starts FerretDB again after a kill -9, and the service is ready and answering without a manual step', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-supervise-'));
    dirs.push(dir);
    db = await startEmbeddedDatabase({ dataDir: dir });
    h = await startHarness({ dbUri: `${db.uri}/supervised` });
    await h.postTelegram(tgText({ userId: 5101, text: 'halo' }));
    await h.settle();
    expect(h.tg.sentTexts(5101)).toHaveLength(1);

    const first = db.pid!;
    process.kill(first, 'SIGKILL');
    await until(() => db!.restarts === 1 && db!.pid !== first, 20_000, 'FerretDB to be started again');
    await until(async () => (await h!.app.http.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 30_000, 'the service to be ready again');
    let res = await h.postTelegram(tgText({ userId: 5101, text: 'bantuan' }));
    for (let i = 0; i < 40 && res.statusCode !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      res = await h.postTelegram(tgText({ userId: 5101, text: 'bantuan' }));
    }
    expect(res.statusCode).toBe(200);
    await h.settle();
    expect(h.tg.sentTexts(5101).length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it.skipIf(process.platform !== 'linux')('does not let FerretDB outlive a service killed with kill -9', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-orphan-'));
    dirs.push(dir);
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await until(() => out.includes('Sapa Gajahmungkur is running'), 60_000, `the service to start:\n${out}`);
    const children = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number).filter((n) => n > 0);
    expect(children.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    await until(() => children.every((pid) => !alive(pid)), 10_000, 'FerretDB to die with the service');
  }, 90_000);
});
