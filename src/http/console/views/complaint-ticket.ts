/**
 * One ticket on the console: facts, reporter as far as anonymity allows, location with a map
 * link, photos (served by the console, never a platform link), history and thread, and the
 * action forms the ticket's status allows. An `anonim` ticket's name and number are never put
 * in this page (they are not even stored; see ComplaintService.submit).
 */
import { categoryLabel, IDENTITY_LABELS, kelurahanName, STAFF_BUTTON_STATUSES, statusLabel, TRANSITIONS, type Agency } from '../../../domain/complaints/catalog.js';
import type { ComplaintDoc } from '../../../domain/complaints/types.js';
import { formatWhen, mapLink } from '../../../domain/complaints/text.js';
import { dueDay } from '../../../domain/complaints/views.js';
import { maskText } from '../../../logging/mask.js';
import { MESSAGE_MAX, NOTE_MAX, OUTCOME_TEXT } from '../../../../flows/complaint-staff.js';
import type { NotifyOutcome } from '../../../core/notifier.js';
import type { AccountDoc } from '../../../domain/staff-console/store.js';
import type { ConsoleUser } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page } from '../layout.js';

const isOutcome = (s: string): s is NotifyOutcome => Object.hasOwn(OUTCOME_TEXT, s);

export interface TicketPageData {
  c: ComplaintDoc;
  agencies: readonly Agency[];
  /** Accounts this ticket may be assigned to. */
  assignable: AccountDoc[];
  /** A fresh idempotency key for each form on this render. */
  key: () => string;
  tz: string;
  flash?: string | undefined;
  reach?: string | undefined;
}

const when = (d: Date, tz: string) => formatWhen(new Date(d), 'id', tz);

function reporterFacts(c: ComplaintDoc): SafeHtml {
  if (c.identity === 'anonim') return html`<dt>Pelapor</dt><dd><span class="badge anon">Anonim</span> identitas disembunyikan</dd>`;
  const channel = c.reporter.channel === 'whatsapp' ? 'WhatsApp' : c.reporter.channel === 'telegram' ? 'Telegram' : 'chat';
  return html`<dt>Pelapor</dt><dd>${c.reporter.name ?? '-'}${c.identity === 'rahasia' ? html` <span class="badge secret">Rahasia</span>` : ''}</dd>
<dt>Nomor</dt><dd>${c.reporter.phone ?? '-'}</dd><dt>Kanal</dt><dd>${channel}</dd>`;
}

function placeFacts(c: ComplaintDoc): SafeHtml {
  const p = c.place;
  const pin = p.latitude !== undefined && p.longitude !== undefined;
  return html`<dt>Lokasi</dt><dd>${[p.name, p.address].filter(Boolean).join(', ') || '-'}</dd>
${pin ? html`<dt>Koordinat</dt><dd>${p.latitude!.toFixed(6)}, ${p.longitude!.toFixed(6)} · <a href="${mapLink(p.latitude!, p.longitude!)}" target="_blank" rel="noopener noreferrer">Buka peta</a></dd>` : ''}`;
}

const photoUrl = (c: ComplaintDoc, fileId: unknown) => `/console/complaints/${c.ticketNo}/photos/${String(fileId)}`;

function historyList(c: ComplaintDoc, tz: string): SafeHtml {
  return html`<ol class="history">${c.history.map(
    (h) => html`<li><strong>${statusLabel(h.status, 'id')}</strong> · ${when(h.at, tz)}${h.by?.name ? ` · ${h.by.name}` : ''}${h.by?.account ? html` <span class="muted">(konsol)</span>` : ''}${h.note ? html`<br>${maskText(h.note)}` : ''}</li>`,
  )}</ol>`;
}

