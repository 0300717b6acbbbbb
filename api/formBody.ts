// application/x-www-form-urlencoded, as a plain HTML <form> posts it, read into the object the
// route's schema checks: an empty field is left out (a form sends every field, filled or not), a
// field sent twice becomes a list (which the schema refuses, naming it), and the named numeric
// fields are read as numbers when they are digits.
import type { FastifyInstance } from 'fastify';
import { decodeUtf8 } from './jsonBody';

export function parseFormBody(text: string, numericFields: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (value.trim() === '') continue;
    const read = numericFields.includes(name) && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : value;
    const earlier = Object.hasOwn(fields, name) ? fields[name] : undefined;
    // Defined, not assigned: a field named __proto__ stays a field (which the schema refuses by name).
    Object.defineProperty(fields, name, {
      value: earlier === undefined ? read : Array.isArray(earlier) ? [...(earlier as unknown[]), read] : [earlier, read],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return fields;
}

/** Lets the routes of this scope read urlencoded bodies (UTF-8 only, like every body). */
export function installFormBody(scope: FastifyInstance, numericFields: readonly string[]): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, parseFormBody(decodeUtf8(body), numericFields));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
