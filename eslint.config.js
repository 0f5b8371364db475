// @ts-check
/**
 * Lint: typescript-eslint's recommended rules plus the layer directions of src/README.md,
 * checked on resolved paths (import-x/no-restricted-paths) and for cycles (import-x/no-cycle):
 *
 *   http, channels → core → flows → domain → store
 *
 * - core/ (the engine, inbox, outbox, notifier) imports nothing from flows/, domain/, channels/,
 *   http/, features/ or app.ts: it owns its ports (sender, understander) and the others implement them.
 * - domain/ imports nothing from flows/, channels/, http/, features/, app.ts.
 * - flows/ talk to people through core's Flow interface and to domain services; never to a platform,
 *   a database model or the wiring.
 * - Platform libraries (telegraf, axios) only in src/channels/; `process.env` only in src/config.ts;
 *   mongoose only in the storage code (see MONGOOSE_ALLOWED).
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

/**
 * Where mongoose may be imported: the database connection (src/db), the storage implementations
 * (src/store, src/core/store) and the wiring that hands the connection to them (app.ts, features/).
 * Every concern is behind a port (src/README.md, "Storage ports").
 */
const MONGOOSE_ALLOWED = ['src/db/**', 'src/store/**', 'src/core/store/**', 'src/app.ts', 'src/features/**'];

/** Platform SDKs: only a channel knows them. */
const PLATFORM_LIBS = ['telegraf', 'telegraf/*', 'axios', 'axios/*'];

const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js'],
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x skips .ts files when it follows imports (no-cycle would see nothing).
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./src/core', ['./flows', './src/domain', './src/channels', './src/http', './src/features', './src/app.ts', './src/main.ts'], 'core/ is below channels and http and above flows and domain: it owns the ports they implement (see src/README.md).'),
            zone('./src/domain', ['./flows', './src/channels', './src/http', './src/features', './src/app.ts', './src/main.ts', './src/config.ts'], 'domain/ gets its settings and collaborators from src/features/; it never imports flows, channels, http or config.'),
            zone('./flows', ['./src/channels', './src/http', './src/features', './src/app.ts', './src/main.ts', './src/config.ts', './src/db', './src/store', './src/core/store'], 'flows talk to people through core and to domain services; never to a platform, a database or the wiring.'),
            zone('./src/channels', ['./src/app.ts', './src/main.ts', './src/features', './flows', './src/domain'], 'a channel parses and renders; it is listed by app.ts, not the other way round.'),
            zone('./src/store', ['./flows', './src/channels', './src/http', './src/features', './src/app.ts'], 'the store implements the ports of domain/ and core/; it never imports the layers above.'),
            zone('./src/store', './src/core', 'the store uses only the core\'s error helpers and storage code.', ['./errors.ts', './store', './messages.ts']),
          ],
        },
      ],
    },
  },
  {
    // The staff console's scripts run in the browser.
    files: ['src/http/console/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', console: 'readonly', fetch: 'readonly', URL: 'readonly', Blob: 'readonly', Chart: 'readonly', htmx: 'readonly' } },
  },
  {
    files: ['src/**/*.ts', 'flows/**/*.ts'],
    ignores: ['src/channels/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: PLATFORM_LIBS, message: 'Platform libraries live in src/channels/ only.' }] }],
    },
  },
  {
    files: ['src/**/*.ts', 'flows/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings in src/config.ts only and pass them down.' }],
    },
  },
  {
    files: ['src/**/*.ts', 'flows/**/*.ts'],
    ignores: MONGOOSE_ALLOWED,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['mongoose', 'mongoose/*', 'mongodb', 'mongodb/*'], message: 'Only the storage code knows mongoose; use a port (src/README.md).' }] }],
    },
  },
);
