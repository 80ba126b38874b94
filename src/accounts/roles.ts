export const ROLES = ['admin', 'operator', 'approver', 'warden'] as const;
export type Role = (typeof ROLES)[number];
/** Anonymous callers: residents and the public map. */
export const PUBLIC = 'public' as const;
export type Access = Role | typeof PUBLIC;

/**
 * Roles that may draft or approve alerts (src/alerts/lifecycle DRAFT_ROLES and APPROVE_ROLES; a test keeps the two
 * in step). An account with one of these roles is a "person" for the two-person rule, so over HTTP no single admin
 * may bring one into being: creating, re-roling or resetting such an account leaves it pending until a second admin
 * activates it.
 */
export const ALERT_ROLES: readonly Role[] = ['admin', 'operator', 'approver'];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}
