/**
 * "Sampaikan pengaduan / aspirasi": the resident's guided complaint, one question at a time.
 *
 *   category → kelurahan → place → description → photos (optional) → identity → [phone, Telegram]
 *   → summary (Kirim / Ubah / Batal) → saved, then the ticket number.
 *
 * The draft lives in the session until sent. A complaint written as the first message keeps the
 * whole message as its description (unless it only says "mau lapor", or "mau lapor jalan rusak"
 * with too little story beyond the request) and takes the category,
 * kelurahan and street from it (the slot extractors in `src/domain/understanding/slots/`), so only
 * what is missing is asked. Choice steps also accept typed answers in close spellings ("karang
 * rejo", "ga tau kelurahannya", "ga ada foto", "anonim aja"). "Ubah" on the summary returns to one
 * step and comes back to the summary.
 */
import type { Flow, StepContext, StepOutcome } from '../src/core/flow.js';
import type { Choice, InboundContent, Lang, Reply } from '../src/core/messages.js';
import {
  CATEGORIES,
  CATEGORY_DESCRIPTIONS,
  categoryLabel,
  IDENTITIES,
  IDENTITY_DESCRIPTIONS,
  IDENTITY_LABELS,
  isCategoryId,
  type CategoryId,
  isIdentity,
  isKelurahanId,
  KELURAHAN,
  KELURAHAN_UNKNOWN,
  kelurahanName,
} from '../src/domain/complaints/catalog.js';
import type { PhotoIntake } from '../src/domain/complaints/photo-intake.js';
import type { ComplaintService } from '../src/domain/complaints/service.js';
import { charLength, cleanText, preview } from '../src/domain/complaints/text.js';
import { dueDay, placeLine } from '../src/domain/complaints/views.js';
import { categorySlot, identityAnswer, isBareRequest, isCancelRequest, isNone, kelurahanSlot } from '../src/domain/understanding/slots/index.js';
import type { AppServices } from '../src/services.js';
import { ADDRESS_MAX, ADDRESS_MIN, asData, DESCRIPTION_MAX, DESCRIPTION_MIN, draftFromMessage, draftOf, MAX_PHOTOS, phoneFrom, placeFrom, type ComplaintDraft } from './complaint-draft.js';
import { fill } from '../src/core/texts.js';
import { confirmStep } from './confirm.js';

export { ADDRESS_MAX, ADDRESS_MIN, DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_PHOTOS, type ComplaintDraft } from './complaint-draft.js';

