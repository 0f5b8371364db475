/**
 * The eight kelurahan of Kecamatan Gajahmungkur, Kota Semarang, and matching of what people type
 * ("bendan duwur", "Kel. Petompon", "sampangan") to one of them.
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

const simplify = (s: string): string =>
  s
    .toLowerCase()
    .replace(/\b(kel|kelurahan|desa)\b\.?/g, ' ')
    .replace(/[^a-z]/g, '');

/** The kelurahan a typed text names, if exactly one matches. */
export function matchKelurahan(text: string): Kelurahan | undefined {
  const s = simplify(text);
  if (s.length < 3) return undefined;
  const exact = KELURAHAN.find((k) => simplify(k) === s);
  if (exact) return exact;
  const partial = KELURAHAN.filter((k) => simplify(k).startsWith(s));
  return partial.length === 1 ? partial[0] : undefined;
}
