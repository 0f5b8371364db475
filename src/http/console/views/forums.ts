/**
 * Forum pages: the list (upcoming / past with seats, waitlist, attendance), the forum form
 * (create, edit and move), and one forum with its registrants, waitlist and check-in.
 * Names are shown as the registrant gave them; phone numbers are never shown on a page (the chat's
 * registrant list does not show them either; they are only in the CSV, for senior and above).
 */
import { randomUUID } from 'node:crypto';
import type { ForumDoc } from '../../../domain/forums/forum-model.js';
import type { ForumRow } from '../../../domain/forums/overview.js';
import type { RegistrationDoc } from '../../../domain/forums/registration-model.js';
import { formatShort, formatWhen } from '../../../domain/forums/wib-time.js';
import { KELURAHAN } from '../../../domain/kelurahan.js';
import type { ConsoleUser } from '../context.js';
import { attrIf, html, type SafeHtml } from '../html.js';
import { csrfField, page } from '../layout.js';
import { hasRole } from '../roles.js';
import type { ForumFormValues } from '../routes/forum-form.js';

const CHANNEL: Record<string, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp', cli: 'Lokal' };

function statusBadge(f: ForumDoc): SafeHtml {
  return f.status === 'cancelled' ? html`<span class="badge late">dibatalkan</span>` : html``;
}

export function forumListPage(o: { user: ConsoleUser; rows: ForumRow[]; past: boolean; tz: string; flash?: string | undefined }): string {
  const canEdit = hasRole(o.user.account.role, 'head');
  const body = html`<h1>Forum warga</h1>
<p class="counts"><a href="/console/forums"${o.past ? html`` : html` aria-current="page"`}>Akan datang</a> <a href="/console/forums?past=1"${o.past ? html` aria-current="page"` : html``}>Sudah lewat</a>
${canEdit ? html` <a class="button" href="/console/forums/new">Buat forum</a>` : ''}</p>
${
  o.rows.length === 0
    ? html`<p class="muted">${o.past ? 'Belum ada forum yang sudah lewat.' : 'Belum ada forum terjadwal.'}</p>`
    : html`<table class="queue" id="forums"><thead><tr><th>Waktu (WIB)</th><th>Forum</th><th>Kelurahan</th><th>Kursi terisi</th><th>Daftar tunggu</th><th>Hadir</th></tr></thead><tbody>
${o.rows.map(
  (r) => html`<tr><td>${formatShort(r.forum.startAt, o.tz)}</td><td><a href="/console/forums/${String(r.forum._id)}">${r.forum.title}</a> ${statusBadge(r.forum)}</td>
<td>${r.forum.kelurahan ?? 'Semua kelurahan'}</td><td>${r.registered}/${r.forum.capacity}</td><td>${r.waitlisted}</td><td>${r.attended}</td></tr>`,
)}
</tbody></table>`
}`;
  return page({ title: 'Forum warga', user: o.user, section: 'forums', flash: o.flash, body });
}

export function forumFormPage(o: { user: ConsoleUser; v: ForumFormValues; forum?: ForumDoc; error?: string }): string {
  const action = o.forum ? `/console/forums/${String(o.forum._id)}` : '/console/forums';
  const title = o.forum ? `Ubah atau pindahkan: ${o.forum.title}` : 'Buat forum';
  const body = html`<section class="card narrow"><h1>${title}</h1>
${o.forum ? html`<p class="muted">Jika tanggal atau jam diubah, semua pendaftar dan daftar tunggu diberi tahu lewat kanal mereka dan pengingat dijadwalkan ulang.</p>` : ''}
<form method="post" action="${action}" id="forum-form">${csrfField(o.user)}
<input type="hidden" name="key" value="${randomUUID()}">
<label>Judul <input type="text" name="title" id="f-title" required maxlength="100" value="${o.v.title}"></label>
<label>Topik <textarea name="topic" id="f-topic" required maxlength="500">${o.v.topic}</textarea></label>
<label>Kelurahan <select name="kelurahan" id="f-kelurahan"><option value="">Semua kelurahan</option>
${KELURAHAN.map((k) => html`<option value="${k}"${attrIf(o.v.kelurahan === k, 'selected')}>${k}</option>`)}</select></label>
<label>Tempat <input type="text" name="venue" id="f-venue" required maxlength="150" value="${o.v.venue}"></label>
<label>Tanggal (WIB) <input type="date" name="date" id="f-date" required value="${o.v.date}"></label>
<label>Jam mulai (WIB) <input type="time" name="time" id="f-time" required value="${o.v.time}"></label>
<label>Durasi (menit) <input type="number" name="duration" id="f-duration" min="15" max="720" required value="${o.v.duration}"></label>
<label>Kapasitas <input type="number" name="capacity" id="f-capacity" min="1" max="5000" required value="${o.v.capacity}"></label>
<label>Batas pendaftaran (WIB, kosong = saat mulai) <input type="datetime-local" name="deadline" id="f-deadline" value="${o.v.deadline}"></label>
<div class="actions"><button type="submit">Simpan</button> <a href="${o.forum ? `/console/forums/${String(o.forum._id)}` : '/console/forums'}">Batal</a></div>
</form></section>`;
  return page({ title, user: o.user, section: 'forums', message: o.error ? { text: o.error, kind: 'error' } : undefined, body });
}

