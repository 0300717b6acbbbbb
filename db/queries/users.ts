// Users: sales, warehouse, finance, ops, admins. The API authenticates by the sha-256 of a bearer
// token (token_hash); the token itself is shown once and never stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { roles, type Role } from '../../machines/roles';
import { newId } from '../ids';

// The one list of roles lives with the process vocabulary (DESIGN.md section 5).
export const ROLES = roles;
export type { Role };

export interface UserRow {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  manager_id: string | null;
  team: string | null;
  token_hash: string | null;
  active: boolean;
  created_at: Date;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function createUser(
  db: Knex,
  user: { id?: string; name: string; email: string; roles: Role[]; managerId?: string | null; team?: string | null; token?: string },
): Promise<UserRow> {
  const [row] = (await db('users')
    .insert({
      id: user.id ?? newId('usr'),
      name: user.name,
      email: user.email,
      roles: user.roles,
      manager_id: user.managerId ?? null,
      team: user.team ?? null,
      token_hash: user.token ? hashToken(user.token) : null,
    })
    .returning('*')) as UserRow[];
  if (!row) throw new Error('user insert returned no row');
  return row;
}

export async function findUser(db: Knex, id: string): Promise<UserRow | undefined> {
  return (await db('users').where({ id }).first()) as UserRow | undefined;
}

export async function findUserByToken(db: Knex, token: string): Promise<UserRow | undefined> {
  return (await db('users')
    .where({ token_hash: hashToken(token), active: true })
    .first()) as UserRow | undefined;
}

export async function setUserToken(db: Knex, id: string, token: string): Promise<void> {
  await db('users')
    .where({ id })
    .update({ token_hash: hashToken(token) });
}

/** Everyone who reports to a manager, directly or through others (a sales_manager's scope). */
export async function reportsOf(db: Knex, managerId: string): Promise<string[]> {
  const result = await db.raw<{ rows: { id: string }[] }>(
    `with recursive chain as (
       select id from users where manager_id = ?
       union select u.id from users u join chain c on u.manager_id = c.id
     ) select id from chain order by id`,
    [managerId],
  );
  return result.rows.map((r) => r.id);
}

/** Active sales reps of a team in a stable order (the round-robin sequence). */
export async function teamReps(db: Knex, team: string): Promise<UserRow[]> {
  return (await db('users').where({ team, active: true }).whereRaw(`'sales_rep' = any(roles)`).orderBy('id')) as UserRow[];
}

/** One change to a user, kept in user_changes; tokens are never written, only that one was rotated. */
export async function recordUserChange(db: Knex, userId: string, actorId: string, change: Record<string, unknown>): Promise<void> {
  await db('user_changes').insert({ user_id: userId, actor_id: actorId, change: JSON.stringify(change) });
}

/** Serialises changes to the reporting hierarchy, so two concurrent changes cannot close a cycle. */
export async function lockHierarchy(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', ['users.manager_id']);
}