const T = {
  askCategory: { id: 'Apa jenis pengaduan atau aspirasi Anda? Silakan pilih kategorinya:', en: 'What is your complaint or aspiration about? Please choose a category:' },
  offer: {
    id: 'Sepertinya Anda ingin menyampaikan pengaduan. 📝 Saya bisa mencatatnya sebagai laporan resmi ke Kantor Kecamatan Gajahmungkur; yang sudah Anda tulis akan dipakai sebagai uraian.\n\nUntuk mulai, pilih kategorinya (atau ketik "batal" jika tidak jadi):',
    en: 'It sounds like you want to report a problem. 📝 I can file it as an official report to the Gajahmungkur sub-district office, using what you already wrote as the description.\n\nTo start, choose a category (or type "cancel" if not):',
  },
  offerNoDescription: {
    id: 'Sepertinya Anda ingin menyampaikan pengaduan. 📝 Saya bisa mencatatnya sebagai laporan resmi ke Kantor Kecamatan Gajahmungkur.\n\nUntuk mulai, pilih kategorinya (atau ketik "batal" jika tidak jadi):',
    en: 'It sounds like you want to report a problem. 📝 I can file it as an official report to the Gajahmungkur sub-district office.\n\nTo start, choose a category (or type "cancel" if not):',
  },
  keptHead: { id: 'Dari pesan Anda sudah saya catat (bisa diubah di ringkasan):', en: 'From your message I noted (you can change it in the summary):' },
  keptDescription: { id: 'Uraian: pesan Anda', en: 'Description: your message' },
  kelurahanUnknown: {
    id: 'Tidak apa-apa, petugas akan menentukan kelurahannya dari lokasi yang Anda berikan.',
    en: 'No problem, staff will work out the kelurahan from the location you give.',
  },
  pickCategory: { id: 'Mohon pilih salah satu kategori dari daftar.', en: 'Please choose one of the categories in the list.' },
  limit: {
    id: 'Mohon maaf, hari ini Anda sudah mengirim {limit} pengaduan, batas harian per orang. Silakan kirim lagi besok, atau datang langsung ke Kantor Kecamatan Gajahmungkur. Untuk keadaan darurat, hubungi 112.',
    en: 'Sorry, you have already sent {limit} complaints today, the daily limit per person. Please send more tomorrow, or visit the Gajahmungkur sub-district office. In an emergency, call 112.',
  },
  askKelurahan: { id: 'Di kelurahan mana lokasinya?', en: 'Which kelurahan (urban village) is it in?' },
  outside: { id: 'Di luar Gajahmungkur', en: 'Outside Gajahmungkur' },
  outsideInfo: {
    id: 'Lokasi di luar Kecamatan Gajahmungkur ditangani oleh kecamatan setempat. Silakan sampaikan ke kantor kecamatan tempat lokasi itu berada, atau laporkan melalui SP4N-LAPOR! di https://www.lapor.go.id (SMS 1708) agar diteruskan ke instansi yang berwenang.\n\nPengaduan ini tidak disimpan. Ketik "menu" untuk kembali ke menu utama.',
    en: 'Places outside Kecamatan Gajahmungkur are handled by their own sub-district. Please contact the sub-district office where the place is, or report through SP4N-LAPOR! at https://www.lapor.go.id (SMS 1708), which forwards reports to the right agency.\n\nThis complaint was not saved. Type "menu" for the main menu.',
  },
  pickKelurahan: { id: 'Mohon pilih kelurahan dari daftar.', en: 'Please choose a kelurahan from the list.' },
  askPlace: {
    id: 'Di mana tepatnya lokasinya? Bagikan lokasi (📎 → Lokasi), atau ketik alamat / patokan, misalnya "Jl. Menoreh Raya depan SD".',
    en: 'Where exactly is it? Share a location (📎 → Location), or type an address / landmark, e.g. "Jl. Menoreh Raya, opposite the primary school".',
  },
  placeTooShort: { id: 'Alamat itu terlalu singkat. Mohon tulis alamat atau patokan yang jelas (minimal {min} karakter), atau bagikan lokasi.', en: 'That address is too short. Please write a clear address or landmark (at least {min} characters), or share a location.' },
  placeTooLong: { id: 'Alamatnya terlalu panjang ({length} karakter). Mohon ringkas menjadi paling banyak {max} karakter; ceritanya bisa ditulis di langkah berikutnya.', en: 'The address is too long ({length} characters). Please keep it to {max} characters; the story comes in the next step.' },
  placeNeeded: { id: 'Mohon bagikan lokasi atau ketik alamat / patokannya.', en: 'Please share a location or type the address / landmark.' },
  askDescription: {
    id: 'Ceritakan masalahnya: apa yang terjadi, di mana persisnya, sejak kapan, dan dampaknya ({min}–{max} karakter).',
    en: 'Describe the problem: what happened, exactly where, since when, and how it affects people ({min}–{max} characters).',
  },
  descTooShort: {
    id: 'Uraiannya masih terlalu singkat ({length} karakter). Mohon jelaskan minimal {min} karakter, misalnya apa masalahnya, sejak kapan, dan siapa yang terdampak.',
    en: 'The description is too short ({length} characters). Please write at least {min} characters, e.g. what the problem is, since when, and who is affected.',
  },
  descTooLong: {
    id: 'Uraiannya terlalu panjang ({length} karakter). Mohon ringkas menjadi paling banyak {max} karakter, lalu kirim lagi.',
    en: 'The description is too long ({length} characters). Please shorten it to at most {max} characters and send it again.',
  },
  descNeeded: { id: 'Mohon tuliskan uraian masalahnya dalam bentuk teks.', en: 'Please type the description as text.' },
  askPhotos: {
    id: 'Ada foto pendukung? Kirim hingga {max} foto (maks. 5 MB per foto), atau pilih Lewati.',
    en: 'Any photos? Send up to {max} photos (at most 5 MB each), or choose Skip.',
  },
  photosSoFar: { id: 'Foto tersimpan: {count} dari {max}. Kirim foto lagi, atau pilih Lanjut.', en: 'Photos saved: {count} of {max}. Send another, or choose Continue.' },
  photoSaved: { id: 'Foto {count} dari {max} tersimpan. ✅', en: 'Photo {count} of {max} saved. ✅' },
  photoMaxed: { id: 'Sudah {max} foto, batas maksimal.', en: 'That is {max} photos, the maximum.' },
  photoExtra: { id: 'Sudah ada {max} foto (batas maksimal); foto ini tidak disimpan.', en: 'There are already {max} photos (the maximum); this one was not saved.' },
  photoNotImage: { id: 'Yang bisa dilampirkan hanya foto (JPG/PNG). Kirim foto, atau pilih Lewati.', en: 'Only photos (JPG/PNG) can be attached. Send a photo, or choose Skip.' },
  photoTooLarge: { id: 'Foto itu lebih besar dari 5 MB, jadi tidak bisa disimpan. Mohon kirim foto yang lebih kecil.', en: 'That photo is larger than 5 MB, so it could not be saved. Please send a smaller one.' },
  photoUnavailable: { id: 'Maaf, foto itu gagal diunduh dari aplikasi chat. Mohon kirim ulang fotonya.', en: 'Sorry, that photo could not be downloaded from the chat app. Please send it again.' },
  photoFailed: { id: 'Maaf, foto gagal disimpan karena gangguan. Mohon kirim ulang sebentar lagi; data lain Anda tetap aman.', en: 'Sorry, the photo could not be saved because of a fault. Please send it again shortly; the rest of your draft is safe.' },
  photoEarly: { id: 'Foto tersimpan ({count} dari {max}) dan akan dilampirkan. ✅', en: 'Photo saved ({count} of {max}); it will be attached. ✅' },
  photosCleared: { id: 'Foto dihapus dari draf.', en: 'Photos removed from the draft.' },
  skip: { id: 'Lewati', en: 'Skip' },
  continue: { id: 'Lanjut', en: 'Continue' },
  clearPhotos: { id: 'Hapus foto', en: 'Remove photos' },
  askIdentity: {
    id: 'Bagaimana identitas Anda ditampilkan kepada petugas?\n• Dengan nama: petugas melihat nama & nomor Anda.\n• Anonim: petugas melihat laporan, tetapi tidak nama & nomor Anda.\n• Rahasia: hanya pejabat yang ditunjuk yang melihat laporan ini.\nApa pun pilihannya, Anda tetap bisa mengecek status laporan.',
    en: 'How should you appear to staff?\n• With my name: staff see your name and number.\n• Anonymous: staff see the report but not your name or number.\n• Confidential: only designated senior officers see the report.\nWhatever you choose, you can still check its status.',
  },
  pickIdentity: { id: 'Mohon pilih salah satu: Dengan nama, Anonim, atau Rahasia.', en: 'Please choose one: With my name, Anonymous, or Confidential.' },
  askPhone: {
    id: 'Boleh kami minta nomor HP Anda agar petugas bisa menghubungi bila perlu? Bagikan kontak Anda (📎 → Kontak) atau ketik nomornya, atau pilih Lewati.',
    en: 'May we have your phone number so staff can reach you if needed? Share your contact (📎 → Contact) or type the number, or choose Skip.',
  },
  badPhone: { id: 'Nomor itu sepertinya tidak valid. Ketik nomor HP seperti 081234567890, bagikan kontak, atau pilih Lewati.', en: 'That does not look like a phone number. Type one like 081234567890, share your contact, or choose Skip.' },
  summaryHead: { id: 'Ringkasan pengaduan Anda:', en: 'Summary of your complaint:' },
  summaryAsk: { id: 'Kirim sekarang?', en: 'Send it now?' },
  send: { id: 'Kirim', en: 'Send' },
  edit: { id: 'Ubah', en: 'Change' },
  cancel: { id: 'Batal', en: 'Cancel' },
  askEdit: { id: 'Bagian mana yang ingin diubah?', en: 'Which part do you want to change?' },
  pickSummary: { id: 'Silakan pilih Kirim, Ubah, atau Batal.', en: 'Please choose Send, Change or Cancel.' },
  confirmCancel: { id: 'Yakin membatalkan pengaduan ini? Semua yang sudah Anda isi akan dihapus.', en: 'Cancel this complaint? Everything you filled in will be discarded.' },
  confirmCancelYes: { id: 'Ya, batalkan', en: 'Yes, cancel' },
  confirmCancelNo: { id: 'Tidak, lanjutkan', en: 'No, continue' },
  cancelled: { id: 'Baik, pengaduan dibatalkan. Tidak ada yang disimpan. Ketik "menu" untuk kembali ke menu utama.', en: 'OK, the complaint is cancelled. Nothing was saved. Type "menu" for the main menu.' },
  saved: {
    id: '✅ Pengaduan Anda sudah tersimpan.\nNomor tiket: {ticket}\n\nPetugas kecamatan akan menanggapi paling lambat {due} ({days} hari kerja). Setiap perubahan status akan dikabarkan lewat chat ini.\n\nCek kapan saja dengan mengetik: cek {ticket}',
    en: '✅ Your complaint is saved.\nTicket number: {ticket}\n\nThe sub-district office will respond by {due} ({days} working days). You will hear about every status change in this chat.\n\nCheck any time by typing: cek {ticket}',
  },
  duplicate: {
    id: 'Pengaduan dengan isi yang sama sudah kami terima beberapa menit lalu dengan nomor tiket {ticket}, jadi tidak dibuat tiket baru. Cek statusnya dengan mengetik: cek {ticket}',
    en: 'We received a complaint with the same text a few minutes ago as ticket {ticket}, so no new ticket was made. Check it by typing: cek {ticket}',
  },
  saveFailed: {
    id: 'Maaf, pengaduan Anda belum tersimpan karena gangguan sistem. Draf Anda masih ada; silakan pilih Kirim lagi sebentar lagi.',
    en: 'Sorry, your complaint could not be saved because of a system fault. Your draft is kept; please choose Send again in a moment.',
  },
  staleButton: { id: 'Tombol itu dari pesan lama.', en: 'That button belongs to an old message.' },
  locationSaved: { id: 'Lokasi tersimpan. 📍', en: 'Location saved. 📍' },
} as const satisfies Record<string, Record<Lang, string>>;

