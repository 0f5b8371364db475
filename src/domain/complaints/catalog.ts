/**
 * The fixed vocabularies of a complaint (categories, kelurahan, identity, status) with their
 * labels in both languages. Ids are stored in the database and used in choice ids: never rename.
 */
import { KELURAHAN as KELURAHAN_NAMES, kelurahanSlug } from '../kelurahan.js';
import type { Bilingual, Lang } from '../faq/types.js';

export const CATEGORIES = [
  { id: 'jalan', label: { id: 'Infrastruktur & jalan', en: 'Infrastructure & roads' } },
  { id: 'drainase', label: { id: 'Drainase & banjir', en: 'Drainage & flooding' } },
  { id: 'sampah', label: { id: 'Kebersihan & sampah', en: 'Cleanliness & waste' } },
  { id: 'pju', label: { id: 'Penerangan jalan', en: 'Street lighting' } },
  { id: 'adminduk', label: { id: 'Adminduk (KTP/KK/akta)', en: 'ID & civil records' } },
  { id: 'izin', label: { id: 'Perizinan', en: 'Permits' } },
  { id: 'layanan', label: { id: 'Pelayanan & petugas', en: 'Service & staff conduct' } },
  { id: 'pungli', label: { id: 'Pungutan liar', en: 'Illegal levies' } },
  { id: 'trantib', label: { id: 'Ketertiban & keamanan', en: 'Public order & safety' } },
  { id: 'sosial', label: { id: 'Sosial & kesehatan', en: 'Social & health' } },
  { id: 'aspirasi', label: { id: 'Aspirasi / usulan', en: 'Aspiration / proposal' } },
  { id: 'lainnya', label: { id: 'Lainnya', en: 'Other' } },
] as const satisfies ReadonlyArray<{ id: string; label: Bilingual }>;

/** Longer wording of categories whose short label (≤ 24 chars, a WhatsApp list row) drops words. */
export const CATEGORY_DESCRIPTIONS: Partial<Record<CategoryId, Bilingual>> = {
  adminduk: { id: 'Administrasi kependudukan: KTP, KK, akta', en: 'Population administration: ID card, family card, certificates' },
  layanan: { id: 'Pelayanan & sikap petugas', en: 'Quality of service and attitude of staff' },
};

export type CategoryId = (typeof CATEGORIES)[number]['id'];

/** The eight kelurahan of Kecamatan Gajahmungkur (one list for the whole service). */
export const KELURAHAN = KELURAHAN_NAMES.map((name) => ({ id: kelurahanSlug(name), name }));

export type KelurahanId = string;

/**
 * Stored as the kelurahan when the reporter does not know it ("ga tau kelurahannya"); staff place
 * the complaint from its location.
 */
export const KELURAHAN_UNKNOWN = 'belum-diketahui';

/**
 * How the reporter appears, as on LAPOR!: `named` (staff see name and number), `anonim` (staff see
 * the report but never who sent it), `rahasia` (only designated senior staff see the report).
 */
export const IDENTITIES = ['named', 'anonim', 'rahasia'] as const;
export type Identity = (typeof IDENTITIES)[number];

export const IDENTITY_LABELS: Record<Identity, Bilingual> = {
  named: { id: 'Dengan nama', en: 'With my name' },
  anonim: { id: 'Anonim', en: 'Anonymous' },
  rahasia: { id: 'Rahasia', en: 'Confidential' },
};

export const IDENTITY_DESCRIPTIONS: Record<Identity, Bilingual> = {
  named: { id: 'Petugas melihat nama & nomor Anda', en: 'Staff see your name and number' },
  anonim: { id: 'Petugas tidak melihat nama & nomor Anda', en: 'Staff never see your name or number' },
  rahasia: { id: 'Hanya pejabat yang ditunjuk yang melihat laporan', en: 'Only designated senior officers see the report' },
};

/**
 * Where a ticket is. `baru` until staff first act on it; `diteruskan` while an agency that owns the
 * problem has it (the target clock pauses); `dibuka-kembali` after the reporter said a "selesai"
 * was not done; `dicabut` when the reporter withdrew it before staff accepted it.
 */
