/**
 * `npm run console:admin -- <command>`: manage staff console accounts from the command line.
 * The first admin is created here; an admin adds the others on the console's Akun page.
 *
 *   create   --username <u> --name "<full name>" [--role admin|head|senior|staff] [--link telegram:<id>|whatsapp:<number>]
 *   password --username <u>      set a new password (e.g. a locked-out or forgotten admin)
 *   unlock   --username <u>      lift a lock-out after wrong passwords
 *   list                         accounts, roles, links
 *
 * The password is read from standard input (hidden when typed in a terminal; one line when piped).
 * Uses MONGODB_URI, or the embedded database in DATA_DIR (stop the service first: the data folder
 * is locked while it runs). Every change is written to the console's audit log as done `cli`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { loadConfig, loadDotEnv, type Config } from './config.js';
import { connectDatabase } from './db/connect.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded-ferretdb.js';
import { contactModel } from './core/store/contacts.js';
import { accountSnapshot } from './http/console/accounts/account-service.js';
import { createConsoleContext } from './http/console/index.js';
import { parseLink } from './http/console/routes/accounts.js';
import { isRole, ROLES } from './http/console/roles.js';
import { mongoConsoleStores } from './store/console-stores.js';

const USAGE = `Pemakaian: npm run console:admin -- <perintah>
  create   --username <u> --name "<nama lengkap>" [--role ${ROLES.join('|')}] [--link telegram:<id>|whatsapp:<nomor>]
  password --username <u>
  unlock   --username <u>
  list
Kata sandi dibaca dari masukan standar (tersembunyi di terminal).`;

/** Reads one line from stdin; hides what is typed in a terminal. */
async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = createInterface({ input });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  process.stdout.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve) => {
    let value = '';
    const onData = (ch: string) => {
      for (const c of ch) {
        if (c === '\r' || c === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (c === '\u0003') process.exit(130);
        if (c === '\u007f') value = value.slice(0, -1);
        else value += c;
      }
    };
    input.on('data', onData);
  });
}

/** Runs one command; returns the exit code. `io` is replaceable for tests. */
export async function consoleAdmin(
  argv: string[],
  config: Config,
  io: { out: (line: string) => void; password: (prompt: string) => Promise<string> } = { out: (l) => process.stdout.write(`${l}\n`), password: readPassword },
): Promise<number> {
  const { out } = io;
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, link: { type: 'string' } },
  });
  const command = positionals[0];
  if (!command || !['create', 'password', 'unlock', 'list'].includes(command)) {
    out(USAGE);
    return 2;
  }
  let embedded: EmbeddedDatabase | undefined;
  let unlock: (() => void) | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    unlock = lockDataDir(config.dataDir);
    embedded = await startEmbeddedDatabase({ dataDir: path.resolve(config.dataDir, 'ferretdb'), binary: config.ferretdbBin });
    uri = `${embedded.uri}/sapa_gajahmungkur`;
  }
  const conn = await connectDatabase(uri);
  try {
    const ctx = createConsoleContext({ config, stores: mongoConsoleStores(conn), contacts: contactModel(conn), modules: [], clock: () => new Date(), logger: pino({ level: 'silent' }) });
    const cli = (action: string, target: string, extra: { before?: unknown; after?: unknown } = {}) => ctx.audit.record({ actor: null, via: 'cli', action, target, ...extra });
    const username = (values.username ?? '').trim().toLowerCase();
    if (command === 'list') {
      for (const a of await ctx.accounts.list()) out(`${a._id}\t${a.role}\t${a.name}\t${a.link ? `${a.link.channel}:${a.link.userKey}` : '-'}${a.disabled ? '\tnonaktif' : ''}`);
      return 0;
    }
    if (!username) {
      out('--username wajib diisi.\n' + USAGE);
      return 2;
    }
    if (command === 'create') {
      const role = values.role ?? 'admin';
      if (!isRole(role)) {
        out(`Peran tidak dikenal: ${role} (pilih ${ROLES.join(', ')}).`);
        return 2;
      }
      const link = parseLink(values.link ?? '');
      if (link === undefined) {
        out('--link harus berbentuk telegram:<id> atau whatsapp:<nomor>.');
        return 2;
      }
      const password = await io.password('Kata sandi (min. 10 karakter): ');
      const r = await ctx.accounts.create({ username, name: values.name ?? '', role, password, link });
      if (r.kind === 'invalid') out(r.problem);
      else if (r.kind === 'exists') out(`Akun ${username} sudah ada.`);
      else {
        await cli('account.create', `account:${username}`, { after: accountSnapshot(r.account) });
        out(`Akun ${username} (${role}) dibuat. Masuk di ${config.publicUrl ?? `http://localhost:${config.port}`}/console`);
        return 0;
      }
      return 1;
    }
    if (!(await ctx.accounts.get(username))) {
      out(`Akun ${username} tidak ada.`);
      return 1;
    }
    if (command === 'password') {
      const problem = await ctx.accounts.setPassword(username, await io.password('Kata sandi baru (min. 10 karakter): '));
      if (problem) {
        out(problem);
        return 1;
      }
      await ctx.sessions.destroyAllOf(username);
      await cli('account.password-reset', `account:${username}`);
      out(`Kata sandi ${username} diganti; sesi yang terbuka diakhiri.`);
      return 0;
    }
    const r = await ctx.accounts.update(username, { unlock: true });
    if (r) await cli('account.update', `account:${username}`, { before: accountSnapshot(r.before), after: accountSnapshot(r.after) });
    out(`Kunci akun ${username} dibuka.`);
    return 0;
  } finally {
    await conn.close();
    await embedded?.stop();
    unlock?.();
  }
}

const entry = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (entry.endsWith(`${path.sep}console-admin.ts`) || entry.endsWith(`${path.sep}console-admin.js`)) {
  loadDotEnv();
  consoleAdmin(process.argv.slice(2), loadConfig())
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
