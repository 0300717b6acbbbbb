// Rate limits per caller. A request without a valid identity (no token, a malformed, unknown or
// deactivated one, and every public route) counts against its client address; a signed-in request
// counts against its user, whatever token or address it comes from. An address that has spent its
// budget is refused before its token is looked up, so a flood of made-up tokens costs no database
// query; a token that signed in lately is still looked up, so a user is not shut out by a
// neighbour behind the same address. A refusal is 429 with Retry-After and the usual error body.
// The auth hook (api/auth.ts) decides which budget a request spends; probes are never limited.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connection';
import { ApiError } from './errors';
import { sharedRateStore } from './sharedRateStore';

export interface RateLimitOptions {
  /** Requests per window and caller. */
  max: number;
  windowMs: number;
  /** Counts kept in PostgreSQL, shared by every API process on it; else in this process only. */
  shared?: boolean;
}

export const defaultRateLimit: RateLimitOptions = { max: 600, windowMs: 60_000, shared: true };

/** Routes that monitoring calls often and that read only cached figures. */
export const PROBES = ['/healthz', '/readyz', '/metrics'];

/** How many recently valid token hashes are remembered (only to let them reach the lookup). */
const RECENT_TOKENS = 10_000;

export interface CallerLimits {
  /** Spends one request of the client address's budget; 429 when it is spent. */
  byAddress(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Spends one request of the signed-in user's budget; 429 when it is spent. */
  byUser(request: FastifyRequest, reply: FastifyReply, userId: string, tokenHash: string): Promise<void>;
  /** 429 before any lookup when the address's budget is spent and the token has not signed in lately. */
  beforeLookup(request: FastifyRequest, reply: FastifyReply, tokenHash: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    callerLimits: CallerLimits;
  }
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

export async function installRateLimit(app: FastifyInstance, db: Db, options: RateLimitOptions): Promise<void> {
  const shared = options.shared ? sharedRateStore(db) : null;
  if (shared) app.addHook('onClose', () => shared.close());
  // global: false: no hook of the plugin's own; only its counters, used below.
  await app.register(rateLimit, { global: false, max: options.max, timeWindow: options.windowMs, ...(shared ? { store: shared.Store } : {}) });
  const address = app.createRateLimit({ keyGenerator: (request) => `ip:${request.ip}` });
  const userIds = new WeakMap<FastifyRequest, string>();
  const user = app.createRateLimit({ keyGenerator: (request) => `user:${userIds.get(request) ?? ''}` });
  const recentTokens = new Map<string, true>();

  app.decorate('callerLimits', {
    byAddress: (request, reply) => spend(address, request, reply),
    async byUser(request, reply, userId, tokenHash) {
      recentTokens.delete(tokenHash);
      recentTokens.set(tokenHash, true);
      if (recentTokens.size > RECENT_TOKENS) recentTokens.delete(recentTokens.keys().next().value as string);
      userIds.set(request, userId);
      await spend(user, request, reply);
    },
    async beforeLookup(request, reply, tokenHash) {
      if (recentTokens.has(tokenHash)) return;
      const result = await address(request, { increment: false });
      if (!result.isAllowed && result.remaining === 0) throw tooMany(reply, result.ttlInSeconds, result.max);
    },
  } satisfies CallerLimits);
}

async function spend(limiter: Limiter, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const result = await limiter(request);
  if (result.isAllowed) return;
  void reply.header('x-ratelimit-limit', result.max).header('x-ratelimit-remaining', result.remaining).header('x-ratelimit-reset', result.ttlInSeconds);
  if (result.isExceeded) throw tooMany(reply, result.ttlInSeconds, result.max);
}

/**
 * A budget of its own on the same store (shared by every API process when the callers' budgets
 * are), e.g. a public form's submissions per address; spending it past its max is 429 with Retry-After.
 */
export function ownBudget(
  app: FastifyInstance,
  limit: Pick<RateLimitOptions, 'max' | 'windowMs'>,
  keyOf: (request: FastifyRequest) => string,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const limiter = app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: keyOf });
  return (request, reply) => spend(limiter, request, reply);
}

function tooMany(reply: FastifyReply, retryAfterSeconds: number, max: number): ApiError {
  void reply.header('retry-after', Math.max(1, retryAfterSeconds));
  return new ApiError(429, 'rate_limited', `too many requests: at most ${max} per window; retry after ${Math.max(1, retryAfterSeconds)} s`);
}
