// PostgreSQL text cannot hold the NUL character (a string with one would fail deep in a query as a
// 500) nor a lone surrogate (UTF-8 has none; it would be stored as U+FFFD). Refused up front, for
// every route, with the field that carried it; the OpenAPI document states the same pattern.
import type { FastifyInstance } from 'fastify';
import { STORABLE_TEXT } from '../machines/schema/bounds';
import { badRequest } from './errors';

/** The path of the first string in `value` that is not storable text, or null. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return STORABLE_TEXT.test(value) ? null : path;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(key, `${path}.${key}`) ?? nulPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const path = nulPath(request.params, 'params') ?? nulPath(request.query, 'querystring') ?? nulPath(request.body, 'body');
    if (path)
      throw badRequest(`${path} contains a NUL character (\\u0000) or a lone surrogate, which text fields cannot hold`, [
        { path, message: 'must be Unicode text without the NUL character \\u0000; remove it and send again' },
      ]);
  });
}