export const STATUSES = ['baru', 'diterima', 'diproses', 'diteruskan', 'dibuka-kembali', 'selesai', 'ditolak', 'dicabut'] as const;
export type ComplaintStatus = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<ComplaintStatus, Bilingual> = {
  baru: { id: 'Terkirim, menunggu verifikasi', en: 'Submitted, awaiting review' },
  diterima: { id: 'Diterima', en: 'Accepted' },
  diproses: { id: 'Diproses', en: 'In progress' },
  diteruskan: { id: 'Diteruskan ke instansi terkait', en: 'Forwarded to the responsible agency' },
  'dibuka-kembali': { id: 'Dibuka kembali', en: 'Reopened' },
  selesai: { id: 'Selesai', en: 'Resolved' },
  ditolak: { id: 'Ditolak', en: 'Rejected' },
  dicabut: { id: 'Dicabut oleh pelapor', en: 'Withdrawn by the reporter' },
};

/** Statuses in which nobody works on the ticket any more (a `selesai` may still be contested). */
export const FINAL_STATUSES: readonly ComplaintStatus[] = ['selesai', 'ditolak', 'dicabut'];

/** Statuses whose target clock is paused (someone outside the office has the ticket). */
export const PAUSED_STATUSES: readonly ComplaintStatus[] = ['diteruskan'];

/**
 * Which status staff may move each status to. `diteruskan` is reached through a forward (it needs
 * an agency), `dibuka-kembali` only by the reporter's contest, `dicabut` only by the reporter.
 */
export const TRANSITIONS: Record<ComplaintStatus, readonly ComplaintStatus[]> = {
  baru: ['diterima', 'diproses', 'diteruskan', 'selesai', 'ditolak'],
  diterima: ['diproses', 'diteruskan', 'selesai', 'ditolak'],
  diproses: ['diteruskan', 'selesai', 'ditolak'],
  diteruskan: ['diproses', 'selesai', 'ditolak'],
  'dibuka-kembali': ['diproses', 'diteruskan', 'selesai', 'ditolak'],
  selesai: [],
  ditolak: [],
  dicabut: [],
};

/** Status changes a staff button makes directly (a forward has its own steps). */
export const STAFF_BUTTON_STATUSES: readonly ComplaintStatus[] = ['diterima', 'diproses', 'selesai', 'ditolak'];

/** An agency a ticket can be handed over to (disposisi). `short` fits a button (≤ 24 characters). */
export interface Agency {
  id: string;
  name: string;
  short?: string;
}

/** At most this many agencies (one WhatsApp list holds 10 rows). */
export const AGENCIES_MAX = 10;

/** Agencies of Kota Semarang that usually own what residents report (the office may configure its own list). */
export const DEFAULT_AGENCIES: readonly Agency[] = [
  { id: 'dpu', short: 'DPU', name: 'Dinas Pekerjaan Umum (DPU) Kota Semarang' },
  { id: 'disperkim', short: 'Disperkim', name: 'Dinas Perumahan dan Kawasan Permukiman (Disperkim)' },
  { id: 'dlh', short: 'DLH', name: 'Dinas Lingkungan Hidup (DLH)' },
  { id: 'dispendukcapil', short: 'Dispendukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil (Dispendukcapil)' },
  { id: 'satpolpp', short: 'Satpol PP', name: 'Satuan Polisi Pamong Praja (Satpol PP)' },
  { id: 'dishub', short: 'Dishub', name: 'Dinas Perhubungan (Dishub)' },
  { id: 'dinsos', short: 'Dinsos', name: 'Dinas Sosial (Dinsos)' },
  { id: 'dinkes', short: 'Dinkes', name: 'Dinas Kesehatan (Dinkes)' },
  { id: 'pln', short: 'PLN', name: 'PLN UP3 Semarang' },
  { id: 'pdam', short: 'PDAM', name: 'Perumda Air Minum Tirta Moedal (PDAM)' },
];

export const categoryLabel = (id: string, lang: Lang): string => CATEGORIES.find((c) => c.id === id)?.label[lang] ?? id;
export const kelurahanName = (id: string): string =>
  id === KELURAHAN_UNKNOWN ? 'Belum diketahui (ditentukan petugas dari lokasi)' : (KELURAHAN.find((k) => k.id === id)?.name ?? id);
export const statusLabel = (s: ComplaintStatus, lang: Lang): string => STATUS_LABELS[s][lang];
export const isCategoryId = (s: string): s is CategoryId => CATEGORIES.some((c) => c.id === s);
export const isKelurahanId = (s: string): s is KelurahanId => KELURAHAN.some((k) => k.id === s);
export const isIdentity = (s: string): s is Identity => (IDENTITIES as readonly string[]).includes(s);
export const isStatus = (s: string): s is ComplaintStatus => (STATUSES as readonly string[]).includes(s);
