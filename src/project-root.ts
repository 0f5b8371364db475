/**
 * The project's root folder (the one holding `package.json`), found by walking up from this
 * module. Why: the same code runs from `src/` (tsx, tests) and from `dist/src/` (the compiled
 * `npm start`), so content such as `flows/content/` must not be located by a fixed `../..`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('project root not found: no package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const PROJECT_ROOT = findRoot();

/** A path inside the project, e.g. `projectPath('flows/content/faq')`. */
export const projectPath = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
