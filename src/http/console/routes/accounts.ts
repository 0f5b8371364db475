/**
 * Accounts (admin only): list, create, change role / name / chat link, disable, unlock, set a new
 * password. And for everyone: change their own password. Every change is audited with the
 * account before and after (never a password or its hash); a change of role, a disable or a new
 * password ends the account's sessions.
 */
import type { FastifyInstance } from 'fastify';
import type { Channel } from '../../../core/messages.js';
import type { ContactDoc } from '../../../core/store/contacts.js';
import { accountSnapshot } from '../accounts/account-service.js';
import type { AccountDoc, StaffLink } from '../../../domain/staff-console/store.js';
import { audit, sendHtml, seeOther, userOf, type ConsoleContext, type ConsoleUser } from '../context.js';
import { attrIf, html } from '../html.js';
import { csrfField, messagePage, page } from '../layout.js';
import { isRole, ROLE_LABELS, ROLES } from '../roles.js';
import { formOf } from '../security.js';

/** Reads "telegram:12345" / "whatsapp:62812…" into a link; empty → null; bad → undefined. */
export function parseLink(text: string): StaffLink | null | undefined {
  const t = text.trim();
  if (!t) return null;
  const m = /^(telegram|whatsapp):([-0-9:]{3,40})$/.exec(t);
  if (!m) return undefined;
  const channel = m[1] as Channel;
  const userKey = m[2]!;
  // A Telegram group member acts as "<group>:<user>"; direct messages go to the user's own chat.
  const chatId = channel === 'telegram' ? (userKey.split(':').pop() ?? userKey) : userKey;
  return { channel, userKey, chatId };
}

const linkText = (a: AccountDoc): string => (a.link ? `${a.link.channel}:${a.link.userKey}` : '');

function roleSelect(current: string): ReturnType<typeof html> {
  return html`<select name="role" id="role">${ROLES.map((r) => html`<option value="${r}"${attrIf(r === current, 'selected')}>${ROLE_LABELS[r]}</option>`)}</select>`;
}

function staffContactsList(contacts: ContactDoc[]): ReturnType<typeof html> {
  return html`<datalist id="staff-contacts">${contacts.map((c) => html`<option value="${`${c.channel}:${c.userKey}`}">${c.name ?? ''}</option>`)}</datalist>`;
}

function accountsPage(user: ConsoleUser, accounts: AccountDoc[], contacts: ContactDoc[], now: Date, flash?: string, error?: string): string {
  return page({
    title: 'Akun',
    user,
    section: 'accounts',
    flash,
    ...(error ? { message: { text: error, kind: 'error' as const } } : {}),
    body: html`<h1>Akun petugas</h1>
<table>
  <thead><tr><th>Pengguna</th><th>Nama</th><th>Peran</th><th>Tertaut ke chat</th><th>Keadaan</th><th></th></tr></thead>
  <tbody>${accounts.map(
    (a) => html`<tr>
    <td>${a._id}</td><td>${a.name}</td><td>${ROLE_LABELS[a.role]}</td><td>${linkText(a) || '-'}</td>
    <td>${a.disabled ? 'nonaktif' : a.lockedUntil && new Date(a.lockedUntil) > now ? 'terkunci' : 'aktif'}</td>
    <td><a href="/console/accounts/${a._id}">Ubah</a></td></tr>`,
  )}</tbody>
</table>
<section class="card">
  <h2>Tambah akun</h2>
  <form method="post" action="/console/accounts">
    ${csrfField(user)}
    <label for="username">Nama pengguna</label><input type="text" id="username" name="username" required autocapitalize="none">
    <label for="name">Nama lengkap</label><input type="text" id="name" name="name" required>
    <label for="role">Peran</label>${roleSelect('staff')}
    <label for="link">Tautkan ke kontak chat petugas (opsional)</label>
    <input type="text" id="link" name="link" list="staff-contacts" placeholder="telegram:123456789 atau whatsapp:62812…">
    ${staffContactsList(contacts)}
    <label for="password">Kata sandi awal (min. 10 karakter)</label><input type="password" id="password" name="password" required autocomplete="new-password">
    <div class="actions"><button type="submit">Buat akun</button></div>
  </form>
</section>`,
  });
}

