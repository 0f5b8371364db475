import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded-ferretdb.js';
import { testDatabaseUri } from '../support/test-app.js';

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('The service process', () => {
  it('exits with code 1 listing every configuration problem', async () => {
    const p = run({ PORT: 'abc', LOG_LEVEL: 'loud', WHATSAPP_TOKEN: 'x' });
    expect(await p.exited).toBe(1);
    for (const name of ['PORT', 'LOG_LEVEL', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET']) expect(p.output()).toContain(name);
  });

  it('starts, says what is enabled, serves /healthz, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const p = run({ PORT: String(port), MONGODB_URI: testDatabaseUri('proc'), LOG_LEVEL: 'info' });
    await until(() => p.output().includes('Sapa Gajahmungkur is running'), 30_000);
    expect(p.output()).toMatch(/telegram\s+off/);
    expect(p.output()).toMatch(/whatsapp\s+off/);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('stopped cleanly');
  }, 60_000);
});
