// The API under test: a fresh migrated and seeded database, a Temporal client on the run's dev
// server, optionally a journey worker on a private task queue, and a bearer token per persona.
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { createMailer, type Mailer } from '../../activities/mail/mailer';
import { buildApp, type AppOptions } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { createUser, newToken, setUserToken } from '../../db/queries/users';
import { seedDemo } from '../../db/seed/demo';
import { createJourneyWorker } from '../../worker/createWorker';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { connectClient, installQuietRuntime, uniqueTaskQueue } from '../helpers/temporal';

/** Who calls: demo users (reps report to usr-manager) plus an admin, a viewer and an outside manager. */
export const personas = {
  admin: { id: 'usr-admin', roles: ['admin'] },
  ops: { id: 'usr-ops', roles: ['ops'] },
  manager: { id: 'usr-manager', roles: ['sales_manager'] },
  otherManager: { id: 'usr-manager-2', roles: ['sales_manager'] },
  rep: { id: 'usr-dach-1', roles: ['sales_rep'] },
  otherRep: { id: 'usr-west-1', roles: ['sales_rep'] },
  warehouse: { id: 'usr-warehouse', roles: ['warehouse'] },
  finance: { id: 'usr-finance', roles: ['finance'] },
  viewer: { id: 'usr-viewer', roles: ['viewer'] },
} as const;
export type Persona = keyof typeof personas;

export interface Harness {
  app: FastifyInstance;
  deps: ApiDeps;
  database: TestDatabase;
  tokens: Record<Persona, string>;
  /** app.inject as a persona (or anonymous with null). */
  call(
    as: Persona | null,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface HarnessOptions extends AppOptions {
  worker?: boolean;
  now?: () => Date;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  installQuietRuntime();
  const database = await createTestDatabase();
  const { db } = database;
  await seedDemo(db);
  await createUser(db, { id: 'usr-viewer', name: 'Vera Viewer', email: 'viewer@lead-to-cash.local', roles: ['viewer'] });
  await createUser(db, { id: 'usr-manager-2', name: 'Mona Other', email: 'mona.other@lead-to-cash.local', roles: ['sales_manager'] });
  const tokens = {} as Record<Persona, string>;
  for (const [persona, user] of Object.entries(personas) as [Persona, (typeof personas)[Persona]][]) {
    tokens[persona] = newToken();
    if (persona !== 'admin') await setUserToken(db, user.id, tokens[persona]);
  }

  const temporal = await connectClient();
  const taskQueue = uniqueTaskQueue('api');
  let stopWorker = async () => {};
  let mailer: Mailer | undefined;
  if (options.worker) {
    const connection = await NativeConnection.connect({ address: inject('stack').temporalAddress });
    mailer = createMailer(inject('stack').smtpUrl);
    const worker: Worker = await createJourneyWorker({ connection, namespace: inject('stack').temporalNamespace, db, mailer, taskQueue });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await connection.close();
    };
  }

  const deps: ApiDeps = {
    db,
    temporal: temporal.client,
    taskQueue,
    temporalUiUrl: inject('stack').temporalUiUrl ?? null,
    mailboxUrl: inject('stack').mailboxUrl ?? null,
    bootstrapToken: tokens.admin,
    ...(options.now ? { now: options.now } : {}),
  };
  const app = await buildApp(deps, { rateLimit: { max: 100_000, windowMs: 60_000 }, ...options });

  return {
    app,
    deps,
    database,
    tokens,
    call: (as, method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}), ...headers },
        ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
      }),
    close: async () => {
      await app.close();
      await stopWorker();
      mailer?.close();
      await temporal.close();
      await database.drop();
    },
  };
}

/** A lead no other test uses; large German companies go to usr-dach-1 (rule-dach-enterprise). */
let counter = 0;
export function newLead(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const tag = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    source: 'web_form',
    name: `Ada Lovelace ${tag}`,
    email: `ada.${tag}@co-${tag}.example`,
    company: `Company ${tag}`,
    companySize: 1500,
    country: 'DE',
    productInterest: 'cameras',
    message: 'We need cameras for three warehouses.',
    ...overrides,
  };
}

/**
 * Captures a lead and answers with where its journey settled after capture: at once on 201, by
 * polling the 360 view on 202 (capture still running when the answer was due).
 */
export async function capturedLead(
  h: Harness,
  as: Persona,
  lead: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const response = await h.call(as, 'POST', '/v1/leads', lead, headers);
  if (response.statusCode !== 202) return { statusCode: response.statusCode, body: response.json() };
  const { journeyId } = response.json<{ journeyId: string }>();
  const detail = await settledIn(h, journeyId, ['lead', 'qualification', 'opportunity', 'nurture', 'disqualified']);
  const captured = detail.lead as { id: string; duplicateOf: string | null };
  return {
    statusCode: 201,
    body: {
      journeyId,
      leadId: captured.id,
      stage: detail.stage,
      status: detail.status,
      ...(captured.duplicateOf ? { duplicateOf: captured.duplicateOf } : {}),
    },
  };
}

/** Polls the 360 view (as admin) until the journey rests (not `running`) in one of the stages. */
export async function settledIn(h: Harness, journeyId: string, stages: string[], timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await h.call('admin', 'GET', `/v1/journeys/${journeyId}`);
    const detail = response.statusCode === 200 ? response.json<Record<string, unknown>>() : null;
    if (detail && stages.includes(String(detail.stage)) && detail.status !== 'running') return detail;
    if (Date.now() > deadline) throw new Error(`journey ${journeyId} is not resting in ${stages.join('|')}: ${response.body.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Captures a lead through the API and brings its journey to `opportunity` (qualified by `owner`). */
export async function journeyAtOpportunity(h: Harness, lead: Record<string, unknown> = newLead(), owner: Persona = 'rep'): Promise<string> {
  const created = await h.call('rep', 'POST', '/v1/leads', lead);
  if (created.statusCode !== 201 && created.statusCode !== 202) throw new Error(`lead capture answered ${created.statusCode}: ${created.body}`);
  const journeyId = created.json<{ journeyId: string }>().journeyId;
  const detail = await settledIn(h, journeyId, ['qualification', 'opportunity']);
  if (detail.stage === 'qualification') {
    const confirmed = await h.call(owner, 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'qualification', decision: 'approve' });
    if (confirmed.statusCode !== 200 && confirmed.statusCode !== 202) throw new Error(`qualifying answered ${confirmed.statusCode}: ${confirmed.body}`);
  }
  await settledIn(h, journeyId, ['opportunity']);
  return journeyId;
}

/** Retries an assertion until it passes (the projection follows the live state by an activity). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
