// Property-based fuzz from the route schemas: requests generated from the OpenAPI document (the
// zod schemas' JSON Schema), mostly well-formed and partly broken, sent by every persona and by
// nobody, against a real worker. Whatever a client sends, the answer is never a 5xx, and what the
// API accepted never parks a journey on an error of ours (a database or mail error): only on the
// typed refusals of the business rules.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJourney } from './fixtures';
import { capturedLead, createHarness, eventually, newLead, personas, type Harness, type Persona } from './harness';
import { arbitraryFor, mutated, type JsonSchema } from './schemaArbitrary';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  parameters: Parameter[];
  body: { type: 'json' | 'csv'; schema: JsonSchema } | null;
}

interface FuzzRequest {
  operation: Operation;
  persona: Persona | null;
  url: string;
  payload: string | undefined;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
}

const RUNS = 2_200;

/** Why an activity may refuse client input for good (activities/support/failures.ts); anything else is our bug. */
const BUSINESS_REFUSALS = new Set([
  'InvalidInput',
  'NotFound',
  'UnknownSku',
  'PriceNotFound',
  'TaxRateNotFound',
  'CurrencyMismatch',
  'QuoteExpired',
  'QuoteSuperseded',
  'InvoiceAlreadyPaid',
  'StepConflict',
]);

describe('fuzzing every route from its schema', () => {
  let h: Harness;
  let operations: Operation[] = [];
  const knownIds: string[] = [];
  beforeAll(async () => {
    h = await createHarness({ worker: true });
    const doc = (await h.call(null, 'GET', '/v1/openapi.json')).json<{
      paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
    }>();
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const content = op.requestBody?.content ?? {};
        const json = content['application/json'];
        const csv = content['text/csv'];
        return {
          method: method.toUpperCase() as Operation['method'],
          path,
          parameters: op.parameters ?? [],
          body: json ? { type: 'json' as const, schema: json.schema } : csv ? { type: 'csv' as const, schema: csv.schema } : null,
        };
      }),
    );
    // Real journeys (started through the API) and a projection-only one, so ids sometimes exist.
    for (let i = 0; i < 2; i++) {
      const created = await capturedLead(h, 'rep', newLead());
      expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
      knownIds.push(String(created.body.journeyId));
    }
    knownIds.push(await insertJourney(h.deps.db, { ownerId: 'usr-dach-1' }));
  });
  afterAll(async () => {
    await h.close();
  });

  function requestFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
    const resolve = () => ({});
    const pathParams = operation.parameters.filter((p) => p.in === 'path');
    const queryParams = operation.parameters.filter((p) => p.in === 'query');
    const idLike = fc.oneof(
      fc.constantFrom(...knownIds, 'lead-to-cash', '1', '2'),
      ...pathParams.map((p) => arbitraryFor(p.schema, resolve).map(String)),
      fc.string({ maxLength: 20 }),
    );
    const path = fc
      .tuple(...pathParams.map(() => idLike))
      .map((values) => pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, encodeURIComponent(String(values[i] ?? ''))), operation.path));
    const query = fc
      .tuple(
        ...queryParams.map((p) => fc.option(mutated(arbitraryFor(p.schema, resolve)), { nil: undefined })),
        fc.option(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { nil: undefined, freq: 8 }),
      )
      .map((values) => {
        const search = new URLSearchParams();
        queryParams.forEach((p, i) => {
          const value = values[i];
          if (value !== undefined) search.append(p.name, typeof value === 'string' ? value : JSON.stringify(value));
        });
        const extra = values[queryParams.length] as [string, string] | undefined;
        if (extra) search.append(extra[0], extra[1]);
        const text = search.toString();
        return text ? `?${text}` : '';
      });
    const body: fc.Arbitrary<{ payload: string | undefined; contentType: string | undefined }> = !operation.body
      ? fc.constant({ payload: undefined, contentType: undefined })
      : operation.body.type === 'csv'
        ? fc
            .array(
              fc.array(
                fc.oneof(
                  fc.string({ maxLength: 12 }),
                  fc.emailAddress(),
                  fc.constantFrom('name', 'email', 'company', 'country', 'DE', 'web_form', '"q""uote"'),
                ),
                { minLength: 1, maxLength: 5 },
              ),
              { minLength: 0, maxLength: 5 },
            )
            .map((rows) => ({ payload: rows.map((r) => r.join(',')).join('\n'), contentType: 'text/csv' }))
        : fc.oneof(
            {
              weight: 9,
              arbitrary: mutated(arbitraryFor(operation.body.schema, resolve)).map((v) => ({
                payload: JSON.stringify(v) ?? 'null',
                contentType: 'application/json',
              })),
            },
            { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => ({ payload: s, contentType: 'application/json' })) },
          );
    const persona = fc.option(fc.constantFrom(...(Object.keys(personas) as Persona[])), { nil: null, freq: 8 });
    return fc
      .record({ path, query, body, persona, key: fc.option(fc.constantFrom('k1', 'k2', 'bad key', 'x'.repeat(300)), { nil: undefined, freq: 4 }) })
      .map((r) => ({
        operation,
        persona: r.persona,
        url: `${r.path}${r.query}`,
        payload: r.body.payload,
        contentType: r.body.contentType,
        idempotencyKey: r.key,
      }));
  }

  it(`answers ${RUNS}+ generated requests across all routes without a 5xx`, async () => {
    expect(operations.length).toBeGreaterThanOrEqual(18);
    const hits = new Map<string, number>();
    const statuses = new Map<number, number>();
    const arbitrary = fc.oneof(...operations.map(requestFor));
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        const response = await h.app.inject({
          method: request.operation.method,
          url: request.url,
          headers: {
            ...(request.persona ? { authorization: `Bearer ${h.tokens[request.persona]}` } : {}),
            ...(request.contentType ? { 'content-type': request.contentType } : {}),
            ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
          },
          ...(request.payload === undefined ? {} : { payload: request.payload }),
        });
        const key = `${request.operation.method} ${request.operation.path}`;
        hits.set(key, (hits.get(key) ?? 0) + 1);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        if (response.statusCode >= 500)
          throw new Error(
            `${request.operation.method} ${request.url} as ${request.persona} → ${response.statusCode} ${response.body}\n${request.payload ?? ''}`,
          );
        // Every refusal has the error shape.
        if (response.statusCode >= 400) expect(response.json().error.code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: RUNS },
    );
    const total = [...hits.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(2_000);
    // Every route was exercised, and requests got through validation as well as being refused.
    for (const op of operations) expect(hits.get(`${op.method} ${op.path}`) ?? 0, `${op.method} ${op.path}`).toBeGreaterThanOrEqual(20);
    for (const status of [200, 400, 401, 403, 404]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);

    // Every journey the fuzz started rests (or has parked) before its audit trail is read.
    const db = h.deps.db;
    const started = Number(((await db('journeys').count('* as n')) as { n: string }[])[0]?.n ?? 0);
    expect(started).toBeGreaterThan(knownIds.length);
    await eventually(async () => expect((await db('journeys').where({ status: 'running' }).pluck('id')) as string[]).toEqual([]), 120_000);
    const parked = (await db('journey_audit').where({ type: 'parked' }).select('journey_id', 'detail')) as {
      journey_id: string;
      detail: { activity?: string; error?: { type?: string; message?: string } };
    }[];
    const ours = parked.filter((p) => !BUSINESS_REFUSALS.has(p.detail.error?.type ?? ''));
    expect(ours.map((p) => `${p.journey_id} ${p.detail.activity}: ${p.detail.error?.type} ${p.detail.error?.message}`)).toEqual([]);
  }, 900_000);
});
