// Authentication (bearer tokens, looked up by their sha-256) and per-route authorization: a route
// declares the roles that may call it in `config.roles`, or `config.public`. Both run on request,
// before the body is parsed, so an unauthenticated caller learns nothing about the input format.
// `admin` passes every route's role check (the same rule as the workflow's, machines/roles.ts).
// The same hook picks the rate-limit budget a request spends (api/rateLimit.ts): its user's once
// signed in, else its address's, checked before the token lookup.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken, reportsOf, type Role, type UserRow } from '../db/queries/users';
import type { Db } from '../db/connection';
import { rolePermits } from '../machines/roles';
import { ApiError, forbidden } from './errors';
import { PROBES } from './rateLimit';
import type { UserCache } from './userCache';

export interface AuthUser {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  managerId: string | null;
  /** A sales_manager's reports at any depth, read with the sign-in (api/scoping.ts). */
  reports?: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
  interface FastifyInstance {
    /** Cached sign-ins: a route that changes users clears it before it answers. */
    userCache: UserCache;
  }
  interface FastifyContextConfig {
    /** Roles that may call the route; absent with `public` for open routes, or for any signed-in user. */
    roles?: readonly Role[];
    public?: boolean;
  }
}

const BOOTSTRAP_ADMIN_ID = 'usr-admin';

export const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/** The bearer token of a request, or null when none is sent. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The admin of L2C_BOOTSTRAP_TOKEN: created, or given that token again, at every start. */
export async function upsertBootstrapAdmin(db: Db, token: string): Promise<void> {
  await db('users')
    .insert({ id: BOOTSTRAP_ADMIN_ID, name: 'Administrator', email: 'admin@lead-to-cash.local', roles: ['admin'], token_hash: hashToken(token), active: true })
    .onConflict('id')
    .merge(['token_hash', 'roles', 'active']);
}

function toAuthUser(row: UserRow): AuthUser {
  return { id: row.id, name: row.name, email: row.email, roles: row.roles, managerId: row.manager_id };
}

/** The active user of a token, with a manager's reports; undefined for an unknown token. */
async function signIn(db: Db, tokenHash: string): Promise<AuthUser | undefined> {
  const row = (await db('users').where({ token_hash: tokenHash, active: true }).first()) as UserRow | undefined;
  if (!row) return undefined;
  const user = toAuthUser(row);
  return row.roles.includes('sales_manager') ? { ...user, reports: await reportsOf(db, row.id) } : user;
}

export function installAuth(app: FastifyInstance, db: Db, cache: UserCache): void {
  app.decorateRequest('user', null);
  app.decorate('userCache', cache);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const url = request.routeOptions.url;
    const limits = app.callerLimits;
    if (url && PROBES.includes(url)) return;
    // Open routes, the docs page's assets, and the 404 handler: limited per address.
    if (config.public || !url || url === '/docs' || url.startsWith('/docs/')) return limits.byAddress(request, reply);
    const token = bearerToken(request);
    if (!token || token.length > 512) {
      await limits.byAddress(request, reply);
      throw unauthorized(token ? 'the token is not valid' : 'send Authorization: Bearer <token>');
    }
    const tokenHash = hashToken(token);
    await limits.beforeLookup(request, reply, tokenHash);
    const user = await cache.remember(`token:${tokenHash}`, () => signIn(db, tokenHash));
    if (!user) {
      await limits.byAddress(request, reply);
      throw unauthorized('the token is not valid');
    }
    request.user = user;
    await limits.byUser(request, reply, user.id, tokenHash);
    const roles = config.roles;
    if (roles && !rolePermits(user.roles, roles)) {
      throw forbidden(`this needs one of the roles ${roles.join(', ')}`, { requiredRoles: roles });
    }
  });
}

/** The signed-in user of an authenticated route (the hook guarantees one). */
export function userOf(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized('send Authorization: Bearer <token>');
  return request.user;
}

export function hasRole(user: AuthUser, ...roles: Role[]): boolean {
  return user.roles.some((r) => roles.includes(r));
}
