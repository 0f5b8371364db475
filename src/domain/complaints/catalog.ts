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

/** Where a ticket is. `baru` until staff first act on it. */
export const STATUSES = ['baru', 'diterima', 'diproses', 'selesai', 'ditolak'] as const;
export type ComplaintStatus = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<ComplaintStatus, Bilingual> = {
  baru: { id: 'Terkirim, menunggu verifikasi', en: 'Submitted, awaiting review' },
  diterima: { id: 'Diterima', en: 'Accepted' },
  diproses: { id: 'Diproses', en: 'In progress' },
  selesai: { id: 'Selesai', en: 'Resolved' },
  ditolak: { id: 'Ditolak', en: 'Rejected' },
};

/** Statuses after which nothing changes any more. */
export const FINAL_STATUSES: readonly ComplaintStatus[] = ['selesai', 'ditolak'];

/** Which status each status may move to. */
export const TRANSITIONS: Record<ComplaintStatus, readonly ComplaintStatus[]> = {
  baru: ['diterima', 'diproses', 'selesai', 'ditolak'],
  diterima: ['diproses', 'selesai', 'ditolak'],
  diproses: ['selesai', 'ditolak'],
  selesai: [],
  ditolak: [],
};

export const categoryLabel = (id: string, lang: Lang): string => CATEGORIES.find((c) => c.id === id)?.label[lang] ?? id;
export const kelurahanName = (id: string): string =>
  id === KELURAHAN_UNKNOWN ? 'Belum diketahui (ditentukan petugas dari lokasi)' : (KELURAHAN.find((k) => k.id === id)?.name ?? id);
export const statusLabel = (s: ComplaintStatus, lang: Lang): string => STATUS_LABELS[s][lang];
export const isCategoryId = (s: string): s is CategoryId => CATEGORIES.some((c) => c.id === s);
export const isKelurahanId = (s: string): s is KelurahanId => KELURAHAN.some((k) => k.id === s);
export const isIdentity = (s: string): s is Identity => (IDENTITIES as readonly string[]).includes(s);
export const isStatus = (s: string): s is ComplaintStatus => (STATUSES as readonly string[]).includes(s);
