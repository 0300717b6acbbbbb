// The OpenAPI document is the contract, checked against the live API in both directions: requests
// generated from the document's own schemas that it calls valid are never refused for their shape,
// those it calls invalid are never accepted. Every $ref resolves; a method a path lacks is 405 with
// Allow; what the HTTP layer refuses (413, 414, 431, bad UTF-8, deep nesting) has the error shape.
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess } from '../../machines/index';
import { createHarness, journeyAtOpportunity, type Harness, type Persona } from './harness';
import { arbitraryFor, conforms, mutated, type JsonSchema } from './schemaArbitrary';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}
interface OperationObject {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const RUNS_PER_OPERATION = 40;

/**
 * Refusals for what a well-formed value names, which no schema can know: a product, a user, a
 * cursor that must exist, and the CSV text's own grammar (described in words on the import route);
 * and rules between two fields, described in words on their routes: a report period's order and
 * length, and the bank profile a CSV statement (not an XML one) needs.
 */
const REFERENCE_PATHS = [
  /^body\.data\.lines\.\d+\.sku$/,
  /^body\.managerId$/,
  /^body\.ownerId$/,
  /^querystring\.cursor$/,
  /^querystring\.from$/,
  /^querystring\.profile$/,
];

function isErrorShape(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && /^[a-z_]+$/.test(error.code) && typeof error.message === 'string';
}

/** Follows a local JSON pointer such as `#/components/schemas/Guard`. */
function pointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), doc);
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

function resolveBody(operation: OperationObject | undefined): JsonSchema {
  const schema = operation?.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error('no JSON body');
  return schema;
}

