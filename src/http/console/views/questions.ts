/**
 * Question pages: the knowledge base (search, one entry's edit form), the unanswered questions
 * (grouped by normalised text, counted, each answerable once) and the questions forwarded to
 * staff with their answers. Residents' text is shown masked (NIK and phone numbers), and who
 * forwarded a question is shown only by channel, never by number or chat id.
 */
import type { FaqEntryDoc, ForwardedQuestionDoc } from '../../../domain/faq/store.js';
import type { UnansweredRow } from '../../../domain/faq/curation.js';
import { formatShort } from '../../../domain/forums/wib-time.js';
import { maskText } from '../../../logging/mask.js';
import type { ConsoleUser } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page } from '../layout.js';

type Msg = { text: string; kind: 'ok' | 'error' } | undefined;

function tabs(current: 'kb' | 'unanswered' | 'forwarded'): SafeHtml {
  const a = (k: typeof current, href: string, label: string) => html`<a href="${href}"${k === current ? html` aria-current="page"` : ''}>${label}</a> `;
  return html`<p class="counts">${a('kb', '/console/questions', 'Basis pengetahuan')}${a('unanswered', '/console/questions/unanswered', 'Belum terjawab')}${a('forwarded', '/console/questions/forwarded', 'Diteruskan ke petugas')}</p>`;
}

export function knowledgePage(o: { user: ConsoleUser; q: string; entries: FaqEntryDoc[]; flash?: string | undefined }): string {
  const body = html`<h1>Pertanyaan</h1>${tabs('kb')}
<form method="get" action="/console/questions" class="filters"><label class="wide">Cari (kata, id, sumber) <input type="search" name="q" id="kb-q" value="${o.q}"></label><button type="submit">Cari</button></form>
<p class="muted">${o.entries.length} entri</p>
<table class="queue" id="kb"><thead><tr><th>Entri</th><th>Judul</th><th>Sumber</th><th>Berlaku untuk</th><th>Tahun</th></tr></thead><tbody>
${o.entries.map(
  (e) => html`<tr><td><a href="/console/questions/entry/${e.id}">${e.id}</a>${e.editedByStaff ? html` <span class="badge">diubah petugas</span>` : ''}</td><td>${e.title.id}</td><td>${e.source}</td><td>${e.appliesTo.id}</td><td>${e.year}</td></tr>`,
)}
</tbody></table>`;
  return page({ title: 'Basis pengetahuan', user: o.user, section: 'questions', flash: o.flash, body });
}

export function entryPage(o: { user: ConsoleUser; entry: FaqEntryDoc; flash?: string | undefined; message?: Msg }): string {
  const e = o.entry;
  const body = html`<p><a href="/console/questions">← Basis pengetahuan</a></p>
<h1>${e.title.id}</h1>
<p class="muted">${e.id} · ${e.track.toUpperCase()} · topik ${e.topic}${e.editedBy ? ` · terakhir diubah oleh ${e.editedBy}` : ''}</p>
<details class="action"><summary>Cara bertanya (${e.questions.id.length + e.questions.en.length})</summary><ul id="phrasings">${[...e.questions.id, ...e.questions.en].map((q) => html`<li>${q}</li>`)}</ul></details>
<form method="post" action="/console/questions/entry/${e.id}" id="entry-form" class="card">${csrfField(o.user)}
<label>Jawaban (Bahasa Indonesia, 10–1.000 karakter) <textarea name="answerId" id="e-answer-id" required minlength="10" maxlength="1000">${e.answer.id}</textarea></label>
<label>Jawaban (English) <textarea name="answerEn" id="e-answer-en" required minlength="10" maxlength="1000">${e.answer.en}</textarea></label>
<label>Sumber (peraturan atau pengumuman resmi) <input type="text" name="source" id="e-source" required maxlength="300" value="${e.source}"></label>
<label>Berlaku untuk (putaran seleksi) <input type="text" name="appliesToId" id="e-applies-id" required maxlength="120" value="${e.appliesTo.id}"></label>
<label>Berlaku untuk (English) <input type="text" name="appliesToEn" id="e-applies-en" required maxlength="120" value="${e.appliesTo.en}"></label>
<label>Tahun <input type="number" name="year" id="e-year" min="2000" max="2100" required value="${e.year}"></label>
<div class="actions"><button type="submit">Simpan</button></div>
</form>`;
  return page({ title: e.title.id, user: o.user, section: 'questions', flash: o.flash, message: o.message, body });
}

