/**
 * "Kelola forum" (staff only): create, edit and cancel forums; see registrants, mark attendance
 * at the door, export the list as CSV, and see how reminders went.
 *
 *   home ─► new: title ─► topic ─► kelurahan ─► venue ─► date ─► time ─► duration ─► capacity ─► deadline ─► confirm
 *       └─► forum ─► registrants | CSV | attendance | edit: field ─► (that field's step) | cancel ─► cancelConfirm
 *
 * Every button carries the forum id, so a button from an older message still acts on the right forum.
 */
import type { Flow, StepContext, StepOutcome } from '../../src/core/flow.js';
import type { Choice, InboundContent, Reply } from '../../src/core/messages.js';
import type { ForumInput } from '../../src/domain/forums/forum-service.js';
import type { ForumDoc } from '../../src/domain/forums/forum-model.js';
import { cleanInput } from '../../src/domain/forums/input.js';
import { KELURAHAN, kelurahanFromSlug, kelurahanSlug } from '../../src/domain/kelurahan.js';
import { forumDetails } from '../../src/domain/forums/messages.js';
import type { ForumsServices } from './services.js';
import { exampleDay, formatDay, formatWhen, localDate, parseClock, parseDay, parseDurationMinutes, toInstant, type LocalDay } from '../../src/domain/forums/wib-time.js';
import { dateSlot, timeSlot } from '../../src/domain/understanding/slots/index.js';
import type { AppServices } from '../../src/services.js';
import { badField, choiceArg, clip, forumChoice, L, say, stay, str, textOf, typedKelurahan } from './common.js';

const NAME = 'forumstaf';
const TEXT_MAX = 3500;
type Ctx = StepContext<AppServices>;
type Data = Record<string, unknown>;