function accountPage(user: ConsoleUser, a: AccountDoc, contacts: ContactDoc[], error?: string): string {
  return page({
    title: `Akun ${a._id}`,
    user,
    section: 'accounts',
    ...(error ? { message: { text: error, kind: 'error' as const } } : {}),
    body: html`<h1>Akun ${a._id}</h1>
<section class="card">
  <form method="post" action="/console/accounts/${a._id}">
    ${csrfField(user)}
    <label for="name">Nama lengkap</label><input type="text" id="name" name="name" value="${a.name}" required>
    <label for="role">Peran</label>${roleSelect(a.role)}
    <label for="link">Tautan ke kontak chat petugas</label>
    <input type="text" id="link" name="link" list="staff-contacts" value="${linkText(a)}" placeholder="telegram:123456789 atau whatsapp:62812…">
    ${staffContactsList(contacts)}
    <label><input type="checkbox" name="disabled" value="1"${attrIf(a.disabled, 'checked')}> Nonaktifkan akun</label>
    ${a.lockedUntil ? html`<label><input type="checkbox" name="unlock" value="1"> Buka kunci (terkunci karena kata sandi salah)</label>` : ''}
    <div class="actions"><button type="submit">Simpan</button></div>
  </form>
</section>
<section class="card">
  <h2>Kata sandi baru</h2>
  <form method="post" action="/console/accounts/${a._id}/password">
    ${csrfField(user)}
    <label for="password">Kata sandi baru (min. 10 karakter)</label><input type="password" id="password" name="password" required autocomplete="new-password">
    <div class="actions"><button type="submit">Ganti kata sandi</button></div>
  </form>
</section>`,
  });
}

