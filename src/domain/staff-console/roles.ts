/**
 * Console roles. Each role can do what the ones before it can (staff < senior < head < admin),
 * with one exception: confidential (`rahasia`) tickets are for senior and head only. The admin
 * role manages accounts and settings; it is an IT job and does not open the confidential reports
 * of residents (least privilege; the issue names senior and head).
 */
export const ROLES = ['staff', 'senior', 'head', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** True when `role` is at least `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Whether this role may see and handle confidential (`rahasia`) tickets. */
export function seesConfidential(role: Role): boolean {
  return role === 'senior' || role === 'head';
}
