/**
 * Console roles: the rules are the staff console domain's (src/domain/staff-console/roles.ts),
 * re-exported here for the pages; the labels shown to people are the console's own.
 */
import type { Role } from '../../domain/staff-console/roles.js';

export { ROLES, hasRole, isRole, seesConfidential, type Role } from '../../domain/staff-console/roles.js';

export const ROLE_LABELS: Record<Role, string> = {
  staff: 'Petugas',
  senior: 'Petugas senior',
  head: 'Kepala kantor',
  admin: 'Admin',
};
