// Roles from DESIGN.md section 5 and the one rule every role check shares.

export const roles = ['admin', 'ops', 'sales_rep', 'sales_manager', 'warehouse', 'finance', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** Who did something: a person from the API, or the engine itself for auto policies. */
export interface Actor {
  id: string;
  roles: string[];
}

export const systemActor: Actor = { id: 'system', roles: ['system'] };

/**
 * `admin` passes every role check that names at least one role; an empty list means no person
 * may send the event (only the engine, through an auto policy).
 */
export function rolePermits(actorRoles: readonly string[], allowed: readonly string[]): boolean {
  if (allowed.length === 0) return false;
  return actorRoles.includes('admin') || actorRoles.some((role) => allowed.includes(role));
}
