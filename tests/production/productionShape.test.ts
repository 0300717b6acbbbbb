// The production shape, here: the real Temporal server on PostgreSQL (L2C_TEMPORAL=server, 4
// history shards), two worker processes and two API processes. Journeys are walked to cash over
// HTTP through both APIs, as a client that retries with the same Idempotency-Key would, while
// workers are SIGKILLed and Temporal and PostgreSQL restart; then the chaos invariants hold (every
// journey closed, one invoice each, gap-free numbers, each email and payment once). Keys and
// limits are shared by the two API processes, not kept per process.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { seedDemo } from '../../db/seed/demo';
import { readSettings } from '../../config/settings';
import { startStack, type Stack } from '../../scripts/stack/index';
import { expectMoneyInvariants } from '../chaos/invariants';
import { killHard, startApiProcess, startWorkerProcess, type ApiProcess, type ProcessTarget } from '../helpers/processes';
import type { ChildProcess } from 'node:child_process';

const JOURNEYS = 8;
const token = randomBytes(24).toString('hex');
const dataDir = mkdtempSync(join(tmpdir(), 'l2c-production-'));
chmodSync(dataDir, 0o755);

let stack: Stack;
let db: Db;
let target: ProcessTarget;
const workers: ChildProcess[] = [];
const apis: ApiProcess[] = [];

beforeAll(async () => {
  const own = { ...readSettings(), L2C_TEMPORAL: 'server' as const, DATABASE_URL: undefined, TEMPORAL_ADDRESS: undefined, SMTP_URL: undefined };
  stack = await startStack(own, { dataDir, persistent: true, ui: false, say: (line) => process.stderr.write(`[production] ${line}\n`) });
  db = createDb(stack.databaseUrl);
  await migrateLatest(db);
  await seedDemo(db);
  await db('stock').update({ on_hand: 1_000_000 });
  target = { stack, taskQueue: 'production-shape', bundlePath: inject('bundlePath') };
  const started = await Promise.all([
    startWorkerProcess(target),
    startWorkerProcess(target),
    startApiProcess(target, { L2C_BOOTSTRAP_TOKEN: token }),
    startApiProcess(target, { L2C_BOOTSTRAP_TOKEN: token }),
  ]);
  workers.push(started[0], started[1]);
  apis.push(started[2], started[3]);
}, 900_000);

