// What a body must be before any route sees it: valid UTF-8 (bytes that are not would be stored as
// replacement characters) and, for JSON, nested at most MAX_DEPTH deep (deeper bodies would
// exhaust the stack of the recursive schemas, e.g. guard conditions). Refused with 400, for every
// route, JSON and CSV alike.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from './errors';

export const MAX_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text; 400 naming `body` when it is not UTF-8. */
export function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw badRequest('the body is not valid UTF-8', [{ path: 'body', message: 'must be UTF-8 encoded text; send the bytes as UTF-8' }]);
  }
}

/** The deepest nesting of arrays and objects in JSON text (strings skipped), counted without parsing. */
function nesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

export function installBodyParsers(app: FastifyInstance): void {
  // A key named __proto__ (or constructor) is kept as JSON.parse keeps it, an own key, and judged
  // by the route's schema like any other: a closed object refuses it by name (as the document
  // does), an open one drops it from what it returns, so it reaches no object's prototype.
  const parseJson = app.getDefaultJsonParser('ignore', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    let text: string;
    try {
      text = decodeUtf8(body);
      if (nesting(text) > MAX_DEPTH)
        throw badRequest(`the body nests deeper than ${MAX_DEPTH} levels`, [
          { path: 'body', message: `arrays and objects may nest at most ${MAX_DEPTH} levels deep` },
        ]);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  // CSV imports and bank statements (camt.053 XML): text, refused when it is not UTF-8.
  app.addContentTypeParser(['text/csv', 'text/plain', 'application/xml', 'text/xml'], { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, decodeUtf8(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