export function unansweredPage(o: { user: ConsoleUser; rows: UnansweredRow[]; entries: FaqEntryDoc[]; tz: string; flash?: string | undefined; message?: Msg }): string {
  const open = o.rows.filter((r) => !r.resolution);
  const done = o.rows.filter((r) => r.resolution);
  const body = html`<h1>Pertanyaan</h1>${tabs('unanswered')}
<p class="muted">Pertanyaan yang tidak bisa dijawab bot, dikelompokkan menurut teks yang dinormalkan. Jawab sekali: menjadi entri baru, atau menjadi cara bertanya untuk entri yang sudah ada.</p>
<h2>Belum dijawab (${open.length})</h2>
${open.length === 0 ? html`<p class="muted">(tidak ada)</p>` : ''}
${open.map(
  (r, i) => html`<section class="card unanswered" data-key="${r.key}"><h3>${maskText(r.example)}</h3>
<p class="muted">Ditanyakan ${r.count}× · terakhir ${formatShort(r.lastAskedAt, o.tz)} WIB</p>
<details class="action"><summary>Jawab sebagai entri baru</summary>
<form method="post" action="/console/questions/unanswered/resolve" id="resolve-entry-${i}">${csrfField(o.user)}<input type="hidden" name="key" value="${r.key}"><input type="hidden" name="kind" value="entry">
<label>Jawaban (10–1.000 karakter) <textarea name="answer" required minlength="10" maxlength="1000"></textarea></label>
<label>Sumber <input type="text" name="source" required maxlength="300"></label>
<button type="submit">Simpan entri</button></form></details>
<details class="action"><summary>Tambahkan sebagai cara bertanya untuk entri yang ada</summary>
<form method="post" action="/console/questions/unanswered/resolve" id="resolve-phrasing-${i}">${csrfField(o.user)}<input type="hidden" name="key" value="${r.key}"><input type="hidden" name="kind" value="phrasing">
<label>Entri <select name="entryId" required>${o.entries.map((e) => html`<option value="${e.id}">${e.id} — ${e.title.id}</option>`)}</select></label>
<button type="submit">Tambahkan</button></form></details>
</section>`,
)}
<h2>Sudah dijawab (${done.length})</h2>
<table class="queue" id="resolved"><thead><tr><th>Pertanyaan</th><th>Ditanyakan</th><th>Menjadi</th><th>Oleh</th></tr></thead><tbody>
${done.map(
  (r) => html`<tr><td>${maskText(r.example)}</td><td>${r.count}×</td><td>${r.resolution!.kind === 'entry' ? 'entri baru' : 'cara bertanya'} ${r.resolution!.entryId ? html`<a href="/console/questions/entry/${r.resolution!.entryId}">${r.resolution!.entryId}</a>` : '(sedang ditulis)'}</td><td>${r.resolution!.by}</td></tr>`,
)}
</tbody></table>`;
  return page({ title: 'Belum terjawab', user: o.user, section: 'questions', flash: o.flash, message: o.message, body });
}

const CHANNEL: Record<string, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp', cli: 'Lokal' };

export function forwardedPage(o: { user: ConsoleUser; rows: ForwardedQuestionDoc[]; tz: string }): string {
  const body = html`<h1>Pertanyaan</h1>${tabs('forwarded')}
<p class="muted">Pertanyaan yang warga minta diteruskan ("Tidak terjawab?"). Jawaban dikirim dari chat petugas (tombol "Jawab" pada pemberitahuan, atau /faq); di sini tercatat jawabannya.</p>
<table class="queue" id="forwarded"><thead><tr><th>Masuk (WIB)</th><th>Kanal</th><th>Pertanyaan</th><th>Status</th><th>Jawaban</th></tr></thead><tbody>
${o.rows.map(
  (r) => html`<tr><td>${formatShort(r.createdAt, o.tz)}</td><td>${CHANNEL[r.channel] ?? r.channel}</td><td>${maskText(r.text)}</td>
<td>${r.status === 'answered' ? html`dijawab${r.answeredAt ? ` ${formatShort(r.answeredAt, o.tz)}` : ''}${r.answeredBy ? ` oleh ${r.answeredBy}` : ''}` : html`<span class="badge late">terbuka</span>`}</td><td>${r.answer ?? ''}</td></tr>`,
)}
</tbody></table>`;
  return page({ title: 'Pertanyaan diteruskan', user: o.user, section: 'questions', body });
}