export function accountRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const staffContacts = () => ctx.contacts.find({ isStaff: true, channel: { $in: ['telegram', 'whatsapp'] } }).limit(200).lean<ContactDoc[]>();

  app.get<{ Querystring: { msg?: string } }>('/accounts', { config: { role: 'admin' } }, async (req, reply) => {
    return sendHtml(reply, accountsPage(userOf(req), await ctx.accounts.list(), await staffContacts(), ctx.clock(), req.query.msg));
  });

  app.post('/accounts', { config: { role: 'admin' } }, async (req, reply) => {
    const f = formOf(req);
    const user = userOf(req);
    const link = parseLink(f['link'] ?? '');
    const role = f['role'] ?? '';
    const fail = async (text: string) => sendHtml(reply, accountsPage(user, await ctx.accounts.list(), await staffContacts(), ctx.clock(), undefined, text), 400);
    if (!isRole(role)) return fail('Peran tidak dikenal.');
    if (link === undefined) return fail('Tautan chat harus berbentuk telegram:<id> atau whatsapp:<nomor>.');
    const r = await ctx.accounts.create({ username: f['username'] ?? '', name: f['name'] ?? '', role, password: f['password'] ?? '', link });
    if (r.kind === 'invalid') return fail(r.problem);
    if (r.kind === 'exists') return fail('Nama pengguna itu sudah dipakai.');
    await audit(ctx, req, { action: 'account.create', target: `account:${r.account._id}`, after: accountSnapshot(r.account) });
    return seeOther(reply, '/console/accounts?msg=account-created');
  });

  app.get<{ Params: { username: string } }>('/accounts/:username', { config: { role: 'admin' } }, async (req, reply) => {
    const a = await ctx.accounts.get(req.params.username);
    if (!a) return sendHtml(reply, messagePage(userOf(req), 'Tidak ditemukan', 'Akun itu tidak ada.'), 404);
    return sendHtml(reply, accountPage(userOf(req), a, await staffContacts()));
  });

  app.post<{ Params: { username: string } }>('/accounts/:username', { config: { role: 'admin' } }, async (req, reply) => {
    const user = userOf(req);
    const f = formOf(req);
    const a = await ctx.accounts.get(req.params.username);
    if (!a) return sendHtml(reply, messagePage(user, 'Tidak ditemukan', 'Akun itu tidak ada.'), 404);
    const role = f['role'] ?? a.role;
    const link = parseLink(f['link'] ?? '');
    const name = (f['name'] ?? a.name).trim();
    const disabled = f['disabled'] === '1';
    const fail = async (text: string) => sendHtml(reply, accountPage(user, a, await staffContacts(), text), 400);
    if (!isRole(role)) return fail('Peran tidak dikenal.');
    if (link === undefined) return fail('Tautan chat harus berbentuk telegram:<id> atau whatsapp:<nomor>.');
    if (name.length < 2 || name.length > 80) return fail('Nama lengkap 2–80 karakter.');
    if (a._id === user.account._id && (role !== 'admin' || disabled)) return fail('Anda tidak bisa menurunkan peran atau menonaktifkan akun Anda sendiri.');
    const r = await ctx.accounts.update(a._id, { name, role, link, disabled, unlock: f['unlock'] === '1' });
    if (!r) return sendHtml(reply, messagePage(user, 'Tidak ditemukan', 'Akun itu tidak ada.'), 404);
    if (r.before.role !== r.after.role || (!r.before.disabled && r.after.disabled)) await ctx.sessions.destroyAllOf(a._id);
    await audit(ctx, req, { action: 'account.update', target: `account:${a._id}`, before: accountSnapshot(r.before), after: accountSnapshot(r.after) });
    return seeOther(reply, '/console/accounts?msg=saved');
  });

  app.post<{ Params: { username: string } }>('/accounts/:username/password', { config: { role: 'admin' } }, async (req, reply) => {
    const user = userOf(req);
    const a = await ctx.accounts.get(req.params.username);
    if (!a) return sendHtml(reply, messagePage(user, 'Tidak ditemukan', 'Akun itu tidak ada.'), 404);
    const problem = await ctx.accounts.setPassword(a._id, formOf(req)['password'] ?? '');
    if (problem) return sendHtml(reply, accountPage(user, a, await staffContacts(), problem), 400);
    if (a._id !== user.account._id) await ctx.sessions.destroyAllOf(a._id);
    await audit(ctx, req, { action: 'account.password-reset', target: `account:${a._id}` });
    return seeOther(reply, '/console/accounts?msg=password-set');
  });

  app.get<{ Querystring: { msg?: string } }>('/password', { config: { role: 'staff' } }, (req, reply) => {
    const user = userOf(req);
    return sendHtml(
      reply,
      page({
        title: 'Ganti kata sandi',
        user,
        flash: req.query.msg,
        body: html`<section class="card narrow"><h1>Ganti kata sandi</h1>
<form method="post" action="/console/password">${csrfField(user)}
<label for="current">Kata sandi sekarang</label><input type="password" id="current" name="current" required autocomplete="current-password">
<label for="password">Kata sandi baru (min. 10 karakter)</label><input type="password" id="password" name="password" required autocomplete="new-password">
<div class="actions"><button type="submit">Ganti</button></div></form></section>`,
      }),
    );
  });

  app.post('/password', { config: { role: 'staff' } }, async (req, reply) => {
    const user = userOf(req);
    const f = formOf(req);
    const check = await ctx.accounts.login(user.account._id, f['current'] ?? '', req.ip);
    if (check.kind !== 'ok') {
      await audit(ctx, req, { action: 'account.password-change-refused', target: `account:${user.account._id}` });
      return sendHtml(reply, messagePage(user, 'Kata sandi salah', 'Kata sandi sekarang tidak cocok. Tidak ada yang diubah.'), 400);
    }
    const problem = await ctx.accounts.setPassword(user.account._id, f['password'] ?? '');
    if (problem) return sendHtml(reply, messagePage(user, 'Kata sandi ditolak', problem), 400);
    await audit(ctx, req, { action: 'account.password-change', target: `account:${user.account._id}` });
    return seeOther(reply, '/console/password?msg=password-set');
  });
}