function say(lang: Lang, key: keyof typeof T, vars: Record<string, string | number> = {}): string {
  return fill(T[key][lang], vars);
}

const text = (t: string, choices?: Choice[]): Reply => (choices?.length ? { kind: 'text', text: t, choices } : { kind: 'text', text: t });

/** Whether to ask for a phone number: Telegram gives none, and a named/confidential reporter may want a call back. */
function needsPhone(ctx: StepContext<AppServices>, d: ComplaintDraft): boolean {
  return ctx.contact.channel === 'telegram' && d.identity !== 'anonim' && !ctx.contact.phone && !d.phone && !d.phoneAsked;
}

/** The first unanswered step, or the summary. */
function nextStep(ctx: StepContext<AppServices>, d: ComplaintDraft): string {
  if (!d.category) return 'category';
  if (!d.kelurahan) return 'kelurahan';
  if (!d.place) return 'place';
  if (!d.description) return 'description';
  if (!d.photosDone && (d.photos?.length ?? 0) < MAX_PHOTOS) return 'photos';
  if (!d.identity) return 'identity';
  if (needsPhone(ctx, d)) return 'phone';
  return 'summary';
}

/**
 * The categories residents use most, shown first; the rest sit behind "Kategori lain". Why: one
 * WhatsApp list holds at most 10 rows, and twelve categories would need a second list message.
 */
