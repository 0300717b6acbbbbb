// Handing a journey to another owner, the one way every route does it (PUT /v1/journeys/{id}/owner
// and the stuck monitor's reassign action): the new owner must be an active user who sells, and a
// caller who sees only some journeys (a sales manager) may hand them only within that scope. The
// workflow records the change (projection and timeline) through its reassign update.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../db/connection';
import type { UserRow } from '../db/queries/users';
import type { JourneyState } from '../workflows/messages';
import type { AuthUser } from './auth';
import type { ApiDeps } from './deps';
import { badRequest, forbidden } from './errors';
import { sendReassign } from './journeyClient';
import { ended } from './routes/events';
import type { Scope } from './scoping';

/** Who may own a journey: the people who sell. */
export const OWNER_ROLES = ['sales_rep', 'sales_manager'] as const;

/** Refuses a new owner who does not exist, is inactive, does not sell, or is outside the caller's scope. */
export async function assertAssignable(db: Db, ownerId: string, scope: Scope, path = 'body.ownerId'): Promise<UserRow> {
  const owner = (await db('users').where({ id: ownerId, active: true }).first()) as UserRow | undefined;
  if (!owner) throw badRequest('the new owner does not exist', [{ path, message: `no active user ${ownerId}` }]);
  if (!owner.roles.some((r) => (OWNER_ROLES as readonly string[]).includes(r))) {
    throw badRequest(`the new owner must hold the role ${OWNER_ROLES.join(' or ')}`, [
      { path, message: `${ownerId} holds ${owner.roles.join(', ') || 'no role'}` },
    ]);
  }
  if (!scope.all && !scope.owners.includes(ownerId)) {
    throw forbidden('a sales manager hands journeys only to themselves or to people who report to them', { ownerId });
  }
  return owner;
}

/** Makes `ownerId` the journey's owner as `user`; an ended journey keeps its owner (409, as for an event). */
export async function reassign(deps: ApiDeps, journeyId: string, user: AuthUser, ownerId: string, note: string | undefined): Promise<JourneyState> {
  return sendReassign(deps, journeyId, { ownerId, actor: { id: user.id, roles: user.roles }, ...(note ? { note } : {}) }).catch(async (error: unknown) => {
    throw error instanceof WorkflowNotFoundError ? await ended(deps, journeyId, error) : error;
  });
}