/** Fields staff can change, in the order a new forum asks them. */
/** `yyyy-mm-dd` (a date slot) as a calendar day. */
function localDayOf(iso: string): LocalDay {
  const [year, month, day] = iso.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

const FIELDS = ['title', 'topic', 'kelurahan', 'venue', 'date', 'duration', 'capacity', 'deadline'] as const;
type Field = (typeof FIELDS)[number];
const FIELD_LABEL: Record<Field, string> = {
  title: 'Judul',
  topic: 'Topik',
  kelurahan: 'Kelurahan',
  venue: 'Tempat',
  date: 'Tanggal & jam',
  duration: 'Durasi',
  capacity: 'Kapasitas',
  deadline: 'Batas daftar',
};
const NEXT_STEP: Record<string, string> = { title: 'topic', topic: 'kelurahan', kelurahan: 'venue', venue: 'date', date: 'time', time: 'duration', duration: 'capacity', capacity: 'deadline', deadline: 'confirm' };

export function createForumStaffFlow(fs: ForumsServices): Flow<AppServices> {
  const isEdit = (d: Data) => d['mode'] === 'edit';

  /** Buttons that work from any step (and from older messages). */
  async function routeChoice(ctx: Ctx, input: InboundContent): Promise<StepOutcome | undefined> {
    if (input.kind !== 'choice' || !input.id.startsWith(`${NAME}:`)) return undefined;
    const [, action, arg = ''] = input.id.split(':');
    switch (action) {
      case 'home':
        return { kind: 'next', step: 'home', data: {} };
      case 'new':
        return { kind: 'next', step: 'title', data: { mode: 'create' } };
      case 'stats':
        return stay(await statsText(ctx), [{ id: `${NAME}:home`, title: 'Daftar forum' }]);
      case 'f':
        return { kind: 'next', step: 'forum', data: { forumId: arg } };
      case 'reg':
        return registrants(ctx, arg);
      case 'csv':
        return csv(ctx, arg);
      case 'att':
        return { kind: 'next', step: 'attendance', data: { forumId: arg } };
      case 'hadir':
        return attendanceAnswer(ctx, await fs.forums.markById(arg, ctx.now));
      case 'edit':
        return { kind: 'next', step: 'editField', data: { forumId: arg, mode: 'edit' } };
      case 'cancel':
        return { kind: 'next', step: 'cancelConfirm', data: { forumId: arg } };
      case 'cancelyes':
        return cancelForum(ctx, arg);
      default:
        return undefined;
    }
  }

  const forumButtons = (id: string): Choice[] => [
    { id: `${NAME}:reg:${id}`, title: 'Pendaftar' },
    { id: `${NAME}:att:${id}`, title: 'Tandai hadir' },
    { id: `${NAME}:csv:${id}`, title: 'Ekspor CSV' },
    { id: `${NAME}:edit:${id}`, title: 'Ubah forum' },
    { id: `${NAME}:cancel:${id}`, title: 'Batalkan forum' },
  ];

  async function registrants(ctx: Ctx, id: string): Promise<StepOutcome> {
    const forum = await fs.forums.get(id);
    if (!forum) return stay(L(ctx.lang, 'Forum tidak ditemukan.', 'Forum not found.'));
    const regs = await fs.forums.registrants(forum._id);
    const reg = regs.filter((r) => r.status === 'registered');
    const wait = regs.filter((r) => r.status === 'waitlisted');
    let text = `Pendaftar "${forum.title}": ${reg.length}/${forum.capacity}, hadir ${reg.filter((r) => r.attendedAt).length}, daftar tunggu ${wait.length}\n`;
    const lines = [
      ...reg.map((r, i) => `${i + 1}. ${r.name} (${r.kelurahan}) — ${r.code}${r.attendedAt ? ' ✅' : ''}`),
      ...(wait.length ? ['', 'Daftar tunggu:', ...wait.map((r, i) => `${i + 1}. ${r.name} (${r.kelurahan}) — ${r.code}`)] : []),
    ];
    for (const [i, line] of lines.entries()) {
      if (text.length + line.length > TEXT_MAX) {
        text += `\n… ${lines.length - i} baris lagi: gunakan Ekspor CSV.`;
        break;
      }
      text += `\n${line}`;
    }
    if (regs.length === 0) text += '\n(belum ada pendaftar)';
    return stay(text, forumButtons(id));
  }

  async function csv(ctx: Ctx, id: string): Promise<StepOutcome> {
    const forum = await fs.forums.get(id);
    if (!forum) return stay(L(ctx.lang, 'Forum tidak ditemukan.', 'Forum not found.'));
    const bytes = await fs.forums.exportCsv(forum._id);
    const slug = forum.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'forum';
    const doc: Reply = { kind: 'document', fileName: `pendaftar-${slug}.csv`, mimeType: 'text/csv', base64: bytes.toString('base64'), caption: `Pendaftar: ${forum.title}` };
    return { kind: 'stay', say: [doc, say('Berkas CSV terkirim.', forumButtons(id))] };
  }

  function attendanceAnswer(ctx: Ctx, r: Awaited<ReturnType<ForumsServices['forums']['markAttendance']>>): StepOutcome {
    switch (r.kind) {
      case 'marked':
        return stay(
          r.already ? `${r.registration.name} (${r.registration.code}) sudah tercatat hadir.` : `✅ ${r.registration.name} (${r.registration.code}) tercatat hadir.`,
          [{ id: `${NAME}:f:${String(r.registration.forumId)}`, title: 'Selesai' }],
        );
      case 'many':
        return stay(
          'Ada beberapa nama yang cocok. Pilih yang hadir:',
          r.matches.slice(0, 10).map((m) => ({ id: `${NAME}:hadir:${String(m._id)}`, title: clip(m.name, 24), description: `${m.code} · ${m.kelurahan}` })),
        );
      case 'none':
        return stay(L(ctx.lang, 'Tidak ada pendaftar dengan nama atau kode itu. Periksa ejaannya, atau ketik kodenya (contoh: FW-7K2Q9M).', 'No registrant with that name or code. Check the spelling or type the code (e.g. FW-7K2Q9M).'));
    }
  }

  async function cancelForum(ctx: Ctx, id: string): Promise<StepOutcome> {
    const r = await fs.forums.cancel(id, ctx.now);
    if (r.kind === 'not-found') return { kind: 'done', say: [say('Forum tidak ditemukan.')] };
    if (r.kind === 'already') return { kind: 'done', say: [say('Forum itu sudah dibatalkan sebelumnya.')] };
    return { kind: 'done', say: [say(`Forum "${r.forum.title}" dibatalkan. ${r.told} pendaftar (termasuk daftar tunggu) diberi tahu; pengingat tidak akan dikirim.`)] };
  }

  async function statsText(ctx: Ctx): Promise<string> {
    const c = await fs.forums.reminderCounts();
    const o = c.byOutcome;
    return L(
      ctx.lang,
      `Pengingat forum:\n• terkirim ${c.byStatus.sent} (lewat template WhatsApp ${o['template'] ?? 0})\n• gagal ${c.byStatus.failed} (memblokir bot ${o['blocked'] ?? 0}, di luar jendela 24 jam ${o['outside-window'] ?? 0})\n• dilewati ${c.byStatus.skipped}\n• menunggu ${c.byStatus.pending}, sedang dikirim ${c.byStatus.sending}`,
      `Forum reminders:\n• sent ${c.byStatus.sent} (by WhatsApp template ${o['template'] ?? 0})\n• failed ${c.byStatus.failed} (blocked the bot ${o['blocked'] ?? 0}, outside the 24-hour window ${o['outside-window'] ?? 0})\n• skipped ${c.byStatus.skipped}\n• waiting ${c.byStatus.pending}, being sent ${c.byStatus.sending}`,
    );
  }

  /** After a valid answer: the next question (new forum), or save the change (edit). */
  /** The start time is known: refuse a time already past, otherwise go on from the time step. */
  async function startAtChosen(ctx: Ctx, day: LocalDay, clock: { hour: number; minute: number }): Promise<StepOutcome> {
    const startAt = toInstant(day, clock, ctx.tz);
    if (startAt.getTime() <= ctx.now.getTime()) {
      return {
        kind: 'next',
        step: 'time',
        data: { ...ctx.data, day },
        say: [say(`Waktu itu sudah lewat (sekarang ${formatWhen(ctx.now, 'id', ctx.tz)}). Ketik jam yang akan datang, atau ketik "kembali" untuk mengganti tanggal. Contoh: ${exampleDay(ctx.now, ctx.tz)} pukul 09.00`)],
      };
    }
    return advance(ctx, 'time', { ...ctx.data, day, startAt: startAt.toISOString() }, { startAt });
  }

  async function advance(ctx: Ctx, step: string, data: Data, patch: Partial<ForumInput>): Promise<StepOutcome> {
    if (!isEdit(data)) return { kind: 'next', step: NEXT_STEP[step] ?? 'confirm', data };
    const r = await fs.forums.update(str(data, 'forumId') ?? '', patch, ctx.now);
    switch (r.kind) {
      case 'updated': {
        const notes = [r.moved ? `${r.told} pendaftar diberi tahu jadwal baru; pengingat mengikuti.` : '', r.promoted ? `${r.promoted} warga naik dari daftar tunggu.` : ''].filter(Boolean).join(' ');
        return { kind: 'next', step: 'forum', data: { forumId: String(r.forum._id) }, say: [say(`✅ Perubahan tersimpan. ${notes}`.trim())] };
      }
      case 'capacity-below-registered':
        return stay(`Kapasitas tidak bisa di bawah jumlah yang sudah terdaftar (${r.registered}). Ketik angka ${r.registered} atau lebih.`);
      case 'deadline-after-start':
        return stay('Batas pendaftaran harus sebelum forum dimulai. Coba lagi, misalnya "1 hari sebelum".');
      case 'cancelled':
        return { kind: 'done', say: [say('Forum itu sudah dibatalkan; tidak bisa diubah.')] };
      case 'not-found':
        return { kind: 'done', say: [say('Forum tidak ditemukan.')] };
    }
  }

  /** A plain text field (title, topic, venue). */
  function textField(key: 'title' | 'topic' | 'venue', question: string, max: number, example: string) {
    return {
      prompt: (): Reply[] => [say(question)],
      async handle(ctx: Ctx, input: InboundContent): Promise<StepOutcome> {
        const routed = await routeChoice(ctx, input);
        if (routed) return routed;
        const raw = textOf(input);
        if (raw === undefined) return stay(`Mohon ketik ${FIELD_LABEL[key].toLowerCase()} sebagai teks. Contoh: ${example}`);
        const r = cleanInput(raw, { min: 3, max, multiline: key === 'topic' });
        if (!r.ok) return badField(ctx, r, example);
        return advance(ctx, key, { ...ctx.data, [key]: r.value }, { [key]: r.value });
      },
    };
  }

  const startOf = (d: Data): Date | undefined => (typeof d['startAt'] === 'string' ? new Date(d['startAt']) : undefined);

  /** The draft of a new forum as the service takes it. */
  function draft(d: Data): ForumInput | undefined {
    const startAt = startOf(d);
    const deadline = typeof d['deadline'] === 'string' ? new Date(d['deadline']) : undefined;
    const [title, topic, venue] = [str(d, 'title'), str(d, 'topic'), str(d, 'venue')];
    if (!title || !topic || !venue || !startAt || !deadline || typeof d['durationMinutes'] !== 'number' || typeof d['capacity'] !== 'number') return undefined;
    return { title, topic, venue, kelurahan: str(d, 'kelurahan') ?? null, startAt, durationMinutes: d['durationMinutes'], capacity: d['capacity'], registrationDeadline: deadline };
  }

  return {
    name: NAME,
    intents: ['staff.forum'],
    feedIntent: false,
    title: { id: 'Kelola forum', en: 'Manage forums' },
    start: 'home',
    staffOnly: true,
    menu: { order: 80, staffOnly: true, title: { id: 'Kelola forum', en: 'Manage forums' }, description: { id: 'Petugas: buat forum, pendaftar, hadir', en: 'Staff: forums, registrants, attendance' } },
    commands: ['forumstaf'],
    steps: {
      home: {
        async prompt(ctx) {
          const forums = await fs.forums.upcoming(ctx.now, { limit: 8 });
          const choices: Choice[] = [
            ...forums.map((f) => forumChoice(`${NAME}:f:`, f, ctx.tz, ctx.lang)),
            { id: `${NAME}:new`, title: 'Buat forum baru' },
            { id: `${NAME}:stats`, title: 'Ringkasan pengingat' },
          ];
          const head = forums.length ? `Forum terjadwal (${forums.length}). Pilih forum untuk melihat pendaftar, menandai hadir, mengubah atau membatalkan:` : 'Belum ada forum terjadwal.';
          return [{ kind: 'text', text: head, choices, listButton: 'Pilih' }];
        },
        async handle(ctx, input) {
          if (input.kind === 'command') return { kind: 'stay', say: await this.prompt(ctx) };
          return (await routeChoice(ctx, input)) ?? stay('Silakan pilih dari daftar, atau ketuk "Buat forum baru".');
        },
      },

      forum: {
        async prompt(ctx) {
          const f = await fs.forums.get(str(ctx.data, 'forumId') ?? '');
          if (!f) return [say('Forum tidak ditemukan.', [{ id: `${NAME}:home`, title: 'Daftar forum' }])];
          const c = await fs.forums.counts(f._id);
          const rc = await fs.forums.reminderCounts(f._id);
          const status = f.status === 'cancelled' ? '\n❌ DIBATALKAN' : '';
          return [
            say(
              `${forumDetails(f, 'id', ctx.tz)}${status}\n\nTerdaftar ${c.registered}/${f.capacity} · daftar tunggu ${c.waitlisted} · hadir ${c.attended} · batal ${c.cancelled}\nPendaftaran ditutup ${formatWhen(f.registrationDeadline, 'id', ctx.tz)}\nPengingat: terkirim ${rc.byStatus.sent}, gagal ${rc.byStatus.failed}, dilewati ${rc.byStatus.skipped}, menunggu ${rc.byStatus.pending + rc.byStatus.sending}`,
              f.status === 'cancelled' ? [{ id: `${NAME}:reg:${String(f._id)}`, title: 'Pendaftar' }, { id: `${NAME}:csv:${String(f._id)}`, title: 'Ekspor CSV' }] : forumButtons(String(f._id)),
            ),
          ];
        },
        async handle(ctx, input) {
          return (await routeChoice(ctx, input)) ?? stay('Silakan pilih salah satu tombol di atas. Ketik "menu" untuk keluar.');
        },
      },

      attendance: {
        // Typed text here is the answer (a name, an address, a story), never a request to go elsewhere.
        freeText: true,
        prompt: (ctx) => [say('Ketik nama atau kode pendaftaran peserta yang hadir (contoh: FW-7K2Q9M). Satu per pesan. Ketuk "Selesai" bila sudah.', [{ id: `${NAME}:f:${str(ctx.data, 'forumId') ?? ''}`, title: 'Selesai' }])],
        async handle(ctx, input) {
          const routed = await routeChoice(ctx, input);
          if (routed) return routed;
          const raw = textOf(input);
          const forum = await fs.forums.get(str(ctx.data, 'forumId') ?? '');
          if (!forum) return { kind: 'done', say: [say('Forum tidak ditemukan.')] };
          const q = raw === undefined ? undefined : cleanInput(raw, { max: 80 });
          if (!q?.ok) return stay('Ketik nama atau kode pendaftaran, contoh: FW-7K2Q9M.');
          return attendanceAnswer(ctx, await fs.forums.markAttendance(forum._id, q.value, ctx.now));
        },
      },

      editField: {
        prompt: (ctx) => [say('Apa yang ingin diubah?', FIELDS.map((f) => ({ id: `${NAME}:field:${f}`, title: FIELD_LABEL[f] })).concat([{ id: `${NAME}:f:${str(ctx.data, 'forumId') ?? ''}`, title: 'Tidak jadi' }]))],
        async handle(ctx, input) {
          const field = choiceArg(input, `${NAME}:field:`) as Field | undefined;
          if (field && FIELDS.includes(field)) return { kind: 'next', step: field, data: { ...ctx.data, mode: 'edit' } };
          return (await routeChoice(ctx, input)) ?? stay('Silakan pilih bagian yang ingin diubah dari tombol di atas.');
        },
      },

      cancelConfirm: {
        async prompt(ctx) {
          const f = await fs.forums.get(str(ctx.data, 'forumId') ?? '');
          if (!f) return [say('Forum tidak ditemukan.', [{ id: `${NAME}:home`, title: 'Daftar forum' }])];
          const c = await fs.forums.counts(f._id);
          return [
            say(`Batalkan forum "${f.title}" (${formatWhen(f.startAt, 'id', ctx.tz)})? ${c.registered + c.waitlisted} pendaftar akan diberi tahu dan pengingat dihentikan.`, [
              { id: `${NAME}:cancelyes:${String(f._id)}`, title: 'Ya, batalkan' },
              { id: `${NAME}:f:${String(f._id)}`, title: 'Tidak' },
            ]),
          ];
        },
        async handle(ctx, input) {
          return (await routeChoice(ctx, input)) ?? stay('Ketuk "Ya, batalkan" atau "Tidak".');
        },
      },

      title: textField('title', 'Judul forum? (contoh: Forum Warga Sampangan: Drainase dan Banjir)', 100, 'Forum Warga Sampangan: Drainase'),
      topic: textField('topic', 'Topik yang dibahas? (satu-dua kalimat)', 500, 'Penanganan genangan di Jl. Menoreh'),
      venue: textField('venue', 'Tempatnya di mana? (contoh: Aula Kantor Kecamatan Gajahmungkur, Jl. Gajahmungkur Selatan)', 150, 'Aula Kelurahan Sampangan'),

      kelurahan: {
        prompt: () => [
          {
            kind: 'text',
            text: 'Untuk warga kelurahan mana? (atau se-kecamatan)',
            choices: [{ id: `${NAME}:kel:all`, title: 'Se-kecamatan' }, ...KELURAHAN.map((k) => ({ id: `${NAME}:kel:${kelurahanSlug(k)}`, title: k }))],
            listButton: 'Pilih',
          },
        ],
        async handle(ctx, input) {
          const slug = choiceArg(input, `${NAME}:kel:`);
          const typed = textOf(input);
          const all = slug === 'all' || (typed !== undefined && /kecamatan|semua/i.test(typed));
          const kel = all ? null : slug ? kelurahanFromSlug(slug) : typed ? typedKelurahan(typed) : undefined;
          if (kel === undefined) return (await routeChoice(ctx, input)) ?? stay('Pilih kelurahan dari daftar, atau "Se-kecamatan".');
          const data = { ...ctx.data, kelurahan: kel };
          return advance(ctx, 'kelurahan', data, { kelurahan: kel });
        },
      },

      date: {
        prompt: (ctx) => [say(`Tanggal forum? Contoh: ${exampleDay(ctx.now, ctx.tz)}, "besok", "Senin depan", "tgl 12" (boleh dengan jam: "besok jam 9 pagi").`)],
        async handle(ctx, input) {
          const routed = await routeChoice(ctx, input);
          if (routed) return routed;
          const raw = textOf(input) ?? '';
          const r = parseDay(raw, ctx.now, ctx.tz);
          const example = exampleDay(ctx.now, ctx.tz);
          // Words as staff say them ("besok", "senin depan", "tgl 12", "12/1"), read by the date slot.
          const slot = r.ok ? undefined : dateSlot(raw, ctx.now, ctx.tz);
          const day = r.ok ? r.value : slot ? localDayOf(slot.date) : undefined;
          if (!day || (slot && slot.date < localDate(ctx.now, ctx.tz))) {
            const why =
              !r.ok && r.reason === 'invalid' ? `Tanggal "${raw.trim()}" tidak ada di kalender.` : (!r.ok && r.reason === 'past') || slot ? `Tanggal "${raw.trim()}" sudah lewat.` : 'Format tanggal tidak saya kenali.';
            return stay(`${why} Mohon ketik tanggal yang akan datang, contoh: ${example}, "besok" atau "Senin depan".`);
          }
          // "besok jam 9 pagi": the time is given too, so the time question is skipped.
          const clock = slot ? timeSlot(raw) : undefined;
          if (clock) return startAtChosen(ctx, day, clock);
          // Say which day was understood ("besok" → "Selasa, 1 Desember 2026").
          return { kind: 'next', step: 'time', data: { ...ctx.data, day }, say: [say(`🗓 ${formatDay(toInstant(day, { hour: 12, minute: 0 }, ctx.tz), 'id', ctx.tz)}`)] };
        },
      },

      time: {
        prompt: () => [say('Jam mulai (WIB)? Contoh: 09.00, 19:30, "jam 9 pagi" atau "jam 7 malam"')],
        async handle(ctx, input) {
          const routed = await routeChoice(ctx, input);
          if (routed) return routed;
          const raw = textOf(input) ?? '';
          const r = parseClock(raw);
          const clock = r.ok ? r.value : timeSlot(raw);
          if (!clock) return stay('Jam tidak saya kenali. Ketik jam 24-jam seperti 09.00 atau 19:30, atau "jam 7 malam".');
          return startAtChosen(ctx, ctx.data['day'] as LocalDay, clock);
        },
      },

      duration: {
        prompt: () => [say('Berapa lama? Contoh: 2 jam, 90 menit')],
        async handle(ctx, input) {
          const routed = await routeChoice(ctx, input);
          if (routed) return routed;
          const m = parseDurationMinutes(textOf(input) ?? '');
          if (m === undefined || m < 15 || m > 12 * 60) return stay('Durasi antara 15 menit dan 12 jam. Contoh: 2 jam, atau 90 menit.');
          return advance(ctx, 'duration', { ...ctx.data, durationMinutes: m }, { durationMinutes: m });
        },
      },

      capacity: {
        prompt: () => [say('Kapasitas (jumlah kursi)? Contoh: 50')],
        async handle(ctx, input) {
          const routed = await routeChoice(ctx, input);
          if (routed) return routed;
          const s = (textOf(input) ?? '').trim();
          const n = /^\d{1,4}$/.test(s) ? Number(s) : NaN;
          if (!(n >= 1 && n <= 5000)) return stay('Kapasitas berupa angka 1 sampai 5000. Contoh: 50');
          return advance(ctx, 'capacity', { ...ctx.data, capacity: n }, { capacity: n });
        },
      },

      deadline: {
        prompt: () => [
          say('Batas akhir pendaftaran? Pilih, atau ketik tanggal dan jam (contoh: 30/12/2026 17.00).', [
            { id: `${NAME}:dl:24`, title: '1 hari sebelum' },
            { id: `${NAME}:dl:3`, title: '3 jam sebelum' },
            { id: `${NAME}:dl:0`, title: 'Saat mulai' },
          ]),
        ],
        async handle(ctx, input) {
          const existing = isEdit(ctx.data) ? await fs.forums.get(str(ctx.data, 'forumId') ?? '') : null;
          const startAt = existing?.startAt ?? startOf(ctx.data);
          if (!startAt) return { kind: 'next', step: 'date', data: ctx.data };
          let deadline: Date | undefined;
          const hours = choiceArg(input, `${NAME}:dl:`);
          if (hours !== undefined && /^\d+$/.test(hours)) deadline = new Date(startAt.getTime() - Number(hours) * 3_600_000);
          else {
            const routed = await routeChoice(ctx, input);
            if (routed) return routed;
            const m = /^(.+?)\s+(?:pukul\s+|jam\s+)?(\d{1,2}[.:]\d{2})$/i.exec((textOf(input) ?? '').trim());
            const parsedDay = m ? parseDay(m[1]!, ctx.now, ctx.tz) : undefined;
            const parsedClock = m ? parseClock(m[2]!) : undefined;
            const raw = textOf(input) ?? '';
            const slotDay = dateSlot(raw, ctx.now, ctx.tz);
            const day = parsedDay?.ok ? parsedDay.value : slotDay ? localDayOf(slotDay.date) : undefined;
            const clock = parsedClock?.ok ? parsedClock.value : timeSlot(raw);
            if (!day || !clock) return stay(`Tidak saya kenali. Pilih tombol, atau ketik tanggal dan jam, contoh: ${exampleDay(ctx.now, ctx.tz, 3)} 17.00 atau "besok jam 5 sore"`);
            deadline = toInstant(day, clock, ctx.tz);
          }
          if (deadline.getTime() > startAt.getTime()) return stay('Batas pendaftaran harus sebelum forum dimulai. Pilih tombol atau ketik waktu yang lebih awal.');
          if (deadline.getTime() <= ctx.now.getTime()) return stay('Batas itu sudah lewat. Pilih "Saat mulai" atau ketik waktu yang akan datang.');
          return advance(ctx, 'deadline', { ...ctx.data, deadline: deadline.toISOString() }, { registrationDeadline: deadline });
        },
      },

      confirm: {
        prompt(ctx) {
          const d = draft(ctx.data);
          if (!d) return [say('Data forum belum lengkap. Ketik "kembali" untuk melengkapi.')];
          const preview = forumDetails(d, 'id', ctx.tz);
          return [
            say(`Periksa lagi:\n\n${preview}\nKapasitas: ${d.capacity}\nPendaftaran ditutup: ${formatWhen(d.registrationDeadline, 'id', ctx.tz)}\n\nSimpan dan buka pendaftaran?`, [
              { id: `${NAME}:save`, title: 'Simpan' },
              { id: `${NAME}:discard`, title: 'Buang' },
            ]),
          ];
        },
        async handle(ctx, input) {
          if (input.kind === 'choice' && input.id === `${NAME}:discard`) return { kind: 'done', say: [say('Baik, forum tidak disimpan.')] };
          if (input.kind !== 'choice' || input.id !== `${NAME}:save`) return (await routeChoice(ctx, input)) ?? stay('Ketuk "Simpan" atau "Buang" (atau ketik "kembali" untuk mengubah).');
          const d = draft(ctx.data);
          if (!d) return stay('Data forum belum lengkap. Ketik "kembali" untuk melengkapi.');
          if (d.startAt.getTime() <= ctx.now.getTime()) return { kind: 'next', step: 'date', data: ctx.data, say: [say('Waktu mulai sudah lewat; mohon isi tanggal lagi.')] };
          const forum: ForumDoc = await fs.forums.create(d, `${ctx.contact.channel}:${ctx.contact.userKey}`, ctx.now);
          return {
            kind: 'next',
            step: 'forum',
            data: { forumId: String(forum._id) },
            say: [say(`✅ Forum tersimpan dan pendaftaran dibuka. Warga bisa mendaftar lewat menu "Forum warga".`)],
          };
        },
      },
    },
  };
}
