// Rate limits per caller: by token (its hash, never the token) when one is sent, else by address.
// A refusal is 429 with Retry-After and the usual error body.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../db/queries/users';
import { bearerToken } from './auth';

export interface RateLimitOptions {
  /** Requests per window and caller. */
  max: number;
  windowMs: number;
}

export const defaultRateLimit: RateLimitOptions = { max: 600, windowMs: 60_000 };

function callerKey(request: FastifyRequest): string {
  const token = bearerToken(request);
  return token ? `token:${hashToken(token)}` : `ip:${request.ip}`;
}

export async function installRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.windowMs,
    keyGenerator: callerKey,
    // Probes and scrapes are never limited.
    allowList: (request) => ['/healthz', '/readyz', '/metrics'].includes(request.routeOptions.url ?? ''),
    // Thrown by the plugin (after it set Retry-After) and answered by the error handler.
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`too many requests: at most ${context.max} per window; retry after ${context.after}`), { statusCode: 429 }),
  });
}
