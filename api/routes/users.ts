// Users: admins create them (the token is shown once, only its sha-256 is stored), change their
// roles, manager or active flag, and rotate their token; everyone can read who they are; the people
// who assign work can list the directory. A manager is always an active sales_manager and the
// hierarchy has no cycles. Every change is kept in user_changes; the auth hook reads the users
// table on each request, so a deactivation or rotation takes effect with the next request.
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { hashToken, lockHierarchy, newToken, recordUserChange, reportsOf, type UserRow as StoredUser } from '../../db/queries/users';
import { text, textBounds } from '../../machines/schema/bounds';
import { newId } from '../../db/ids';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError, badRequest, notFound } from '../errors';
import { sendIdempotent } from '../idempotency';
import { distinct, errors, idSchema, roleSchema, type App } from '../schemas';

const rolesSchema = distinct(z.array(roleSchema).min(1).max(7), 'roles');

const createUserBody = z.strictObject({
  name: text(textBounds.personName),
  email: text(textBounds.email),
  roles: rolesSchema,
  managerId: idSchema.optional().describe('an active sales_manager'),
  team: text(textBounds.team).optional(),
});

/** Only the fields sent change; an empty patch changes nothing and answers the user as they are. */
const patchUserBody = z.strictObject({
  roles: rolesSchema.optional().describe('replaces the roles'),
  managerId: idSchema.nullable().optional().describe('an active sales_manager who is not a report of the user; null for none'),
  active: z.boolean().optional().describe("false: the user's token stops working with the next request"),
});

const userParams = z.strictObject({ id: idSchema });

const userSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.string()),
  managerId: z.string().nullable(),
  team: z.string().nullable(),
  active: z.boolean(),
});

type UserRow = Pick<StoredUser, 'id' | 'name' | 'email' | 'roles' | 'manager_id' | 'team' | 'active'>;

const toUser = (r: UserRow) => ({ id: r.id, name: r.name, email: r.email, roles: r.roles, managerId: r.manager_id, team: r.team, active: r.active });

/** A manager must be an active sales_manager, and (for an existing user) not one of their reports. */
async function checkManager(db: Db, managerId: string, userId: string | null): Promise<void> {
  const issue = (message: string) => badRequest(`managerId: ${message}`, [{ path: 'body.managerId', message }]);
  const manager = (await db('users').where({ id: managerId }).first()) as StoredUser | undefined;
  if (!manager) throw issue(`no user ${managerId}`);
  if (!manager.active) throw issue(`${managerId} is deactivated`);
  if (!manager.roles.includes('sales_manager')) throw issue(`${managerId} does not hold the role sales_manager`);
  if (userId && (managerId === userId || (await reportsOf(db, userId)).includes(managerId))) {
    throw issue(`${managerId} reports to ${userId}; a manager cannot report to their own report`);
  }
}

