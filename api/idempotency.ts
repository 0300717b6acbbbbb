// Idempotency-Key on creating POSTs (leads, users, payments): the same key with the same request
// replays the first response; the same key with another request is refused (422). Concurrency-safe
// by inserting the key first under a unique (user, key): of two racing requests one inserts and
// runs, the other finds the row and waits for its response. Keys are scoped per user.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connection';
import { newId } from '../db/ids';
import { userOf } from './auth';
import { ApiError, badRequest, errorBody, toApiError } from './errors';

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
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function requestHash(request: FastifyRequest): string {
  const shape = { method: request.method, route: request.routeOptions.url, params: request.params, body: request.body };
  return createHash('sha256').update(JSON.stringify(canonical(shape))).digest('hex');
}

function idempotencyKeyOf(request: FastifyRequest): string | null {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || !KEY_PATTERN.test(key)) {
    throw badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters', [{ path: 'headers.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' }]);
  }
  return key;
}

/** Runs `handler` once per (user, key) and sends its outcome, or replays the stored one. */
export async function sendIdempotent(db: Db, request: FastifyRequest, reply: FastifyReply, handler: () => Promise<Outcome>): Promise<FastifyReply> {
  const key = idempotencyKeyOf(request);
  const outcome = key === null ? await handler() : await once(db, request, reply, key, handler);
  return reply.code(outcome.status).send(outcome.body);
}

async function once(db: Db, request: FastifyRequest, reply: FastifyReply, key: string, handler: () => Promise<Outcome>): Promise<Outcome> {
  const userId = userOf(request).id;
  const hash = requestHash(request);
  if (--untilPurge <= 0) {
    untilPurge = PURGE_EVERY;
    await db('api_idempotency_keys').whereRaw('created_at < now() - make_interval(hours => ?)', [KEEP_HOURS]).delete();
  }
  const inserted = await db('api_idempotency_keys')
    .insert({ user_id: userId, key, route: `${request.method} ${request.routeOptions.url ?? ''}`, request_hash: hash })
    .onConflict(['user_id', 'key'])
    .ignore()
    .returning('key');
  if (inserted.length === 0) {
    const first = await replay(db, userId, key, hash);
    if (first !== 'abandoned') {
      void reply.header('idempotent-replayed', 'true');
      return first;
    }
  }

  let outcome: Outcome;
  try {
    outcome = await handler();
  } catch (error) {
    const mapped = toApiError(error);
    if (!mapped || mapped.status >= 500) {
      // Nothing definite happened that a retry must see: free the key.
      await db('api_idempotency_keys').where({ user_id: userId, key }).delete();
      throw error;
    }
    outcome = { status: mapped.status, body: errorBody(mapped.code, mapped.message, mapped.details) };
  }
  await db('api_idempotency_keys')
    .where({ user_id: userId, key })
    .update({ response_status: outcome.status, response_body: JSON.stringify(outcome.body), completed_at: db.fn.now() });
  return outcome;
}

async function replay(db: Db, userId: string, key: string, hash: string): Promise<Outcome | 'abandoned'> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const row = (await db('api_idempotency_keys')
      .where({ user_id: userId, key })
      .select('request_hash', 'response_status', 'response_body', db.raw(`created_at < now() - make_interval(secs => ?) as stale`, [ABANDONED_AFTER_S]))
      .first()) as KeyRow | undefined;
    if (!row) throw new ApiError(409, 'idempotency_key_in_use', 'the first request with this Idempotency-Key failed; send it again');
    if (row.request_hash !== hash) {
      throw new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with another request; use a new key for a new request');
    }
    if (row.response_status !== null) return { status: row.response_status, body: row.response_body };
    if (row.stale) {
      // Only one repeat wins the takeover; the others keep waiting for its response.
      const taken = await db('api_idempotency_keys').where({ user_id: userId, key }).whereNull('response_status').whereRaw('created_at < now() - make_interval(secs => ?)', [ABANDONED_AFTER_S]).update({ created_at: db.fn.now() });
      if (taken === 1) return 'abandoned';
    }
    if (Date.now() > deadline) throw new ApiError(409, 'idempotency_key_in_use', 'the first request with this Idempotency-Key is still running; try again shortly');
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
  return `${prefix}_${createHash('sha256').update(JSON.stringify([prefix, userOf(request).id, key])).digest('hex').slice(0, 32)}`;
}

/** The Temporal update id for an event sent with an Idempotency-Key. */
export function updateIdOf(request: FastifyRequest): string | undefined {
  return keyedId(request, 'api') ?? undefined;
}

/** The id of the journey a POST /v1/leads starts: fixed by its Idempotency-Key, else fresh. */
export function journeyIdOf(request: FastifyRequest): string {
  return keyedId(request, 'jrn') ?? newId('jrn');
}
