/**
 * Starts one FerretDB (SQLite backend) for the whole run; each test file uses its own database
 * on it (see test-app.ts). MONGODB_URI, when set, is used instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { defaultFerretdbBinary, startEmbeddedDatabase } from '../../src/db/embedded-ferretdb.js';
import { prepareUnderstandingModel } from '../../src/domain/understanding/module.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Every app a test starts loads the understanding model from the cache; train it once here.
  await prepareUnderstandingModel();
  const external = process.env['MONGODB_URI'];
  if (external) {
    project.provide('mongoUri', external.replace(/\/[^/?]*(\?.*)?$/, ''));
    return async () => {};
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sapa-test-db-'));
  const db = await startEmbeddedDatabase({
    dataDir: dir,
    binary: process.env['FERRETDB_BIN'] ?? defaultFerretdbBinary(process.env['XDG_CACHE_HOME'] || undefined),
  });
  project.provide('mongoUri', db.uri);
  return async () => {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
