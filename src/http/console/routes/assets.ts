/**
 * The console's static files, served by this service: its stylesheet and script (from this
 * folder's `assets/`), htmx and Chart.js (from the installed `htmx.org` and `chart.js` packages).
 * Nothing from a CDN.
 * Read once at start; a missing file stops the start (better than a page without its script).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { projectPath } from '../../../project-root.js';

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

export function assetRoutes(app: FastifyInstance): void {
  const require = createRequire(import.meta.url);
  const files = new Map<string, Buffer>([
    ['console.css', readFileSync(projectPath('src/http/console/assets/console.css'))],
    ['console.js', readFileSync(projectPath('src/http/console/assets/console.js'))],
    ['htmx.min.js', readFileSync(require.resolve('htmx.org/dist/htmx.min.js'))],
    // Chart.js exports no subpath for its browser bundle: it sits next to the package's main file.
    ['chart.umd.min.js', readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'))],
    ['dashboard.js', readFileSync(projectPath('src/http/console/assets/dashboard.js'))],
  ]);
  app.get<{ Params: { name: string } }>('/assets/:name', { config: { role: 'public' } }, (req, reply) => {
    const body = files.get(req.params.name);
    if (!body) return reply.code(404).type('text/plain; charset=utf-8').send('Tidak ditemukan');
    const ext = req.params.name.split('.').pop() ?? '';
    return reply.type(TYPES[ext] ?? 'application/octet-stream').header('cache-control', 'public, max-age=3600').send(body);
  });
}