afterAll(async () => {
  await Promise.all([...workers, ...apis.map((a) => a.child)].map((child) => killHard(child)));
  await db?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

let turn = 0;

/**
 * One request as a careful client sends it: to either API process in turn, and when the answer
 * is lost (a dead connection) or says to try again (503, a key still in use), the same request
 * again with the same Idempotency-Key, until it is answered.
 */
async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const key = method === 'POST' ? `prod-${randomBytes(12).toString('hex')}` : undefined;
  const deadline = Date.now() + 180_000;
  for (;;) {
    const api = apis[turn++ % apis.length]!;
    const answer = await fetch(`${api.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(key ? { 'idempotency-key': key } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(
      async (r) => ({ status: r.status, body: (await r.json().catch(() => ({}))) as Record<string, unknown> }),
      () => null,
    );
    const again =
      answer === null ||
      answer.status >= 500 ||
      (answer.status === 409 && (answer.body.error as { code?: string } | undefined)?.code === 'idempotency_key_in_use');
    if (!again) return answer;
    if (Date.now() > deadline) throw new Error(`${method} ${path} was not answered in 180 s: ${JSON.stringify(answer)}`);
    await sleep(500);
  }
}

interface JourneyView {
  stage: string;
  status: string;
  allowedEvents: string[];
  pendingCheckpoint: { stage: string } | null;
  documents: { invoices: { amountDue: { amount: string; currency: string } }[] };
}

async function view(journeyId: string): Promise<JourneyView> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const answer = await call('GET', `/v1/journeys/${journeyId}`);
    const journey = answer.body as unknown as JourneyView;
    if (answer.status === 200 && journey.status !== 'running') return journey;
    if (Date.now() > deadline) throw new Error(`journey ${journeyId} did not settle: ${JSON.stringify(answer)}`);
    await sleep(300);
  }
}

/** The next step of the default process for a journey that is not busy, or null to wait. */
function nextStep(journeyId: string, j: JourneyView): { path: string; body: unknown } | null {
  const event = (type: string, data?: unknown) => ({
    path: `/v1/journeys/${journeyId}/events`,
    body: { type, expectedStage: j.stage, ...(data === undefined ? {} : { data }) },
  });
  if (j.status === 'parked') return event('RETRY');
  if (j.stage === 'opportunity') return event('PROPOSE', { lines: [{ sku: 'HUB-1', quantity: 2 }] });
  if (j.allowedEvents.includes('PICKED')) return event('PICKED');
  if (j.allowedEvents.includes('PACKED')) return event('PACKED');
  if (j.allowedEvents.includes('SHIPPED')) return event('SHIPPED', { carrier: 'DHL', trackingNumber: `T-${journeyId}` });
  if (j.stage === 'awaiting_payment' || j.stage === 'collections') {
    const due = j.documents.invoices.at(-1)?.amountDue;
    return due ? event('PAYMENT_RECEIVED', { ...due, reference: `PAY-${journeyId}` }) : null;
  }
  if (j.pendingCheckpoint) return { path: `/v1/journeys/${journeyId}/confirmations`, body: { stage: j.pendingCheckpoint.stage, decision: 'approve' } };
  if (j.stage === 'quote_sent') return event('ACCEPT');
  return null;
}

/** Walks one journey to a final stage over HTTP; a refusal because it moved on meanwhile is fine. */
async function walkToCash(journeyId: string): Promise<string> {
  for (let i = 0; i < 80; i++) {
    const j = await view(journeyId);
    if (['closed', 'disqualified', 'lost', 'cancelled', 'written_off'].includes(j.stage)) return j.stage;
    const step = nextStep(journeyId, j);
    if (!step) {
      await sleep(300);
      continue;
    }
    const answer = await call('POST', step.path, step.body);
    if (answer.status >= 400 && answer.status !== 409)
      throw new Error(`${step.path} ${JSON.stringify(step.body)} → ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  throw new Error(`journey ${journeyId} did not reach a final stage in 80 steps`);
}

async function replaceWorker(index: number): Promise<void> {
  await killHard(workers[index]!);
  workers[index] = await startWorkerProcess(target);
}

describe('the production shape: Temporal server on PostgreSQL, two workers, two APIs', () => {
  it(
    `walks ${JOURNEYS} journeys to cash through both APIs across worker kills, a Temporal restart and a PostgreSQL restart`,
    { timeout: 900_000 },
    async () => {
      const leads = Array.from({ length: JOURNEYS }, () => {
        const tag = randomBytes(5).toString('hex');
        return {
          source: 'web_form',
          name: `Prod ${tag}`,
          email: `prod.${tag}@co-${tag}.example`,
          company: `Prod ${tag} AG`,
          companySize: 800,
          country: 'DE',
          productInterest: 'cameras',
        };
      });
      const created = await Promise.all(leads.map((lead) => call('POST', '/v1/leads', lead)));
      for (const answer of created) expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      const journeyIds = created.map((answer) => String(answer.body.journeyId));

      const walks = Promise.all(journeyIds.map((id) => walkToCash(id)));
      await sleep(3_000);
      await replaceWorker(0);
      await sleep(2_000);
      await stack.restartTemporal();
      await sleep(3_000);
      await replaceWorker(1);
      await sleep(2_000);
      await stack.restartPostgres();
      const finals = await walks;

      expect(finals).toEqual(journeyIds.map(() => 'closed'));
      await expectMoneyInvariants(
        db,
        journeyIds.map((journeyId, i) => ({ journeyId, email: leads[i]!.email })),
        stack.mailboxUrl,
      );
    },
  );

  it('keeps one Idempotency-Key across both API processes: one journey for racing duplicates', { timeout: 120_000 }, async () => {
    const tag = randomBytes(5).toString('hex');
    const lead = { source: 'web_form', name: `Twice ${tag}`, email: `twice.${tag}@co-${tag}.example`, company: `Twice ${tag}`, companySize: 50, country: 'DE' };
    const key = `both-${tag}`;
    const answers = await Promise.all(
      apis.flatMap((api) =>
        [1, 2].map(() =>
          fetch(`${api.base}/v1/leads`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(lead),
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as { journeyId?: string } })),
        ),
      ),
    );
    // 201 once capture settled, 202 while it runs; the same journey either way.
    for (const answer of answers) expect([201, 202]).toContain(answer.status);
    const journeyIds = new Set(answers.map((a) => a.body.journeyId));
    expect(journeyIds.size).toBe(1);
    await walkToCash(String([...journeyIds][0]));
    expect(await db('journeys').where({ lead_email: lead.email }).pluck('id')).toEqual([...journeyIds]);
    expect(await db('leads').where({ email: lead.email }).pluck('journey_id')).toEqual([...journeyIds]);
  });
});
