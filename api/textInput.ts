// PostgreSQL text cannot hold the NUL character; a string with one would fail deep in a query as a
// 500. Refused up front, for every route, with the field that carried it.
import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors';

/** The path of the first string containing U+0000 in `value`, or null. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
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
    if (path) throw badRequest(`${path} contains a NUL character (\\u0000), which text fields cannot hold`, [{ path, message: 'must not contain the NUL character \\u0000; remove it and send again' }]);
  });
}
