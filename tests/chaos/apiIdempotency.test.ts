// The API under faults: duplicate POST /v1/leads racing with one Idempotency-Key start one journey,
// and the API process SIGKILLed while a POST /v1/leads is in flight leaves the client's retry (same
// key, same body, on a new API process) with one journey too. The API runs as its own OS process
// (api/main.ts), the worker too, so either can be killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemo } from '../../db/seed/demo';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { connectClient, uniqueTaskQueue } from '../helpers/temporal';
import { killHard, spawnWorkerProcess } from '../helpers/worker';

interface LeadAnswer {
  journeyId?: string;
  error?: { code?: string };
}

interface Api {
  child: ChildProcess;
  base: string;
}

const token = randomBytes(24).toString('hex');
const taskQueue = uniqueTaskQueue('chaos-api');
let t: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectClient>>;
let worker: ChildProcess | undefined;
let api: Api | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** api/main.ts as a child process, resolved once /readyz answers 200. */
async function startApi(): Promise<Api> {
  const stack = inject('stack');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../api/main.ts', import.meta.url))], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: stack.temporalNamespace,
      PORT: String(port),
      L2C_TASK_QUEUE: taskQueue,
      L2C_BOOTSTRAP_TOKEN: token,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode} before it was ready:\n${stderr}`);
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { child, base };
    if (Date.now() > deadline) {
      await killHard(child);
      throw new Error(`the API was not ready in 60 s:\n${stderr}`);
    }
    await sleep(200);
  }
}

function postLead(base: string, key: string, lead: Record<string, unknown>): Promise<Response> {
  return fetch(`${base}/v1/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(lead),
  });
}

function newLead(): { lead: Record<string, unknown>; email: string } {
  const tag = randomBytes(6).toString('hex');
  const email = `chaos.api.${tag}@co-${tag}.example`;
  return {
    email,
    lead: { source: 'web_form', name: `Chaos Api ${tag}`, email, company: `Chaos ${tag} GmbH`, companySize: 1500, country: 'DE', productInterest: 'cameras' },
  };
}

/** Journey workflows on this suite's task queue started since `since` (the dev server's visibility). */
async function workflowsSince(since: Date): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of temporal.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND StartTime >= '${since.toISOString()}'` }))
    ids.push(w.workflowId);
  return ids.sort();
}

/** Waits until at least one row or workflow shows up, then lets stragglers arrive before counting. */
async function settledCount<T>(read: () => Promise<T[]>): Promise<T[]> {
  const deadline = Date.now() + 20_000;
  while ((await read()).length === 0 && Date.now() < deadline) await sleep(200);
  await sleep(1_500);
  return read();
}

async function journeysFor(email: string): Promise<string[]> {
  return (await t.db('journeys').where({ lead_email: email }).pluck('id')) as string[];
}

async function leadsFor(email: string): Promise<string[]> {
  return (await t.db('leads').whereRaw('lower(email) = ?', [email.toLowerCase()]).pluck('id')) as string[];
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  temporal = await connectClient();
  [worker, api] = await Promise.all([spawnWorkerProcess(t.url, taskQueue), startApi()]);
});

afterAll(async () => {
  if (api) await killHard(api.child);
  if (worker) await killHard(worker);
  await temporal?.close();
  await t?.drop();
});

describe('chaos: the API and Idempotency-Key', () => {
  it('starts one journey for concurrent duplicate POST /v1/leads with one key', { timeout: 40_000 }, async () => {
    const since = new Date(Date.now() - 1_000);
    const { lead, email } = newLead();
    const key = `dup-${randomBytes(8).toString('hex')}`;
    const responses = await Promise.all(Array.from({ length: 8 }, () => postLead(api!.base, key, lead)));
    const bodies = await Promise.all(responses.map(async (r) => ({ status: r.status, body: (await r.json()) as LeadAnswer })));

    // 201 once capture settled, 202 while it runs: every duplicate gets the first answer.
    expect([201, 202]).toContain(bodies[0]?.status);
    expect(bodies.map((b) => b.status)).toEqual(bodies.map(() => bodies[0]?.status));
    const journeyIds = new Set(bodies.map((b) => b.body.journeyId));
    expect(journeyIds.size).toBe(1);
    const [journeyId] = [...journeyIds];
    expect(await settledCount(() => journeysFor(email))).toEqual([journeyId]);
    expect(await leadsFor(email)).toHaveLength(1);
    expect(await settledCount(() => workflowsSince(since))).toEqual([`journey-${journeyId}`]);
  });

  it('gives the retry after a SIGKILLed API one journey', { timeout: 85_000 }, async () => {
    const since = new Date(Date.now() - 1_000);
    const { lead, email } = newLead();
    const key = `kill-${randomBytes(8).toString('hex')}`;

    // Without a worker the request waits (up to ~1.5 s) for capture after starting the workflow: the
    // key is taken, but no answer is stored. That is the moment the API dies.
    await killHard(worker!);
    const inFlight = postLead(api!.base, key, lead).then(
      (r) => r.status,
      (error: Error) => error,
    );
    const deadline = Date.now() + 15_000;
    while ((await t.db('api_idempotency_keys').where({ key }).whereNull('response_status').first()) === undefined) {
      if (Date.now() > deadline) throw new Error('the first POST /v1/leads did not take its key in 15 s');
      await sleep(20);
    }
    await sleep(300); // the start has been sent; the answer is still ~1 s away
    await killHard(api!.child);
    expect(await inFlight).toBeInstanceOf(Error);

    [worker, api] = await Promise.all([spawnWorkerProcess(t.url, taskQueue), startApi()]);
    // The client retries with the same key and body until it gets an answer that is not "in use".
    let answer: { status: number; body: LeadAnswer } | undefined;
    const retryUntil = Date.now() + 75_000;
    while (Date.now() < retryUntil) {
      const response = await postLead(api.base, key, lead);
      answer = { status: response.status, body: (await response.json()) as LeadAnswer };
      if (!(response.status === 409 && answer.body.error?.code === 'idempotency_key_in_use')) break;
      await sleep(500);
    }

    expect([201, 202]).toContain(answer?.status);
    const journeyId = answer?.body.journeyId;
    expect(await settledCount(() => journeysFor(email))).toEqual([journeyId]);
    expect(await leadsFor(email)).toHaveLength(1);
    expect(await settledCount(() => workflowsSince(since))).toEqual([`journey-${journeyId}`]);
  });
});
