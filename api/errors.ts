// Every refusal the API gives, as `{error: {code, message, details?}}` with a stable code, and
// the one error handler that maps everything thrown in a route to it. Nothing a client sends
// may end as a 500: a 500 means our bug, and is logged as one. A dependency that is down (PostgreSQL,
// Temporal, no worker answering in time) is a 503, so clients know to retry.
import {
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { REFUSAL, type RefusalDetails } from '../workflows/messages';
import { workflowTaskFailing } from './journeyClient';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} was not found`);
export const forbidden = (message: string, details?: unknown) => new ApiError(403, 'forbidden', message, details);
export const badRequest = (message: string, issues: { path: string; message: string }[]) => new ApiError(400, 'invalid_request', message, { issues });
export const unavailable = (message: string) => new ApiError(503, 'unavailable', message);

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** Maps a refused journey update (validator failure) to 409 or 403 with the allowed events. */
export function fromUpdateFailure(error: WorkflowUpdateFailedError): ApiError | null {
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure)) return null;
  const details = (cause.details?.[0] ?? {}) as Partial<RefusalDetails>;
  const allowedEvents = details.allowedEvents ?? [];
  switch (cause.type) {
    case REFUSAL.notAllowed:
    case REFUSAL.noCheckpoint:
      return new ApiError(409, 'transition_not_allowed', cause.message, { allowedEvents });
    case REFUSAL.forbidden:
      return new ApiError(403, 'forbidden', cause.message, { allowedEvents });
    case REFUSAL.creditHold:
      return new ApiError(409, 'credit_hold', cause.message, { stage: details.stage, allowedEvents });
    case REFUSAL.staleStage:
      return new ApiError(409, 'stale_stage', cause.message, { stage: details.stage, allowedEvents });
    case REFUSAL.staleCheckpoint:
      return new ApiError(409, 'stale_checkpoint', cause.message, {
        stage: details.stage,
        pendingCheckpoint: details.pendingCheckpoint ?? null,
        allowedEvents,
      });
    default:
      return null;
  }
}

const PG_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300']);

/** Maps anything thrown in a route to an ApiError, or null for our own bugs (500). */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof WorkflowUpdateFailedError) return fromUpdateFailure(error);
  if (error instanceof WorkflowNotFoundError) return notFound('the journey');
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error)) {
    return unavailable('the journey did not answer in time (is a worker running?); try again');
  }
  if (workflowTaskFailing(error)) return unavailable('the journey is recovering from a failed step on a worker; try again shortly');
  if (error instanceof ServiceError || isGrpcServiceError(error)) return unavailable('Temporal is not reachable; try again');
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && PG_CONNECTION_CODES.has(code)) return unavailable('the database is not reachable; try again');
  if (error instanceof Error && error.name === 'KnexTimeoutError') return unavailable('the database is busy; try again');
  return null;
}

/** Raised by the router before any route runs: a URL that does not decode, a path segment too long. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(414).send(errorBody('uri_too_long', 'a path segment is too long: ids are at most 64 characters'));
  } else if (error.code === 'FST_ERR_BAD_URL') {
    void reply.code(400).send(
      errorBody('invalid_request', 'the URL is not valid: a path segment does not decode', {
        issues: [{ path: 'params', message: 'must be valid percent-encoded UTF-8' }],
      }),
    );
  } else {
    void reply.code(500).send(errorBody('internal', 'something went wrong on our side'));
  }
}

/**
 * Raised by Node's HTTP parser, where no request exists yet (headers over 16 KB, malformed
 * requests): answered on the socket itself, still in the documented shape.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, body] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', errorBody('headers_too_large', 'the request headers are too large (at most 16 KB in all)')]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', errorBody('request_timeout', 'the request did not arrive in time')]
        : [400, 'Bad Request', errorBody('invalid_request', 'the request is not valid HTTP')];
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/** Methods per route pattern, to tell an unknown path (404) from a method a known path lacks (405). */
function routeMethods(app: FastifyInstance): (path: string) => string[] {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const escaped = route.url
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:[^/]+/g, '[^/]+')
      .replace(/\*/g, '.*');
    const methods = [route.method].flat().map(String);
    routes.push({ pattern: new RegExp(`^${escaped}/?$`), methods: methods.includes('GET') ? [...methods, 'HEAD'] : methods });
  });
  return (path) => [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))].sort();
}

export function installErrorHandler(app: FastifyInstance): void {
  const methodsOf = routeMethods(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = methodsOf(path);
    // A route that takes this method but found nothing (a missing asset) is a plain 404.
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      void reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send(errorBody('method_not_allowed', `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, { allow: allowed }));
      return;
    }
    void reply.code(404).send(errorBody('not_found', `no route for ${request.method} ${path}`));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      // An unknown field is reported at its own path, so the client sees which one to drop.
      const issues = error.validation.flatMap((v) => {
        const base = [where, ...String(v.instancePath).split('/').filter(Boolean)];
        const keys = v.keyword === 'unrecognized_keys' ? (v.params as { keys?: unknown }).keys : undefined;
        if (Array.isArray(keys) && keys.length > 0) return keys.map((k) => ({ path: [...base, String(k)].join('.'), message: 'is not a known field' }));
        return [{ path: base.join('.'), message: v.message ?? 'is invalid' }];
      });
      return reply.code(400).send(errorBody('invalid_request', `invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues }));
    }
    const mapped = toApiError(error);
    if (mapped) {
      if (mapped.status >= 500) request.log.warn({ err: error }, mapped.message);
      if (mapped.status === 503) void reply.header('retry-after', '1');
      return reply.code(mapped.status).send(errorBody(mapped.code, mapped.message, mapped.details));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(errorBody('payload_too_large', 'the request body is too large'));
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send(errorBody('unsupported_media_type', 'send application/json (or text/csv for imports)'));
    if (error.statusCode === 429) return reply.code(429).send(errorBody('rate_limited', error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody('invalid_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('internal', 'something went wrong on our side; the request id is in the logs', { requestId: request.id }));
  });
}
