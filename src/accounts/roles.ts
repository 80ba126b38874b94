export const ROLES = ['admin', 'operator', 'approver', 'warden'] as const;
export type Role = (typeof ROLES)[number];
/** Anonymous callers: residents and the public map. */
export const PUBLIC = 'public' as const;
export type Access = Role | typeof PUBLIC;

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}