function threadList(c: ComplaintDoc, tz: string): SafeHtml {
  const thread = c.thread ?? [];
  if (!thread.length) return html`<p class="muted">Belum ada percakapan.</p>`;
  return html`<ol class="thread">${thread.map((t) => {
    const who = t.from === 'reporter' ? 'Pelapor' : `Petugas${t.by?.name ? ` ${t.by.name}` : ''}`;
    return html`<li class="${t.kind === 'note' ? 'note' : ''}"><strong>${who}</strong>${t.kind === 'note' ? ' (catatan internal, tidak dikirim)' : ''} · ${when(t.at, tz)}
${t.text ? html`<br>${maskText(t.text)}` : ''}
${t.photo ? html`<br><a href="${photoUrl(c, t.photo.fileId)}"><img src="${photoUrl(c, t.photo.fileId)}" alt="Foto dari pelapor" loading="lazy"></a>` : ''}
${t.location ? html`<br>📍 ${t.location.address ?? ''} <a href="${mapLink(t.location.latitude, t.location.longitude)}" target="_blank" rel="noopener noreferrer">${t.location.latitude.toFixed(6)}, ${t.location.longitude.toFixed(6)}</a>` : ''}</li>`;
  })}</ol>`;
}

function actionForms(user: ConsoleUser, d: TicketPageData): SafeHtml {
  const { c } = d;
  const base = `/console/complaints/${c.ticketNo}`;
  const next = STAFF_BUTTON_STATUSES.filter((s) => TRANSITIONS[c.status].includes(s));
  const hidden = () => html`${csrfField(user)}<input type="hidden" name="key" value="${d.key()}">`;
  return html`<section class="card" id="actions"><h2>Tindakan</h2>
${
  next.length
    ? html`<details class="action" open><summary>Ubah status</summary>
<form method="post" action="${base}/status">${hidden()}
<label for="to">Status baru</label><select id="to" name="to">${next.map((s) => html`<option value="${s}">${statusLabel(s, 'id')}</option>`)}</select>
<label for="status-note">Catatan untuk pelapor (wajib untuk penolakan, maks. ${NOTE_MAX} karakter)</label>
<textarea id="status-note" name="note" maxlength="${NOTE_MAX}"></textarea>
<div class="actions"><button type="submit">Ubah status</button></div></form></details>`
    : html`<p class="muted">Status "${statusLabel(c.status, 'id')}" tidak bisa diubah petugas lagi.</p>`
}
${
  TRANSITIONS[c.status].includes('diteruskan')
    ? html`<details class="action"><summary>Teruskan ke instansi</summary>
<form method="post" action="${base}/forward">${hidden()}
<label for="agency">Instansi</label><select id="agency" name="agency">${d.agencies.map((a) => html`<option value="${a.id}">${a.name}</option>`)}</select>
<label for="agency-ref">Nomor rujukan instansi (opsional)</label><input type="text" id="agency-ref" name="ref" maxlength="60">
<label for="forward-note">Catatan untuk pelapor (opsional)</label><textarea id="forward-note" name="note" maxlength="${NOTE_MAX}"></textarea>
<div class="actions"><button type="submit">Teruskan</button></div></form></details>`
    : ''
}
${
  c.status === 'diteruskan'
    ? html`<details class="action" open><summary>Jawaban instansi</summary>
<form method="post" action="${base}/agency-answer">${hidden()}
<label for="answer">Jawaban ${c.forward?.agencyName ?? 'instansi'} (dikirim ke pelapor)</label><textarea id="answer" name="answer" maxlength="${NOTE_MAX}" required></textarea>
<label for="then">Lalu</label><select id="then" name="then"><option value="selesai">Selesai</option><option value="diproses">Kembali diproses kantor</option></select>
<div class="actions"><button type="submit">Catat jawaban</button></div></form></details>`
    : ''
}
<details class="action"><summary>Balas pelapor</summary>
<form method="post" action="${base}/reply">${hidden()}
<label for="message">Pesan ke pelapor (maks. ${MESSAGE_MAX} karakter)</label><textarea id="message" name="message" maxlength="${MESSAGE_MAX}" required></textarea>
<div class="actions"><button type="submit">Kirim ke pelapor</button></div></form></details>
<details class="action"><summary>Catatan internal</summary>
<form method="post" action="${base}/note">${hidden()}
<label for="note">Catatan (hanya untuk petugas, tidak dikirim)</label><textarea id="note" name="note" maxlength="${NOTE_MAX}" required></textarea>
<div class="actions"><button type="submit">Simpan catatan</button></div></form></details>
${
  c.assignee?.account !== user.account._id && d.assignable.some((a) => a._id === user.account._id)
    ? html`<form method="post" action="${base}/assign" class="actions">${hidden()}<input type="hidden" name="assignee" value="${user.account._id}"><button type="submit" class="secondary">Tugaskan ke saya</button></form>`
    : ''
}
<details class="action"><summary>Tugaskan ke rekan</summary>
<form method="post" action="${base}/assign">${hidden()}
<label for="assignee">Petugas</label><select id="assignee" name="assignee"><option value="">— tidak ada —</option>${d.assignable.map(
    (a) => html`<option value="${a._id}"${c.assignee?.account === a._id ? html` selected` : ''}>${a.name} (${a._id})</option>`,
  )}</select>
<div class="actions"><button type="submit">Simpan penugasan</button></div></form></details>
</section>`;
}