const MAIN_CATEGORIES: readonly CategoryId[] = ['jalan', 'drainase', 'sampah', 'pju', 'adminduk', 'layanan', 'pungli', 'trantib', 'sosial'];
const MORE_CATEGORIES_ID = 'complaint:cat-more';

function categoryChoice(id: CategoryId, lang: Lang): Choice {
  const c = CATEGORIES.find((x) => x.id === id)!;
  const description = CATEGORY_DESCRIPTIONS[c.id]?.[lang];
  return { id: `complaint:cat:${c.id}`, title: c.label[lang], ...(description ? { description } : {}) };
}

function categoryChoices(lang: Lang, page: 'main' | 'more' = 'main'): Choice[] {
  const rest = CATEGORIES.map((c) => c.id).filter((id) => !MAIN_CATEGORIES.includes(id));
  if (page === 'more') return rest.map((id) => categoryChoice(id, lang));
  const more = rest.map((id) => CATEGORIES.find((c) => c.id === id)!.label[lang]).join(', ');
  return [...MAIN_CATEGORIES.map((id) => categoryChoice(id, lang)), { id: MORE_CATEGORIES_ID, title: lang === 'en' ? 'Other categories…' : 'Kategori lain…', description: more }];
}

function kelurahanChoices(lang: Lang): Choice[] {
  return [...KELURAHAN.map((k) => ({ id: `complaint:kel:${k.id}`, title: k.name })), { id: 'complaint:kel:luar', title: say(lang, 'outside') }];
}

function photoChoices(lang: Lang, d: ComplaintDraft): Choice[] {
  return (d.photos?.length ?? 0) > 0
    ? [{ id: 'complaint:photo:next', title: say(lang, 'continue') }, { id: 'complaint:photo:clear', title: say(lang, 'clearPhotos') }]
    : [{ id: 'complaint:photo:next', title: say(lang, 'skip') }];
}

function summaryText(ctx: StepContext<AppServices>, d: ComplaintDraft): string {
  const lang = ctx.lang;
  const en = lang === 'en';
  const who =
    d.identity === 'named'
      ? `${IDENTITY_LABELS.named[lang]}${ctx.contact.name ? ` (${ctx.contact.name})` : ''}`
      : d.identity
        ? `${IDENTITY_LABELS[d.identity][lang]} — ${IDENTITY_DESCRIPTIONS[d.identity][lang].toLowerCase()}`
        : '-';
  const phone = d.phone ?? ctx.contact.phone;
  return [
    say(lang, 'summaryHead'),
    `• ${en ? 'Category' : 'Kategori'}: ${d.category ? categoryLabel(d.category, lang) : '-'}`,
    `• Kelurahan: ${d.kelurahan ? kelurahanName(d.kelurahan) : '-'}`,
    `• ${en ? 'Location' : 'Lokasi'}: ${d.place ? placeLine(d.place, lang) : '-'}`,
    `• ${en ? 'Description' : 'Uraian'}: ${d.description ? preview(d.description, 600) : '-'}`,
    `• ${en ? 'Photos' : 'Foto'}: ${d.photos?.length ?? 0}`,
    `• ${en ? 'Identity' : 'Identitas'}: ${who}`,
    ...(d.identity !== 'anonim' && phone ? [`• ${en ? 'Phone' : 'Nomor HP'}: ${phone}`] : []),
    '',
    say(lang, 'summaryAsk'),
  ].join('\n');
}

