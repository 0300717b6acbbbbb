// Idempotency-Key on every state-changing route, as one mechanism: a hook applies it to each
// authenticated POST, PUT, PATCH and DELETE (a route opts out with `config.idempotent: false`), so a
// route added later honours the header without doing anything. The same key with the same request
// replays the first answer; the same key with another request is refused (422). Concurrency-safe
// by inserting the key first under a unique (user, key): of two racing requests one inserts and
// runs, the other finds the row and waits for its answer (or, if the first fails and frees the
// key, claims it and runs itself). Keys are scoped per user; a public route
// that takes keys names its own scope (a web form's submissions share the form's).
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/connection';
import { newId } from '../db/ids';
import { userOf } from './auth';
import { ApiError, badRequest } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route changes nothing a retry could double, so it takes no Idempotency-Key. */
    idempotent?: boolean;
    /** A public route's key scope (there is no user to scope by); with it the route takes keys. */
    idempotencyScope?: (request: FastifyRequest) => string;
  }
}

interface Outcome {
  status: number;
  body: unknown;
}

interface KeyRow {
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
  stale: boolean;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** How long a repeat waits for the first request to finish (an update-with-start settles in ≤ 10 s). */
const WAIT_MS = 15_000;
/**
 * A first request unfinished after this long died with its process: a repeat takes the key over.
 * Safe even if it still runs, since the takeover names the same journey or update (keyedId).
 */
const ABANDONED_AFTER_S = 20;
/** Keys are kept this long, then may be used again; expired ones are purged now and then. */
const KEEP_HOURS = 24;
const PURGE_EVERY = 200;
let untilPurge = PURGE_EVERY;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function requestHash(request: FastifyRequest): string {
  const shape = { method: request.method, route: request.routeOptions.url, params: request.params, body: request.body };
  return createHash('sha256')
    .update(JSON.stringify(canonical(shape)))
    .digest('hex');
}

function idempotencyKeyOf(request: FastifyRequest): string | null {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || !KEY_PATTERN.test(key)) {
    throw badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters', [
      { path: 'headers.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return key;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HEADER = 'idempotency-key';

const headerSchema = z
  .string()
  .regex(KEY_PATTERN, 'must be 1 to 255 visible ASCII characters')
  .optional()
  .describe(
    'Makes a retry harmless: the same key with the same request replays the first answer (header `idempotent-replayed: true`); ' +
      'the same key with another request is refused with 422 `idempotency_key_reused`. Keys are per user and kept 24 hours.',
  );

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map(String);
}

function takesKey(route: Pick<RouteOptions, 'method' | 'config'>): boolean {
  const config = (route.config ?? {}) as { public?: boolean; idempotent?: boolean; idempotencyScope?: unknown };
  return (
    config.idempotent !== false &&
    (!config.public || config.idempotencyScope !== undefined) &&
    methodsOf(route as RouteOptions).some((m) => STATE_CHANGING.has(m))
  );
}

/** Whose keys a request's key is among: its user's, or the scope its public route names. */
function scopeOf(request: FastifyRequest): string | null {
  if (request.user) return request.user.id;
  return request.routeOptions.config.idempotencyScope?.(request) ?? null;
}

/** Keys claimed by requests now running, to record their answers. */
const claims = new WeakMap<FastifyRequest, { scope: string; key: string }>();

/**
 * Installs the mechanism: documents the header on every route it applies to (install before the
 * routes and the OpenAPI document), claims or replays the key before the handler, records the answer.
 */
export function installIdempotency(app: FastifyInstance, db: Db): void {
  app.addHook('onRoute', (route) => {
    if (!takesKey(route)) return;
    const schema = (route.schema ?? {}) as { headers?: unknown };
    const headers = schema.headers instanceof z.ZodObject ? schema.headers : z.looseObject({});
    route.schema = { ...schema, headers: headers.extend({ [HEADER]: headerSchema }) };
  });

  app.addHook('preHandler', async (request, reply) => {
    if (!takesKey({ method: request.method as RouteOptions['method'], config: request.routeOptions.config })) return;
    const scope = scopeOf(request);
    if (scope === null) return;
    const key = idempotencyKeyOf(request);
    if (key === null) return;
    const first = await claim(db, request, scope, key);
    if (first === 'claimed') {
      claims.set(request, { scope, key });
      return;
    }
    return replayed(reply, first);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claimed = claims.get(request);
    if (!claimed) return payload;
    claims.delete(request);
    const where = { user_id: claimed.scope, key: claimed.key };
    if (reply.statusCode >= 500) {
      // Nothing definite happened that a retry must see: free the key.
      await db('api_idempotency_keys').where(where).delete();
    } else {
      await db('api_idempotency_keys')
        .where(where)
        .update({ response_status: reply.statusCode, response_body: JSON.stringify(bodyOf(payload)), completed_at: db.fn.now() });
    }
    return payload;
  });
}

function bodyOf(payload: unknown): unknown {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function replayed(reply: FastifyReply, first: Outcome): FastifyReply {
  return reply.code(first.status).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(JSON.stringify(first.body));
}

/** Claims the key for this request, or answers with the first request's outcome. */
async function claim(db: Db, request: FastifyRequest, userId: string, key: string): Promise<Outcome | 'claimed'> {
  const hash = requestHash(request);
  if (--untilPurge <= 0) {
    untilPurge = PURGE_EVERY;
    await db('api_idempotency_keys').whereRaw('created_at < now() - make_interval(hours => ?)', [KEEP_HOURS]).delete();
  }
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const inserted = await db('api_idempotency_keys')
      .insert({ user_id: userId, key, route: `${request.method} ${request.routeOptions.url ?? ''}`, request_hash: hash })
      .onConflict(['user_id', 'key'])
      .ignore()
      .returning('key');
    if (inserted.length > 0) return 'claimed';
    const first = await replay(db, userId, key, hash, deadline);
    if (first === 'abandoned') return 'claimed';
    if (first !== 'freed') return first;
    // The first request failed (5xx) and freed the key while this one waited: claim it and run.
    if (Date.now() > deadline) throw new ApiError(409, 'idempotency_key_in_use', 'requests with this Idempotency-Key keep failing; try again shortly');
  }
}

/**
 * Sends a handler's outcome. Idempotency itself is the hook's work for every route; routes written
 * against this earlier helper keep working unchanged.
 */
export async function sendIdempotent(_db: Db, _request: FastifyRequest, reply: FastifyReply, handler: () => Promise<Outcome>): Promise<FastifyReply> {
  const outcome = await handler();
  return reply.code(outcome.status).send(outcome.body);
}

async function replay(db: Db, userId: string, key: string, hash: string, deadline: number): Promise<Outcome | 'abandoned' | 'freed'> {
  for (;;) {
    const row = (await db('api_idempotency_keys')
      .where({ user_id: userId, key })
      .select('request_hash', 'response_status', 'response_body', db.raw(`created_at < now() - make_interval(secs => ?) as stale`, [ABANDONED_AFTER_S]))
      .first()) as KeyRow | undefined;
    if (!row) return 'freed';
    if (row.request_hash !== hash) {
      throw new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with another request; use a new key for a new request');
    }
    if (row.response_status !== null) return { status: row.response_status, body: row.response_body };
    if (row.stale) {
      // Only one repeat wins the takeover; the others keep waiting for its response.
      const taken = await db('api_idempotency_keys')
        .where({ user_id: userId, key })
        .whereNull('response_status')
        .whereRaw('created_at < now() - make_interval(secs => ?)', [ABANDONED_AFTER_S])
        .update({ created_at: db.fn.now() });
      if (taken === 1) return 'abandoned';
    }
    if (Date.now() > deadline)
      throw new ApiError(409, 'idempotency_key_in_use', 'the first request with this Idempotency-Key is still running; try again shortly');
    await sleep(50);
  }
}

/**
 * An id derived from the request's Idempotency-Key (scoped per user), so a retry after a crash, or
 * a takeover of an abandoned key, names the same journey or update and never makes a second one.
 */
function keyedId(request: FastifyRequest, prefix: string): string | null {
  const key = idempotencyKeyOf(request);
  if (key === null) return null;
  const scope = scopeOf(request) ?? userOf(request).id;
  return `${prefix}_${createHash('sha256')
    .update(JSON.stringify([prefix, scope, key]))
    .digest('hex')
    .slice(0, 32)}`;
}

/** The Temporal update id for an event sent with an Idempotency-Key. */
export function updateIdOf(request: FastifyRequest): string | undefined {
  return keyedId(request, 'api') ?? undefined;
}

/** The id of the journey a POST /v1/leads starts: fixed by its Idempotency-Key, else fresh. */
export function journeyIdOf(request: FastifyRequest): string {
  return keyedId(request, 'jrn') ?? newId('jrn');
}

/** The id of a credit note: fixed by its Idempotency-Key, so a retry never refunds twice. */
export function creditNoteIdOf(request: FastifyRequest): string {
  return keyedId(request, 'cn') ?? newId('cn');
}

/** The id of a purchase order receipt: fixed by its Idempotency-Key, so a retry never books it twice. */
export function receiptIdOf(request: FastifyRequest): string {
  return keyedId(request, 'rcp') ?? newId('rcp');
}
