/**
 * A real browser for the staff console specs: Playwright (`playwright-core`, no browser download)
 * driving Debian's Chromium at /usr/bin/chromium, headless, with a fresh profile each launch.
 * `.ci/run` installs Chromium when it is missing.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Harness } from './test-app.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots of the main pages go (ignored by git), for a person to look at. */
export const ARTIFACTS = path.resolve('test/artifacts');

export interface ConsoleBrowser {
  /** `http://localhost:<port>` of the app under test. */
  base: string;
  context: BrowserContext;
  page: Page;
  /** Signs in through the form (after clearing cookies: a fresh visitor). */
  signIn(username: string, password: string): Promise<void>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the harness app's HTTP server on a free port and opens Chromium on it. */
export async function openConsoleBrowser(h: Harness): Promise<ConsoleBrowser> {
  await h.app.http.listen({ port: 0, host: '127.0.0.1' });
  const addr = h.app.http.server.address();
  if (!addr || typeof addr === 'string') throw new Error('app is not listening on a TCP port');
  const base = `http://localhost:${addr.port}`;
  const profile = mkdtempSync(path.join(tmpdir(), 'gjm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    base,
    context,
    page,
    async signIn(username, password) {
      await context.clearCookies();
      await page.goto(`${base}/console/login`);
      await page.fill('#username', username);
      await page.fill('#password', password);
      await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.click('button[type=submit]')]);
    },
    async screenshot(name) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