/** What a free-text start already filled in, as lines for the person ("Kategori: Penerangan jalan"). */
function keptLines(lang: Lang, d: ComplaintDraft, withCategory: boolean): string[] {
  const en = lang === 'en';
  const lines: string[] = [];
  if (withCategory && d.category) lines.push(`${en ? 'Category' : 'Kategori'}: ${categoryLabel(d.category, lang)}`);
  if (d.kelurahan) lines.push(`Kelurahan: ${kelurahanName(d.kelurahan)}`);
  if (d.place) lines.push(`${en ? 'Location' : 'Lokasi'}: ${placeLine(d.place, lang)}`);
  if (d.description) lines.push(say(lang, 'keptDescription'));
  return lines;
}

function keptNote(lang: Lang, d: ComplaintDraft, withCategory: boolean): Reply[] {
  const lines = keptLines(lang, d, withCategory);
  return lines.length ? [text(`${say(lang, 'keptHead')}\n${lines.map((l) => `• ${l}`).join('\n')}`)] : [];
}

/** Deps the flow needs from the complaints module. */
export interface ComplaintFlowDeps {
  service: ComplaintService;
  photos: PhotoIntake;
}

export function complaintFlow(deps: ComplaintFlowDeps): Flow<AppServices> {
  const { service, photos } = deps;

  const limitReached = async (ctx: StepContext<AppServices>) => !(await service.canFileToday(ctx.contact, ctx.now));
  const limitDone = (ctx: StepContext<AppServices>): StepOutcome => ({ kind: 'done', say: [text(say(ctx.lang, 'limit', { limit: service.dailyLimit }))] });

  /** Goes on to the first unanswered step. */
  const advance = (ctx: StepContext<AppServices>, d: ComplaintDraft, sayFirst: Reply[] = []): StepOutcome => ({
    kind: 'next',
    step: nextStep(ctx, d),
    data: asData(d),
    ...(sayFirst.length ? { say: sayFirst } : {}),
  });

  /**
   * A photo or a location sent before its question is kept rather than refused, so nothing the
   * resident sent is lost. Returns null when the input is neither.
   */
  const takeEarly = async (ctx: StepContext<AppServices>, d: ComplaintDraft, input: InboundContent, reprompt: Reply[]): Promise<StepOutcome | null> => {
    const lang = ctx.lang;
    if (input.kind === 'location' && !d.place) {
      const place = placeFrom(input);
      if (!place) return null;
      return { kind: 'stay', data: asData({ ...d, place }), say: [text(say(lang, 'locationSaved')), ...reprompt] };
    }
    if (input.kind !== 'media') return null;
    const count = d.photos?.length ?? 0;
    if (count >= MAX_PHOTOS) return { kind: 'stay', say: [text(say(lang, 'photoExtra', { max: MAX_PHOTOS })), ...reprompt] };
    const r = await photos.take(input, ctx.contact, ctx.idempotencyKey, ctx.now);
    if (r.kind !== 'stored') return { kind: 'stay', say: [text(photoProblem(lang, r.kind)), ...reprompt] };
    const next = { ...d, photos: [...(d.photos ?? []), r.photo] };
    return { kind: 'stay', data: asData(next), say: [text(say(lang, 'photoEarly', { count: count + 1, max: MAX_PHOTOS })), ...reprompt] };
  };

  return {
    name: 'complaint',
    title: { id: 'Pengaduan / aspirasi', en: 'Complaint / aspiration' },
    start: 'category',
    menu: {
      order: 20,
      title: { id: 'Pengaduan / aspirasi', en: 'Complaint / aspiration' },
      description: { id: 'Sampaikan pengaduan atau aspirasi ke kecamatan', en: 'Report a problem or send a proposal' },
    },
    commands: ['lapor', 'pengaduan', 'aduan'],

    intents: ['complaint.new'],
    notFromGroupText: true,

    steps: {
      category: {
        async prompt(ctx) {
          if (await limitReached(ctx)) return [text(say(ctx.lang, 'limit', { limit: service.dailyLimit }))];
          return [text(say(ctx.lang, 'askCategory'), categoryChoices(ctx.lang))];
        },
        async handle(ctx, input) {
          const lang = ctx.lang;
          const d = draftOf(ctx.data);
          if (await limitReached(ctx)) return limitDone(ctx);
          if (input.kind === 'choice' && input.id === MORE_CATEGORIES_ID) return { kind: 'stay', say: [text(say(lang, 'askCategory'), categoryChoices(lang, 'more'))] };
          const picked =
            input.kind === 'choice' && input.id.startsWith('complaint:cat:')
              ? input.id.slice('complaint:cat:'.length)
              : // A short typed answer to "which category?" ("lampu", "drainse"); longer text is a story.
                input.kind === 'text' && charLength(cleanText(input.text)) < DESCRIPTION_MIN
                ? categorySlot(input.text, 'answer')
                : undefined;
          if (picked && isCategoryId(picked)) {
            const next = { ...d, category: picked };
            // First time through after a free-text start: say what was kept from the message.
            return advance(ctx, next, d.prefilled && !d.category ? keptNote(lang, next, false) : []);
          }
          // Free text that opened this flow: keep what was said, ask only for what is missing.
          if ((input.kind === 'text' || input.kind === 'command') && !d.prefilled) {
            const said = cleanText(input.kind === 'text' ? input.text : input.payload);
            const next = draftFromMessage(d, said);
            if (next.category) return advance(ctx, next, keptNote(lang, next, true));
            if (!said || isBareRequest(said)) return { kind: 'stay', data: asData(next), say: [text(say(lang, 'askCategory'), categoryChoices(lang))] };
            return { kind: 'stay', data: asData(next), say: [text(say(lang, next.description ? 'offer' : 'offerNoDescription'), categoryChoices(lang))] };
          }
          const early = await takeEarly(ctx, d, input, [text(say(lang, 'askCategory'), categoryChoices(lang))]);
          if (early) return early;
          const stale = input.kind === 'choice' ? [text(say(lang, 'staleButton'))] : [];
          return { kind: 'stay', say: [...stale, text(say(lang, 'pickCategory'), categoryChoices(lang))] };
        },
      },

      kelurahan: {
        prompt: (ctx) => [text(say(ctx.lang, 'askKelurahan'), kelurahanChoices(ctx.lang))],
        accepts: (_ctx, input) => input.kind === 'text' && kelurahanSlot(input.text, 'answer') !== undefined,
        async handle(ctx, input) {
          const d = draftOf(ctx.data);
          if (input.kind === 'choice' && input.id === 'complaint:kel:luar') return { kind: 'done', say: [text(say(ctx.lang, 'outsideInfo'))] };
          if (input.kind === 'choice' && input.id.startsWith('complaint:kel:')) {
            const id = input.id.slice('complaint:kel:'.length);
            if (isKelurahanId(id)) return advance(ctx, { ...d, kelurahan: id });
          }
          if (input.kind === 'text') {
            const kel = kelurahanSlot(input.text, 'answer');
            if (kel === 'unknown') return advance(ctx, { ...d, kelurahan: KELURAHAN_UNKNOWN }, [text(say(ctx.lang, 'kelurahanUnknown'))]);
            if (kel) return advance(ctx, { ...d, kelurahan: kel });
          }
          const early = await takeEarly(ctx, d, input, [text(say(ctx.lang, 'askKelurahan'), kelurahanChoices(ctx.lang))]);
          return early ?? { kind: 'stay', say: [text(say(ctx.lang, 'pickKelurahan'), kelurahanChoices(ctx.lang))] };
        },
      },

      place: {
        // Typed text here is the answer (a name, an address, a story), never a request to go elsewhere.
        freeText: true,
        prompt: (ctx) => [text(say(ctx.lang, 'askPlace'))],
        async handle(ctx, input) {
          const lang = ctx.lang;
          const d = draftOf(ctx.data);
          if (input.kind === 'location') {
            const place = placeFrom(input);
            if (place) return advance(ctx, { ...d, place });
          }
          if (input.kind === 'text') {
            const address = cleanText(input.text);
            const len = charLength(address);
            if (len < ADDRESS_MIN) return { kind: 'stay', say: [text(say(lang, 'placeTooShort', { min: ADDRESS_MIN }))] };
            if (len > ADDRESS_MAX) return { kind: 'stay', say: [text(say(lang, 'placeTooLong', { length: len, max: ADDRESS_MAX }))] };
            return advance(ctx, { ...d, place: { address } });
          }
          const early = input.kind === 'media' ? await takeEarly(ctx, d, input, [text(say(lang, 'askPlace'))]) : null;
          return early ?? { kind: 'stay', say: [text(say(lang, 'placeNeeded'))] };
        },
      },

      description: {
        // Typed text here is the answer (a name, an address, a story), never a request to go elsewhere.
        freeText: true,
        prompt: (ctx) => [text(say(ctx.lang, 'askDescription', { min: DESCRIPTION_MIN, max: DESCRIPTION_MAX.toLocaleString(ctx.lang === 'en' ? 'en' : 'id') }))],
        async handle(ctx, input) {
          const lang = ctx.lang;
          const d = draftOf(ctx.data);
          if (input.kind === 'text') {
            const description = cleanText(input.text);
            const len = charLength(description);
            if (len < DESCRIPTION_MIN) return { kind: 'stay', say: [text(say(lang, 'descTooShort', { length: len, min: DESCRIPTION_MIN }))] };
            if (len > DESCRIPTION_MAX) return { kind: 'stay', say: [text(say(lang, 'descTooLong', { length: len, max: DESCRIPTION_MAX }))] };
            return advance(ctx, { ...d, description });
          }
          const early = await takeEarly(ctx, d, input, [text(say(lang, 'askDescription', { min: DESCRIPTION_MIN, max: DESCRIPTION_MAX }))]);
          return early ?? { kind: 'stay', say: [text(say(lang, 'descNeeded'))] };
        },
      },

      photos: {
        accepts: (_ctx, input) => input.kind === 'text' && isNone(input.text),
        prompt(ctx) {
          const d = draftOf(ctx.data);
          const count = d.photos?.length ?? 0;
          return [text(count ? say(ctx.lang, 'photosSoFar', { count, max: MAX_PHOTOS }) : say(ctx.lang, 'askPhotos', { max: MAX_PHOTOS }), photoChoices(ctx.lang, d))];
        },
        async handle(ctx, input) {
          const lang = ctx.lang;
          const d = draftOf(ctx.data);
          if (input.kind === 'choice' && input.id === 'complaint:photo:next') return advance(ctx, { ...d, photosDone: true });
          if (input.kind === 'choice' && input.id === 'complaint:photo:clear') {
            const next = { ...d, photos: [] };
            return { kind: 'stay', data: asData(next), say: [text(`${say(lang, 'photosCleared')} ${say(lang, 'askPhotos', { max: MAX_PHOTOS })}`, photoChoices(lang, next))] };
          }
          if (input.kind === 'media') {
            const r = await photos.take(input, ctx.contact, ctx.idempotencyKey, ctx.now);
            if (r.kind !== 'stored') return { kind: 'stay', say: [text(photoProblem(lang, r.kind), photoChoices(lang, d))] };
            const next = { ...d, photos: [...(d.photos ?? []), r.photo] };
            const count = next.photos.length;
            if (count >= MAX_PHOTOS) return advance(ctx, { ...next, photosDone: true }, [text(`${say(lang, 'photoSaved', { count, max: MAX_PHOTOS })} ${say(lang, 'photoMaxed', { max: MAX_PHOTOS })}`)]);
            return { kind: 'stay', data: asData(next), say: [text(`${say(lang, 'photoSaved', { count, max: MAX_PHOTOS })}\n${say(lang, 'photosSoFar', { count, max: MAX_PHOTOS })}`, photoChoices(lang, next))] };
          }
          if (input.kind === 'text' && isNone(input.text)) return advance(ctx, { ...d, photosDone: true });
          return { kind: 'stay', say: [text(say(lang, 'photoNotImage'), photoChoices(lang, d))] };
        },
      },

      identity: {
        accepts: (_ctx, input) => input.kind === 'text' && identityAnswer(input.text) !== undefined,
        prompt: (ctx) => [text(say(ctx.lang, 'askIdentity'), identityChoices(ctx.lang))],
        handle(ctx, input) {
          const d = draftOf(ctx.data);
          if (input.kind === 'choice' && input.id.startsWith('complaint:id:')) {
            const id = input.id.slice('complaint:id:'.length);
            if (isIdentity(id)) return advance(ctx, { ...d, identity: id });
          }
          const typed = input.kind === 'text' ? identityAnswer(input.text) : undefined;
          if (typed) return advance(ctx, { ...d, identity: typed });
          if (input.kind === 'media') return { kind: 'stay', say: [text(say(ctx.lang, 'photoExtra', { max: MAX_PHOTOS })), text(say(ctx.lang, 'pickIdentity'), identityChoices(ctx.lang))] };
          return { kind: 'stay', say: [text(say(ctx.lang, 'pickIdentity'), identityChoices(ctx.lang))] };
        },
      },

      phone: {
        // Typed text here is the answer (a name, an address, a story), never a request to go elsewhere.
        freeText: true,
        prompt: (ctx) => [
          {
            ...text(say(ctx.lang, 'askPhone'), [{ id: 'complaint:phone:skip', title: say(ctx.lang, 'skip') }]),
            requestPhone: ctx.lang === 'en' ? '📱 Share my number' : '📱 Bagikan nomor saya',
          },
        ],
        handle(ctx, input) {
          const d = draftOf(ctx.data);
          if (input.kind === 'choice' && input.id === 'complaint:phone:skip') return advance(ctx, { ...d, phoneAsked: true });
          const raw = input.kind === 'contact' ? input.phone : input.kind === 'text' ? input.text : '';
          const phone = phoneFrom(raw);
          if (phone) return advance(ctx, { ...d, phone, phoneAsked: true });
          return { kind: 'stay', say: [text(say(ctx.lang, 'badPhone'), [{ id: 'complaint:phone:skip', title: say(ctx.lang, 'skip') }])] };
        },
      },

      summary: {
        prompt: (ctx) => [text(summaryText(ctx, draftOf(ctx.data)), summaryChoices(ctx.lang))],
        // "batal" on the summary would throw away a whole report: ask first (the "Batal" button too).
        claims: ['cancel'],
        async handle(ctx, input) {
          const lang = ctx.lang;
          const d = draftOf(ctx.data);
          if ((input.kind === 'choice' && input.id === 'complaint:cancel') || (input.kind === 'text' && isCancelRequest(input.text))) {
            return { kind: 'next', step: 'cancelConfirm', data: asData(d) };
          }
          if (input.kind === 'choice' && input.id === 'complaint:edit') return { kind: 'next', step: 'edit', data: asData(d) };
          if (!(input.kind === 'choice' && input.id === 'complaint:submit')) return { kind: 'stay', say: [text(say(lang, 'pickSummary'), summaryChoices(lang))] };
          const missing = nextStep(ctx, d);
          if (missing !== 'summary') return { kind: 'next', step: missing, data: asData(d) };
          try {
            const result = await service.submit(
              {
                category: d.category!,
                kelurahan: d.kelurahan!,
                place: d.place!,
                description: d.description!,
                photos: d.photos ?? [],
                identity: d.identity!,
                ...(d.phone ? { phone: d.phone } : {}),
              },
              { ...ctx.contact, lang },
              ctx.idempotencyKey,
              ctx.now,
            );
            switch (result.kind) {
              case 'created': {
                const c = result.complaint;
                return {
                  kind: 'done',
                  say: [text(say(lang, 'saved', { ticket: c.ticketNo, due: dueDay(c.responseDueAt, lang, ctx.tz), days: service.responseWorkingDays }))],
                  memory: { lastComplaintTicket: c.ticketNo },
                };
              }
              case 'duplicate':
                return { kind: 'done', say: [text(say(lang, 'duplicate', { ticket: result.complaint.ticketNo }))] };
              case 'limit':
                return limitDone(ctx);
            }
          } catch (err) {
            ctx.services.logger.error({ err, flow: 'complaint' }, 'complaint could not be saved; the draft stays in the session');
            return { kind: 'stay', say: [text(say(lang, 'saveFailed'), summaryChoices(lang))] };
          }
        },
      },

      cancelConfirm: confirmStep({
        prefix: 'complaint:cancel:',
        question: (ctx) => say(ctx.lang, 'confirmCancel'),
        yesTitle: (ctx) => say(ctx.lang, 'confirmCancelYes'),
        noTitle: (ctx) => say(ctx.lang, 'confirmCancelNo'),
        onYes: (ctx) => ({ kind: 'done', say: [text(say(ctx.lang, 'cancelled'))] }),
        onNo: (ctx) => ({ kind: 'next', step: 'summary', data: ctx.data }),
        cancelMeansYes: isCancelRequest,
      }),

      edit: {
        prompt: (ctx) => [text(say(ctx.lang, 'askEdit'), editChoices(ctx.lang))],
        handle(ctx, input) {
          const d = draftOf(ctx.data);
          const target = input.kind === 'choice' && input.id.startsWith('complaint:edit:') ? input.id.slice('complaint:edit:'.length) : '';
          switch (target) {
            case 'category':
            case 'kelurahan':
            case 'place':
            case 'description':
            case 'identity':
              return { kind: 'next', step: target, data: asData(d) };
            case 'photos':
              return { kind: 'next', step: 'photos', data: asData({ ...d, photosDone: false }) };
            default:
              return { kind: 'stay', say: [text(say(ctx.lang, 'askEdit'), editChoices(ctx.lang))] };
          }
        },
      },
    },
  };
}