export function userRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;

  app.post(
    '/v1/users',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Create a user; the token in the answer is shown once',
        description: 'Honours Idempotency-Key: the same key and body replay the first answer (with the same token).',
        body: createUserBody,
        response: { 201: z.object({ id: z.string(), token: z.string() }), ...errors(400, 403, 409, 422) },
      },
    },
    async (request, reply) =>
      sendIdempotent(db, request, reply, async () => {
        const body = request.body;
        if (body.managerId) await checkManager(db, body.managerId, null);
        const id = newId('usr');
        const token = newToken();
        try {
          await db('users').insert({
            id,
            name: body.name,
            email: body.email,
            roles: body.roles,
            manager_id: body.managerId ?? null,
            team: body.team ?? null,
            token_hash: hashToken(token),
          });
        } catch (error) {
          if ((error as { code?: string }).code === '23505') throw new ApiError(409, 'email_taken', `a user with the email ${body.email} exists`);
          throw error;
        }
        return { status: 201, body: { id, token } };
      }),
  );

  app.get(
    '/v1/users/me',
    {
      schema: { tags: ['users'], summary: 'The signed-in user', response: { 200: userSchema, ...errors() } },
    },
    async (request) => {
      const row = (await db('users')
        .where({ id: userOf(request).id })
        .first()) as UserRow;
      return toUser(row);
    },
  );

  app.get(
    '/v1/users',
    {
      config: { roles: ['admin', 'ops', 'sales_manager', 'finance'] },
      schema: { tags: ['users'], summary: 'The user directory (to pick owners and managers)', response: { 200: z.array(userSchema), ...errors(403) } },
    },
    async () => {
      const rows = (await db('users').where({ active: true }).orderBy('id')) as UserRow[];
      return rows.map(toUser);
    },
  );

  app.patch(
    '/v1/users/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['users'],
        summary: "Change a user's roles, manager or active flag",
        description:
          'A deactivated user gets 401 from the next request on. 409 has_reports when the user would stop being a sales_manager while active users report to them; 409 last_admin when no active admin would remain.',
        params: userParams,
        body: patchUserBody,
        response: { 200: userSchema, ...errors(400, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = userOf(request);
      const { id } = request.params;
      const body = request.body;
      const updated = await db.transaction(async (trx) => {
        await lockHierarchy(trx);
        const user = (await trx('users').where({ id }).forUpdate().first()) as StoredUser | undefined;
        if (!user) throw notFound(`user ${id}`);
        if (body.managerId) await checkManager(trx, body.managerId, id);
        const roles = body.roles ?? user.roles;
        const active = body.active ?? user.active;
        // Reports keep a manager who is an active sales_manager.
        const stopsManaging = (user.roles.includes('sales_manager') && !roles.includes('sales_manager')) || (user.active && !active);
        const reports = stopsManaging ? ((await trx('users').where({ manager_id: id, active: true }).orderBy('id').pluck('id')) as string[]) : [];
        if (reports.length > 0)
          throw new ApiError(409, 'has_reports', `${reports.length} active user(s) report to ${id}; give them another manager first`, { reports });
        if (user.roles.includes('admin') && user.active && (!roles.includes('admin') || !active)) {
          const others = await trx('users').whereNot({ id }).where({ active: true }).whereRaw(`'admin' = any(roles)`).first('id');
          if (!others) throw new ApiError(409, 'last_admin', 'no active admin would remain; make another admin first');
        }
        const change: Record<string, unknown> = {};
        if (body.roles !== undefined) change.roles = { from: user.roles, to: roles };
        if (body.managerId !== undefined) change.managerId = { from: user.manager_id, to: body.managerId };
        if (body.active !== undefined) change.active = { from: user.active, to: active };
        const [row] = (await trx('users')
          .where({ id })
          .update({ roles, active, ...(body.managerId === undefined ? {} : { manager_id: body.managerId }), updated_at: trx.fn.now() })
          .returning('*')) as StoredUser[];
        if (Object.keys(change).length > 0) await recordUserChange(trx, id, actor.id, change);
        return row as StoredUser;
      });
      // Other API processes hear of it from PostgreSQL; this one must not answer the next request from its cache.
      app.userCache.clear();
      return toUser(updated);
    },
  );

  app.post(
    '/v1/users/:id/token',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Give the user a new token, shown once; the old one stops working at once',
        params: userParams,
        response: { 200: z.strictObject({ id: z.string(), token: z.string() }), ...errors(400, 403, 404) },
      },
    },
    async (request) => {
      const actor = userOf(request);
      const { id } = request.params;
      const token = newToken();
      await db.transaction(async (trx) => {
        const changed = await trx('users')
          .where({ id })
          .update({ token_hash: hashToken(token), updated_at: trx.fn.now() });
        if (changed === 0) throw notFound(`user ${id}`);
        await recordUserChange(trx, id, actor.id, { token: 'rotated' });
      });
      app.userCache.clear();
      return { id, token };
    },
  );
}
