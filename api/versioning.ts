// Edits of a versioned document (response rules, email templates) name the version they were made
// on, in the body (`expectedVersion`) or as `If-Match: "<version>"`; answers carry it as the ETag.
// When another edit came first the answer is 409, so two people never overwrite each other unseen.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from './errors';

export const expectedVersionSchema = z
  .number()
  .int()
  .min(0)
  .max(2_147_483_647)
  .optional()
  .describe('the version this edit was made on (or send If-Match); 409 stale_version when another was saved since');

export function staleVersion(what: string, expected: number, current: number): ApiError {
  return new ApiError(409, 'stale_version', `${what} changed since version ${expected}: now at version ${current}; reload and edit again`, {
    expectedVersion: expected,
    currentVersion: current,
  });
}

/** The version an edit was made on: the body's, else If-Match's; a tag that names no version is a 400. */
export function expectedVersionOf(request: FastifyRequest, fromBody: number | undefined): number | undefined {
  if (fromBody !== undefined) return fromBody;
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    throw new ApiError(400, 'invalid_request', 'If-Match: expected the version as an entity tag, e.g. "3"', {
      issues: [{ path: 'headers.if-match', message: 'the version as an entity tag, e.g. "3"' }],
    });
  }
  return Number(match[1]);
}

export function tagVersion(reply: FastifyReply, version: number): void {
  void reply.header('etag', `"${version}"`);
}
