/**
 * The eight kelurahan of Kecamatan Gajahmungkur, Kota Semarang. What people type is matched to
 * one of them by the kelurahan slot (`src/domain/understanding/slots/kelurahan.ts`).
 */

export const KELURAHAN = [
  'Bendan Duwur',
  'Bendan Ngisor',
  'Bendungan',
  'Gajahmungkur',
  'Karangrejo',
  'Lempongsari',
  'Petompon',
  'Sampangan',
] as const;

export type Kelurahan = (typeof KELURAHAN)[number];

/** A stable slug for choice ids (`bendan-duwur`). */
export function kelurahanSlug(k: Kelurahan): string {
  return k.toLowerCase().replace(/\s+/g, '-');
}

export function kelurahanFromSlug(slug: string): Kelurahan | undefined {
  return KELURAHAN.find((k) => kelurahanSlug(k) === slug);
}