export interface ForumPageData {
  user: ConsoleUser;
  forum: ForumDoc;
  regs: RegistrationDoc[];
  tz: string;
  now: Date;
  flash?: string | undefined;
  message?: { text: string; kind: 'ok' | 'error' } | undefined;
}

export function forumPage(o: ForumPageData): string {
  const { forum, user, tz } = o;
  const id = String(forum._id);
  const role = user.account.role;
  const reg = o.regs.filter((r) => r.status === 'registered');
  const wait = o.regs.filter((r) => r.status === 'waitlisted');
  const attended = reg.filter((r) => r.attendedAt).length;
  const scheduled = forum.status === 'scheduled';
  const body = html`<p><a href="/console/forums">← Semua forum</a></p>
<h1>${forum.title} ${statusBadge(forum)}</h1>
<dl class="facts">
<dt>Waktu</dt><dd id="forum-when">${formatWhen(forum.startAt, 'id', tz)} (${forum.durationMinutes} menit)</dd>
<dt>Tempat</dt><dd>${forum.venue}</dd>
<dt>Kelurahan</dt><dd>${forum.kelurahan ?? 'Semua kelurahan'}</dd>
<dt>Topik</dt><dd>${forum.topic}</dd>
<dt>Pendaftaran ditutup</dt><dd>${formatWhen(forum.registrationDeadline, 'id', tz)}</dd>
<dt>Kursi</dt><dd id="forum-counts">${reg.length}/${forum.capacity} terisi · ${wait.length} daftar tunggu · ${attended} hadir</dd>
</dl>
<p class="actions">
${hasRole(role, 'senior') ? html`<a class="button secondary" href="/console/forums/${id}/csv" id="forum-csv">Unduh CSV pendaftar</a>` : ''}
${hasRole(role, 'head') && scheduled ? html`<a class="button secondary" href="/console/forums/${id}/edit" id="forum-edit">Ubah / pindahkan jadwal</a>` : ''}
</p>
${
  scheduled
    ? html`<section class="card"><h2>Presensi</h2>
<form method="post" action="/console/forums/${id}/checkin" id="checkin-code">${csrfField(user)}
<label>Kode pendaftaran (mis. FW-7K2Q9M) atau nama <input type="text" name="code" id="f-code" maxlength="80" autocomplete="off" required></label>
<button type="submit">Tandai hadir</button></form>
<p class="muted">Atau ketuk "Hadir" pada nama di daftar di bawah.</p></section>`
    : ''
}
<h2>Terdaftar (${reg.length})</h2>
${registrantTable(o, reg, true)}
<h2>Daftar tunggu (${wait.length})</h2>
${registrantTable(o, wait, false)}
${
  hasRole(role, 'head') && scheduled
    ? html`<details class="action"><summary>Batalkan forum</summary>
<form method="post" action="/console/forums/${id}/cancel" id="forum-cancel">${csrfField(user)}
<p>Semua pendaftar dan daftar tunggu diberi tahu lewat kanal mereka; pengingat tidak dikirim.</p>
<button type="submit" class="danger" data-confirm="Batalkan forum ini? Semua pendaftar diberi tahu.">Batalkan forum</button></form></details>`
    : ''
}`;
  return page({ title: forum.title, user, section: 'forums', flash: o.flash, message: o.message, body });
}

function registrantTable(o: ForumPageData, regs: RegistrationDoc[], checkIn: boolean): SafeHtml {
  if (regs.length === 0) return html`<p class="muted">(kosong)</p>`;
  const canCheckIn = checkIn && o.forum.status === 'scheduled';
  return html`<table class="queue" id="${checkIn ? 'registered' : 'waitlist'}"><thead><tr><th>#</th><th>Nama</th><th>Kelurahan</th><th>Kode</th><th>Kanal</th>${checkIn ? html`<th>Hadir</th>` : ''}</tr></thead><tbody>
${regs.map(
  (r, i) => html`<tr data-code="${r.code}"><td>${i + 1}</td><td>${r.name}</td><td>${r.kelurahan}</td><td>${r.code}</td><td>${CHANNEL[r.channel] ?? r.channel}</td>
${
  checkIn
    ? html`<td>${
        r.attendedAt
          ? html`✅ ${formatShort(r.attendedAt, o.tz)}`
          : canCheckIn
            ? html`<form method="post" action="/console/forums/${String(o.forum._id)}/checkin">${csrfField(o.user)}<input type="hidden" name="registration" value="${String(r._id)}"><button type="submit" class="secondary">Hadir</button></form>`
            : '–'
      }</td>`
    : ''
}</tr>`,
)}
</tbody></table>`;
}
