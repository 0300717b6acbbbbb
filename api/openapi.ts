// The OpenAPI 3.1 document, generated from the route schemas, at /v1/openapi.json, and the
// interactive docs page at /docs. The document is the contract: tests/api/contract.test.ts holds
// the live API to it in both directions.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { STORABLE_TEXT } from '../machines/schema/bounds';
import { MAX_DEPTH } from './jsonBody';

type Schema = Record<string, unknown>;

const TEXT_PATTERN = STORABLE_TEXT.source;

function hasNulRule(schema: Schema): boolean {
  if (schema.pattern === TEXT_PATTERN) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((s) => (s as Schema).pattern === TEXT_PATTERN);
}

/**
 * Every string a request carries refuses U+0000 (api/textInput.ts, for all routes); the document
 * says so on every string schema of params, query and body that does not already.
 */
function documentNulRule(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(documentNulRule);
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Schema;
  if (s.type === 'string' && s.enum === undefined && s.const === undefined && !hasNulRule(s)) {
    if (s.pattern === undefined) s.pattern = TEXT_PATTERN;
    else s.allOf = [...((s.allOf as unknown[] | undefined) ?? []), { pattern: TEXT_PATTERN }];
  }
  for (const [key, child] of Object.entries(s)) {
    if (key === 'properties' && child && typeof child === 'object') Object.values(child).forEach(documentNulRule);
    else if (['items', 'additionalProperties', 'propertyNames', 'not', 'anyOf', 'oneOf', 'allOf', '$defs'].includes(key)) {
      if (key === '$defs' && child && typeof child === 'object') Object.values(child).forEach(documentNulRule);
      else documentNulRule(child);
    }
  }
}

const transform: typeof jsonSchemaTransform = (input) => {
  const result = jsonSchemaTransform(input);
  const schema = result.schema as Schema | undefined;
  for (const part of ['body', 'querystring', 'params', 'headers']) if (schema?.[part]) documentNulRule(schema[part]);
  return result;
};

const transformObject: typeof jsonSchemaTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input) as { components?: { schemas?: Record<string, unknown> } };
  // Shared components (the recursive guard) are request schemas too.
  Object.values(document.components?.schemas ?? {}).forEach(documentNulRule);
  return document as ReturnType<typeof jsonSchemaTransformObject>;
};

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lead-to-cash API',
        version: '1.0.0',
        description: [
          'Every customer journey from lead to cash. Send `Authorization: Bearer <token>`.',
          'Every refusal is `{error:{code, message, details?}}`; bad input is `400` with `details.issues[{path, message}]` naming each field.',
          `Any request: text is valid UTF-8 without the NUL character (U+0000); a JSON body nests at most ${MAX_DEPTH} levels deep; lengths count characters (code points).`,
          'Refused before a route runs, in the same shape: `405` `method_not_allowed` (a method the path does not have; the `Allow` header and `details.allow` list those it has), `413` `payload_too_large`, `414` `uri_too_long` (a path segment over 200 characters), `415` `unsupported_media_type`, `431` `headers_too_large` (headers over 16 KB), `400` `invalid_request` (a body that is not UTF-8 or nests too deep, a URL that does not decode).',
        ].join('\n\n'),
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform,
    transformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true }, logLevel: 'warn' });
  app.get('/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
