// Users: admins create them (the token is shown once, only its sha-256 is stored); everyone can
// read who they are; the people who assign work can list the directory.
import { z } from 'zod';
import { text, textBounds } from '../../machines/bounds';
import { hashToken, newToken } from '../../db/queries/users';
import { newId } from '../../db/ids';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError, badRequest } from '../errors';
import { sendIdempotent } from '../idempotency';
import { distinct, errors, idSchema, roleSchema, type App } from '../schemas';

const createUserBody = z.strictObject({
  name: text(textBounds.personName),
  email: text(textBounds.email),
  roles: distinct(z.array(roleSchema).min(1).max(7), 'roles'),
  managerId: idSchema.optional(),
  team: text(textBounds.team).optional(),
});

const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.string()),
  managerId: z.string().nullable(),
  team: z.string().nullable(),
});

interface UserRow {
  id: string;
  name: string;
  email: string;
  roles: string[];
  manager_id: string | null;
  team: string | null;
}

const toUser = (r: UserRow) => ({ id: r.id, name: r.name, email: r.email, roles: r.roles, managerId: r.manager_id, team: r.team });

export function userRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;

  app.post('/v1/users', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'],
      summary: 'Create a user; the token in the answer is shown once',
      description: 'Honours Idempotency-Key: the same key and body replay the first answer (with the same token).',
      body: createUserBody,
      response: { 201: z.object({ id: z.string(), token: z.string() }), ...errors(400, 403, 409, 422) },
    },
  }, async (request, reply) =>
    sendIdempotent(db, request, reply, async () => {
      const body = request.body;
      if (body.managerId && !(await db('users').where({ id: body.managerId }).first())) {
        throw badRequest('the manager does not exist', [{ path: 'body.managerId', message: `no user ${body.managerId}` }]);
      }
      const id = newId('usr');
      const token = newToken();
      try {
        await db('users').insert({ id, name: body.name, email: body.email, roles: body.roles, manager_id: body.managerId ?? null, team: body.team ?? null, token_hash: hashToken(token) });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new ApiError(409, 'email_taken', `a user with the email ${body.email} exists`);
        throw error;
      }
      return { status: 201, body: { id, token } };
    }));

  app.get('/v1/users/me', {
    schema: { tags: ['users'], summary: 'The signed-in user', response: { 200: userSchema, ...errors() } },
  }, async (request) => {
    const row = (await db('users').where({ id: userOf(request).id }).first()) as UserRow;
    return toUser(row);
  });

  app.get('/v1/users', {
    config: { roles: ['admin', 'ops', 'sales_manager', 'finance'] },
    schema: { tags: ['users'], summary: 'The user directory (to pick owners and managers)', response: { 200: z.array(userSchema), ...errors(403) } },
  }, async () => {
    const rows = (await db('users').where({ active: true }).orderBy('id')) as UserRow[];
    return rows.map(toUser);
  });
}