export function ticketPage(user: ConsoleUser, d: TicketPageData): string {
  const { c, tz } = d;
  const due =
    c.status === 'baru'
      ? html`<dt>Target tanggapan</dt><dd>${dueDay(new Date(c.responseDueAt), 'id', tz)}</dd>`
      : ['diterima', 'diproses', 'dibuka-kembali'].includes(c.status)
        ? html`<dt>Target selesai</dt><dd>${dueDay(new Date(c.resolutionDueAt), 'id', tz)}</dd>`
        : '';
  const body = html`<p><a href="/console/complaints">‹ Antrean pengaduan</a></p>
<h1>${c.ticketNo} <span class="badge">${statusLabel(c.status, 'id')}</span>${c.identity !== 'named' ? html` <span class="badge ${c.identity === 'rahasia' ? 'secret' : 'anon'}">${IDENTITY_LABELS[c.identity].id}</span>` : ''}</h1>
${d.reach && isOutcome(d.reach) ? html`<p class="flash ${d.reach.startsWith('queued') ? 'ok' : 'error'}" role="status">${OUTCOME_TEXT[d.reach]}</p>` : ''}
<div class="grid2"><div>
<section class="card"><dl class="facts">
<dt>Kategori</dt><dd>${categoryLabel(c.category, 'id')}</dd>
<dt>Kelurahan</dt><dd>${kelurahanName(c.kelurahan)}</dd>
${placeFacts(c)}
<dt>Masuk</dt><dd>${when(c.createdAt, tz)}</dd>
${due}
${reporterFacts(c)}
<dt>Petugas</dt><dd>${c.assignee ? c.assignee.name : '-'}</dd>
${c.forward ? html`<dt>Diteruskan ke</dt><dd>${c.forward.agencyName}${c.forward.agencyRef ? ` (no. ${c.forward.agencyRef})` : ''}${c.forward.answer ? html`<br>Jawaban: ${c.forward.answer.text}` : ''}</dd>` : ''}
${c.rating ? html`<dt>Penilaian</dt><dd>${c.rating.score}/5${c.rating.comment ? ` — ${c.rating.comment}` : ''}</dd>` : ''}
</dl>
<h2>Uraian</h2><p>${maskText(c.description)}</p>
${c.photos.length ? html`<h2>Foto</h2><div class="photos">${c.photos.map((p, i) => html`<a href="${photoUrl(c, p.fileId)}"><img src="${photoUrl(c, p.fileId)}" alt="Foto ${i + 1}" loading="lazy"></a>`)}</div>` : ''}
</section>
<section class="card"><h2>Percakapan</h2>${threadList(c, tz)}</section>
<section class="card"><h2>Riwayat status</h2>${historyList(c, tz)}</section>
</div><div>${actionForms(user, d)}</div></div>`;
  return page({ title: c.ticketNo, user, section: 'complaints', flash: d.flash, body });
}
