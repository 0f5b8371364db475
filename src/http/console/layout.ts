/**
 * The page frame every console page uses: head (own stylesheet, htmx and console.js from this
 * service, nothing from outside), the navigation for the user's role, a flash message, the body.
 */
import { html, raw, type SafeHtml } from './html.js';
import type { ConsoleUser } from './context.js';
import { hasRole, ROLE_LABELS, type Role } from './roles.js';

/** One item of the top navigation, shown to `role` and above. Pages add theirs here. */
export interface NavItem {
  href: string;
  label: string;
  role: Role;
  /** Key matched against `PageOptions.section` to mark the current item. */
  section: string;
}

export const NAV: NavItem[] = [
  { href: '/console/complaints', label: 'Pengaduan', role: 'staff', section: 'complaints' },
  { href: '/console/forums', label: 'Forum', role: 'staff', section: 'forums' },
  { href: '/console/questions', label: 'Pertanyaan', role: 'staff', section: 'questions' },
  { href: '/console/dashboard', label: 'Dasbor', role: 'head', section: 'dashboard' },
  { href: '/console/accounts', label: 'Akun', role: 'admin', section: 'accounts' },
  { href: '/console/audit', label: 'Log audit', role: 'head', section: 'audit' },
];

/** Messages shown after a redirect (`?msg=<code>`): a fixed list, so nothing typed is reflected. */
export const FLASH: Record<string, { text: string; kind: 'ok' | 'error' }> = {
  'signed-out': { text: 'Anda sudah keluar.', kind: 'ok' },
  expired: { text: 'Sesi Anda berakhir. Silakan masuk lagi.', kind: 'error' },
  saved: { text: 'Perubahan disimpan.', kind: 'ok' },
  'account-created': { text: 'Akun dibuat.', kind: 'ok' },
  'password-set': { text: 'Kata sandi diganti.', kind: 'ok' },
  'status-changed': { text: 'Status diubah.', kind: 'ok' },
  'reply-sent': { text: 'Balasan dicatat di percakapan tiket.', kind: 'ok' },
  'note-added': { text: 'Catatan internal disimpan (tidak dikirim ke pelapor).', kind: 'ok' },
  forwarded: { text: 'Tiket diteruskan ke instansi.', kind: 'ok' },
  'agency-answer': { text: 'Jawaban instansi dicatat.', kind: 'ok' },
  assigned: { text: 'Penugasan disimpan.', kind: 'ok' },
  'not-allowed': { text: 'Tindakan itu tidak bisa untuk status tiket saat ini (mungkin baru diubah petugas lain).', kind: 'error' },
  'reject-reason': { text: 'Penolakan perlu alasan yang jelas untuk pelapor (minimal 5 karakter).', kind: 'error' },
  'too-long': { text: 'Teks terlalu panjang.', kind: 'error' },
  'unknown-agency': { text: 'Instansi tidak dikenal.', kind: 'error' },
  'not-assignable': { text: 'Akun itu tidak bisa ditugaskan ke tiket ini.', kind: 'error' },
  'forum-created': { text: 'Forum tersimpan dan pendaftaran dibuka.', kind: 'ok' },
  'forum-moved': { text: 'Jadwal forum dipindah; pendaftar diberi tahu lewat kanal mereka.', kind: 'ok' },
  'forum-cancelled': { text: 'Forum dibatalkan; pendaftar diberi tahu.', kind: 'ok' },
  'question-resolved': { text: 'Pertanyaan dijawab; bot memakai jawaban ini mulai sekarang.', kind: 'ok' },
  invalid: { text: 'Isian belum lengkap atau tidak valid.', kind: 'error' },
};

export interface PageOptions {
  title: string;
  user: ConsoleUser | null;
  /** Current navigation section. */
  section?: string;
  /** Flash code from `?msg=`. */
  flash?: string | undefined;
  /** A message computed by the page (escaped). */
  message?: { text: string; kind: 'ok' | 'error' } | undefined;
  body: SafeHtml;
}

const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, selfRequestsOnly: true, historyCacheSize: 0 });

/** A whole HTML page as a string. */
export function page(o: PageOptions): string {
  const flash = o.message ?? (o.flash ? FLASH[o.flash] : undefined);
  const nav = o.user ? NAV.filter((n) => hasRole(o.user!.account.role, n.role)) : [];
  return html`<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<meta name="htmx-config" content="${HTMX_CONFIG}">
${o.user ? html`<meta name="csrf-token" content="${o.user.session.csrf}">` : ''}
<title>${o.title} · Konsol Sapa Gajahmungkur</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/htmx.min.js" defer></script>
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/console">Sapa Gajahmungkur <span>Konsol petugas</span></a>
  ${
    o.user
      ? html`<nav aria-label="Menu utama">${nav.map((n) => html`<a href="${n.href}"${raw(n.section === o.section ? ' aria-current="page"' : '')}>${n.label}</a>`)}</nav>
  <form class="who" method="post" action="/console/logout">
    <span>${o.user.account.name} · ${ROLE_LABELS[o.user.account.role]}</span>
    <input type="hidden" name="_csrf" value="${o.user.session.csrf}">
    <button type="submit" class="link">Keluar</button>
  </form>`
      : ''
  }
</header>
<main id="main">
${flash ? html`<p class="flash ${flash.kind}" role="status">${flash.text}</p>` : ''}
${o.body}
</main>
</body>
</html>`.value;
}

/** A hidden CSRF field for a form of the signed-in user. */
export function csrfField(user: ConsoleUser): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${user.session.csrf}">`;
}

/** A simple page with a heading and a paragraph (errors, refusals). */
export function messagePage(user: ConsoleUser | null, title: string, text: string): string {
  return page({ title, user, body: html`<section class="card"><h1>${title}</h1><p>${text}</p><p><a href="/console">Kembali ke konsol</a></p></section>` });
}
