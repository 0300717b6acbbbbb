// Object-level scoping: which journeys a user may see and act on. A sales_rep sees journeys they
// own, a sales_manager those of their reports (at any depth) and their own, everyone else all.
// A journey outside the caller's scope answers 404, as if it did not exist.
import type { Knex } from 'knex';
import type { Db } from '../db/connection';
import { reportsOf } from '../db/queries/users';
import { hasRole, type AuthUser } from './auth';
import { notFound } from './errors';

export type Scope = { all: true } | { all: false; owners: string[] };

export async function scopeOf(db: Db, user: AuthUser): Promise<Scope> {
  if (hasRole(user, 'admin', 'ops', 'finance', 'warehouse', 'viewer')) return { all: true };
  if (hasRole(user, 'sales_manager')) return { all: false, owners: [user.id, ...(user.reports ?? (await reportsOf(db, user.id)))] };
  if (hasRole(user, 'sales_rep')) return { all: false, owners: [user.id] };
  return { all: false, owners: [] };
}

/** Restricts a query over `journeys` to the scope. */
export function applyScope<Q extends Knex.QueryBuilder>(query: Q, scope: Scope, column = 'journeys.owner_id'): Q {
  if (scope.all) return query;
  if (scope.owners.length === 0) return query.whereRaw('false') as Q;
  return query.whereIn(column, scope.owners) as Q;
}

export interface JourneyRow {
  id: string;
  workflow_id: string;
  definition_key: string;
  definition_version: number;
  stage: string;
  status: string;
  stage_entered_at: Date;
  owner_id: string | null;
  lead_name: string | null;
  lead_email: string | null;
  company: string | null;
  amount: string | null;
  currency: string | null;
  pending_role: string | null;
  pending_since: Date | null;
  parked_activity: string | null;
  last_error: string | null;
  last_error_type: string | null;
  parked_since: Date | null;
  sla_due_at: Date | null;
  version: string;
  created_at: Date;
  updated_at: Date;
}

/** 404 unless the user may see the journey; free for callers who see everything (no query). */
export async function assertVisible(db: Db, user: AuthUser, journeyId: string): Promise<void> {
  const scope = await scopeOf(db, user);
  if (scope.all) return;
  const row = (await applyScope(db('journeys').where({ id: journeyId }), scope).first('id')) as { id: string } | undefined;
  if (!row) throw notFound(`journey ${journeyId}`);
}