/** A query value as the server reads it: numbers for numeric parameters, text otherwise. */
function fromQuery(schema: JsonSchema, raw: string, resolve: (ref: string) => JsonSchema): unknown {
  const s = schema.$ref ? resolve(schema.$ref) : schema;
  const types = [s.type, ...(s.anyOf ?? []).map((a) => a.type)].flat();
  if ((types.includes('integer') || types.includes('number')) && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  return raw;
}

describe('the OpenAPI document as the contract', () => {
  let h: Harness;
  let doc: OpenApiDocument;
  let journeyId: string;
  let draft: { key: string; version: number };
  const resolve = (ref: string) => pointer(doc, ref) as JsonSchema;

  beforeAll(async () => {
    h = await createHarness({ worker: true });
    doc = (await h.call(null, 'GET', '/v1/openapi.json')).json<OpenApiDocument>();
    journeyId = await journeyAtOpportunity(h);
    const saved = await h.call('ops', 'POST', '/v1/process-definitions', { definition: { ...structuredClone(defaultProcess), key: 'contract-draft' } });
    expect(saved.statusCode, saved.body).toBe(201);
    draft = { key: 'contract-draft', version: saved.json<{ version: number }>().version };
  });
  afterAll(async () => {
    await h.close();
  });

  it('resolves every $ref in the document', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(pointer(doc, ref), ref).toBeDefined();
  });

  it('answers 405 with Allow, in the error shape, for every method a documented path lacks', async () => {
    let checked = 0;
    const templates = Object.entries(doc.paths).map(([template, operations]) => ({
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      methods: METHODS.filter((m) => operations[m]).map((m) => m.toUpperCase()),
    }));
    for (const path of Object.keys(doc.paths)) {
      const url = path.replace(/\{[^}]+\}/g, 'x1');
      // What the URL may take by any documented path it matches (/v1/users/me is also /v1/users/{id}).
      const declared = [...new Set(templates.filter((t) => t.pattern.test(url)).flatMap((t) => t.methods))];
      for (const method of METHODS.map((m) => m.toUpperCase()).filter((m) => !declared.includes(m))) {
        const response = await h.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${h.tokens.admin}` } });
        expect(response.statusCode, `${method} ${path}: ${response.body}`).toBe(405);
        expect(isErrorShape(response.json())).toBe(true);
        expect(response.json().error.code).toBe('method_not_allowed');
        const allow = String(response.headers.allow).split(', ');
        for (const m of declared) expect(allow, `${method} ${path}`).toContain(m);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // An unknown path stays a 404.
    expect((await h.call('admin', 'DELETE', '/v1/no-such-thing')).statusCode).toBe(404);
  });

  it('refuses at the HTTP layer in the documented shape: 413, 414, 431, a bad URL', async () => {
    const long = await h.call('admin', 'GET', `/v1/journeys/${'a'.repeat(5_000)}`);
    expect(long.statusCode).toBe(414);
    expect(isErrorShape(long.json()), long.body).toBe(true);
    const badUrl = await h.call('admin', 'GET', '/v1/journeys/%E0%A4%A');
    expect(badUrl.statusCode).toBe(400);
    expect(isErrorShape(badUrl.json()), badUrl.body).toBe(true);
    const large = await h.call('rep', 'POST', '/v1/leads', { source: 'web_form', name: 'x', email: 'big@example.com', message: 'm'.repeat(300 * 1024) });
    expect(large.statusCode).toBe(413);
    expect(isErrorShape(large.json()), large.body).toBe(true);

    // Node's parser refuses oversized headers before Fastify sees a request: a real socket.
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.app.server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; body: string }>((resolveAnswer, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/users/me', headers: { authorization: `Bearer ${'x'.repeat(64 * 1024)}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(isErrorShape(JSON.parse(answer.body)), answer.body).toBe(true);
  });

  it('refuses invalid UTF-8 and JSON nested too deep with 400, storing nothing', async () => {
    const email = 'utf8.check@example.com';
    const bytes = Buffer.concat([Buffer.from(`{"source":"web_form","email":"${email}","name":"Bad `), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const invalid = await h.app.inject({
      method: 'POST',
      url: '/v1/leads',
      payload: bytes,
      headers: { authorization: `Bearer ${h.tokens.rep}`, 'content-type': 'application/json' },
    });
    expect(invalid.statusCode, invalid.body).toBe(400);
    expect(invalid.json().error.details.issues[0].path).toBe('body');
    expect(await h.deps.db('leads').where({ email }).count('* as n')).toEqual([{ n: '0' }]);
    // A lone surrogate escaped in JSON cannot be stored either (it would become U+FFFD).
    const surrogate = await h.app.inject({
      method: 'POST',
      url: '/v1/leads',
      payload: `{"source":"web_form","email":"${email}","name":"Bad \\ud800"}`,
      headers: { authorization: `Bearer ${h.tokens.rep}`, 'content-type': 'application/json' },
    });
    expect(surrogate.statusCode, surrogate.body).toBe(400);
    expect(surrogate.json().error.details.issues[0].path).toBe('body.name');
    expect(await h.deps.db('leads').where({ email }).count('* as n')).toEqual([{ n: '0' }]);
    const csv = await h.app.inject({
      method: 'POST',
      url: '/v1/leads/import',
      payload: Buffer.concat([Buffer.from('name,email\nBad '), Buffer.from([0xff]), Buffer.from(',csv@example.com\n')]),
      headers: { authorization: `Bearer ${h.tokens.manager}`, 'content-type': 'text/csv' },
    });
    expect(csv.statusCode, csv.body).toBe(400);

    const nested = (depth: number) => {
      let guard: Record<string, unknown> = { field: 'score', op: 'present' };
      for (let i = 0; i < depth; i++) guard = { not: guard };
      const definition = structuredClone(defaultProcess) as unknown as { stages: Record<string, { checkpoint: Record<string, unknown> }> };
      definition.stages.qualification!.checkpoint.auto = guard;
      return { definition };
    };
    for (const url of ['/v1/process-definitions/validate', '/v1/process-definitions']) {
      const deep = await h.call('ops', 'POST', url, nested(1_000));
      expect(deep.statusCode, deep.body).toBe(400);
      expect(deep.json().error.message).toContain('nests deeper');
    }
    const fine = await h.call('ops', 'POST', '/v1/process-definitions/validate', nested(20));
    expect(fine.statusCode, fine.body).toBe(200);
  });

  it('agrees with the server on each case an outside conformance fuzzer found', async () => {
    const bodyOf = (path: string) => resolveBody(doc.paths[path]?.post);
    const queryOf = (path: string, name: string) => doc.paths[path]?.get?.parameters?.find((p) => p.name === name)?.schema as JsonSchema;
    const cases: { as: Persona; method: 'GET' | 'POST'; url: string; body?: unknown; schema: JsonSchema; value: unknown; valid: boolean }[] = [
      {
        as: 'rep',
        method: 'POST',
        url: `/v1/journeys/${journeyId}/confirmations`,
        body: { decision: 'approve', note: 'a\u0000b' },
        schema: bodyOf('/v1/journeys/{id}/confirmations'),
        value: undefined,
        valid: false,
      },
      {
        as: 'rep',
        method: 'POST',
        url: `/v1/journeys/${journeyId}/confirmations`,
        body: { decision: 'approve', note: 'half a pair \ud83d' },
        schema: bodyOf('/v1/journeys/{id}/confirmations'),
        value: undefined,
        valid: false,
      },
      {
        as: 'rep',
        method: 'POST',
        url: `/v1/journeys/${journeyId}/events`,
        body: { type: 'LOSE', data: { reason: 'price' } },
        schema: bodyOf('/v1/journeys/{id}/events'),
        value: undefined,
        valid: false,
      },
      {
        as: 'rep',
        method: 'POST',
        url: '/v1/leads',
        body: { source: 'web_form', name: 'Ada', email: 'ada@co-.example' },
        schema: bodyOf('/v1/leads'),
        value: undefined,
        valid: false,
      },
      {
        as: 'rep',
        method: 'POST',
        url: '/v1/leads',
        body: { source: 'web_form', name: 'Ada', email: 'ada.contract@co.example' },
        schema: bodyOf('/v1/leads'),
        value: undefined,
        valid: true,
      },
      {
        as: 'finance',
        method: 'GET',
        url: '/v1/finance/stuck?olderThan=P200Y',
        schema: queryOf('/v1/finance/stuck', 'olderThan'),
        value: 'P200Y',
        valid: false,
      },
      {
        // ISO 8601's year 0000 (1 BC): PostgreSQL's date has no such day.
        as: 'admin',
        method: 'GET',
        url: '/v1/reports/kpis?to=0000-02-29',
        schema: queryOf('/v1/reports/kpis', 'to'),
        value: '0000-02-29',
        valid: false,
      },
      {
        as: 'admin',
        method: 'GET',
        url: '/v1/reports/kpis?to=9999-12-31&groupBy=month',
        schema: queryOf('/v1/reports/kpis', 'to'),
        value: '9999-12-31',
        valid: true,
      },
      { as: 'finance', method: 'GET', url: '/v1/finance/stuck?olderThan=P99Y', schema: queryOf('/v1/finance/stuck', 'olderThan'), value: 'P99Y', valid: true },
      { as: 'rep', method: 'GET', url: '/v1/journeys?cursor=!!', schema: queryOf('/v1/journeys', 'cursor'), value: '!!', valid: false },
      {
        // A key named __proto__ (JSON.parse keeps it as an own key) is judged by the schema, not refused as "not JSON".
        as: 'admin',
        method: 'POST',
        url: '/v1/process-definitions/validate',
        body: JSON.parse('{"definition":{"__proto__":null}}') as unknown,
        schema: bodyOf('/v1/process-definitions/validate'),
        value: undefined,
        valid: true,
      },
      {
        // ... but where the object is closed, it is a key the document does not allow.
        as: 'admin',
        method: 'POST',
        url: `/v1/journeys/${journeyId}/events`,
        body: JSON.parse('{"type":"WRITE_OFF","__proto__":{}}') as unknown,
        schema: bodyOf('/v1/journeys/{id}/events'),
        value: undefined,
        valid: false,
      },
    ];
    for (const c of cases) {
      expect(conforms(c.schema, c.value ?? c.body, resolve), `the document on ${c.url} ${JSON.stringify(c.body ?? c.value)}`).toBe(c.valid);
      const response = await h.call(c.as, c.method, c.url, c.body);
      if (c.valid) expect(response.statusCode, `${c.url}: ${response.body}`).toBeLessThan(300);
      else expect(response.statusCode, `${c.url}: ${response.body}`).toBe(400);
    }
  });

  it('accepts what the document calls valid and refuses what it calls invalid, on every route', async () => {
    const tried = { valid: 0, invalid: 0 };
    let checkedOperations = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const operation = operations[method];
        if (!operation) continue;
        const query = (operation.parameters ?? []).filter((p) => p.in === 'query');
        const content = operation.requestBody?.content ?? {};
        const body = content['application/json']
          ? { type: 'application/json', schema: content['application/json'].schema }
          : content['text/csv']
            ? { type: 'text/csv', schema: content['text/csv'].schema }
            : null;
        if (!body && query.length === 0) continue;
        const url = path.replace('{id}', journeyId).replace('{key}', draft.key).replace('{version}', String(draft.version)).replace('{queue}', 'invoices');

        // Someone the route lets in, so what is judged is the request's shape.
        const persona = await (async () => {
          for (const p of ['admin', 'ops', 'finance', 'manager', 'rep', 'warehouse'] as Persona[]) {
            const probe = await h.app.inject({
              method: method.toUpperCase() as 'GET',
              url,
              headers: { authorization: `Bearer ${h.tokens[p]}`, ...(body ? { 'content-type': body.type } : {}) },
              ...(body ? { payload: body.type === 'text/csv' ? '\u0000' : '{"\u0000":1}' } : {}),
            });
            if (probe.statusCode !== 403) return p;
          }
          throw new Error(`no persona may call ${method} ${path}`);
        })();

        const request = fc.record({
          body: body ? mutated(arbitraryFor(body.schema, resolve)) : fc.constant(undefined),
          query: fc.tuple(
            ...query.map((p) =>
              fc.option(
                mutated(arbitraryFor(p.schema, resolve)).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
                { nil: undefined },
              ),
            ),
          ),
        });
        await fc.assert(
          fc.asyncProperty(request, async ({ body: value, query: values }) => {
            const search = new URLSearchParams();
            const queryValues: Record<string, unknown> = {};
            query.forEach((p, i) => {
              // A URL carries UTF-8, where a lone surrogate becomes U+FFFD: judge what the server sees.
              const given = values[i];
              const raw = given === undefined ? undefined : Buffer.from(given, 'utf8').toString('utf8');
              if (raw === undefined) return;
              search.append(p.name, raw);
              queryValues[p.name] = fromQuery(p.schema, raw, resolve);
            });
            const queryValid = query.every((p) => (queryValues[p.name] === undefined ? !p.required : conforms(p.schema, queryValues[p.name], resolve)));
            const payload = !body
              ? undefined
              : body.type === 'text/csv'
                ? typeof value === 'string'
                  ? value
                  : (JSON.stringify(value) ?? '')
                : (JSON.stringify(value) ?? 'null');
            // A text body is a string whatever was generated: judge the text the server receives.
            const judged = body?.type === 'text/csv' ? payload : value;
            const bodyValid = !body || (judged !== undefined && conforms(body.schema, judged, resolve));
            const valid = queryValid && bodyValid;
            const response = await h.app.inject({
              method: method.toUpperCase() as 'GET',
              url: `${url}${search.size > 0 ? `?${search.toString()}` : ''}`,
              headers: { authorization: `Bearer ${h.tokens[persona]}`, ...(body ? { 'content-type': body.type } : {}) },
              ...(payload === undefined ? {} : { payload }),
            });
            const what = `${method.toUpperCase()} ${url}?${search.toString()} as ${persona} (${valid ? 'valid' : 'invalid'} by the document) → ${response.statusCode} ${response.body.slice(0, 400)}\n${(payload ?? '').slice(0, 600)}`;
            expect(response.statusCode, what).toBeLessThan(500);
            if (response.statusCode >= 400) expect(isErrorShape(response.json()), what).toBe(true);
            if (valid) {
              tried.valid++;
              if (response.statusCode === 400) {
                const issues = (response.json().error.details?.issues ?? []) as { path: string }[];
                const semantic =
                  issues.length > 0 &&
                  issues.every(
                    (i) => REFERENCE_PATHS.some((r) => r.test(i.path)) || (body?.type === 'text/csv' && (i.path === 'body' || i.path.startsWith('body.'))),
                  );
                expect(semantic, `refused for its shape: ${what}`).toBe(true);
              }
            } else {
              tried.invalid++;
              expect(response.statusCode, `accepted though invalid: ${what}`).toBe(400);
            }
          }),
          { numRuns: RUNS_PER_OPERATION },
        );
        checkedOperations++;
      }
    }
    expect(checkedOperations).toBeGreaterThanOrEqual(10);
    expect(tried.valid).toBeGreaterThan(100);
    expect(tried.invalid).toBeGreaterThan(50);
  }, 600_000);
});