function identityChoices(lang: Lang): Choice[] {
  return IDENTITIES.map((i) => ({ id: `complaint:id:${i}`, title: IDENTITY_LABELS[i][lang], description: IDENTITY_DESCRIPTIONS[i][lang] }));
}

function summaryChoices(lang: Lang): Choice[] {
  return [
    { id: 'complaint:submit', title: say(lang, 'send') },
    { id: 'complaint:edit', title: say(lang, 'edit') },
    { id: 'complaint:cancel', title: say(lang, 'cancel') },
  ];
}

function editChoices(lang: Lang): Choice[] {
  const en = lang === 'en';
  return [
    { id: 'complaint:edit:category', title: en ? 'Category' : 'Kategori' },
    { id: 'complaint:edit:kelurahan', title: 'Kelurahan' },
    { id: 'complaint:edit:place', title: en ? 'Location' : 'Lokasi' },
    { id: 'complaint:edit:description', title: en ? 'Description' : 'Uraian' },
    { id: 'complaint:edit:photos', title: en ? 'Photos' : 'Foto' },
    { id: 'complaint:edit:identity', title: en ? 'Identity' : 'Identitas' },
  ];
}

function photoProblem(lang: Lang, kind: 'not-image' | 'too-large' | 'unavailable' | 'failed'): string {
  switch (kind) {
    case 'not-image':
      return say(lang, 'photoNotImage');
    case 'too-large':
      return say(lang, 'photoTooLarge');
    case 'unavailable':
      return say(lang, 'photoUnavailable');
    case 'failed':
      return say(lang, 'photoFailed');
  }
}
