/**
 * Password hashing with argon2id (@node-rs/argon2: a maintained Rust binding, prebuilt, no
 * compiler needed). Parameters: the OWASP minimum for argon2id (19 MiB, 2 passes, 1 lane).
 */

/** Loaded at the first sign-in or password change, not at start: the service need not hold it before. */
const argon2 = () => import('@node-rs/argon2');

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Shortest password accepted. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export async function hashPassword(password: string): Promise<string> {
  const { hash } = await argon2();
  // algorithm defaults to argon2id in @node-rs/argon2
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const { verify } = await argon2();
  try {
    return await verify(stored, password);
  } catch {
    // A malformed stored hash is a wrong password, never a way in.
    return false;
  }
}

/** A hash of a random secret, verified against for unknown usernames so timing does not tell them apart. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoy;
}

/** Why a new password is refused, in Bahasa Indonesia, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Kata sandi minimal ${PASSWORD_MIN} karakter.`;
  if (password.length > PASSWORD_MAX) return `Kata sandi maksimal ${PASSWORD_MAX} karakter.`;
  if (/^(.)\1+$/.test(password)) return 'Kata sandi tidak boleh satu karakter yang diulang.';
  return null;
}
