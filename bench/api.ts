// `npm run bench -- api`: latency of POST /v1/journeys/{id}/events over a real port against a direct
// Temporal client executeUpdate, on the same kind of journeys, in the same run. Each sample sends
// CANCEL (as ops) to a journey waiting at its first checkpoint, so both sides do the
// same work; the sides alternate so drift in the server hits both alike. The worker runs in its
// own process, as in production, so it does not share the API's event loop.
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../api/app';
import { currentDefinition } from '../api/definitions';
import { startJourney } from '../api/journeyClient';
import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { newToken, setUserToken } from '../db/queries/users';
import { defaultProcess } from '../machines/index';
import { seedDemo } from '../db/seed/demo';
import { transitionUpdate } from '../workflows/messages';
import type { BenchOptions } from './run';
import { forkWorker } from './workerProcess';
import { percentile, report } from './report';

const ops = { id: 'usr-ops', roles: ['ops'] };

export async function run(options: BenchOptions): Promise<void> {
  const { stack } = options;
  const samples = options.quick ? 40 : 200;
  const dbName = `bench_api_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = createDb(stack.databaseUrl, { max: 1 });
  await admin.raw(`create database ${dbName}`);
  const url = new URL(stack.databaseUrl);
  url.pathname = `/${dbName}`;
  const db = createDb(url.toString(), { max: 20 });
  await migrateLatest(db);
  await seedDemo(db);
  const token = newToken();
  await setUserToken(db, ops.id, token);

  const taskQueue = `bench-api-${randomUUID().slice(0, 8)}`;
  const worker = await forkWorker('./apiWorker.ts', {
    DATABASE_URL: url.toString(),
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.temporalNamespace,
    SMTP_URL: stack.smtpUrl,
    L2C_TASK_QUEUE: taskQueue,
  });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const temporal = new Client({ connection, namespace: stack.temporalNamespace });
  const deps = { db, temporal, taskQueue, temporalUiUrl: null, mailboxUrl: null };
  const app = await buildApp(deps, { rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  try {
    process.stderr.write(`starting ${2 * samples + 10} journeys…\n`);
    const definition = (await currentDefinition(db, defaultProcess.key)) ?? defaultProcess;
    const journeys: string[] = [];
    const total = 2 * samples + 10;
    for (let i = 0; i < total; i += 20) {
      const batch = Array.from({ length: Math.min(20, total - i) }, (_, k) => {
        const tag = `${i + k}-${randomUUID().slice(0, 8)}`;
        const journeyId = `bench-${tag}`;
        const lead = {
          source: 'api' as const,
          name: `Bench ${tag}`,
          email: `bench.${tag}@bench-${tag}.example`,
          company: `Bench ${tag}`,
          companySize: 1500,
          country: 'DE',
        };
        return startJourney(deps, { journeyId, definition, lead }, ops.roles).then(() => journeys.push(journeyId));
      });
      await Promise.all(batch);
    }
    // The API finds journeys in the projection, which the workflow writes right after settling.
    await waitFor(async () => Number((await db('journeys').whereIn('id', journeys).count('* as n'))[0]?.n ?? 0) >= journeys.length, 30_000);

    const viaApi = async (journeyId: string) => {
      const response = await fetch(`${base}/v1/journeys/${journeyId}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'CANCEL' }),
      });
      if (response.status !== 200) throw new Error(`API answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    };
    const direct = async (journeyId: string) => {
      await temporal.workflow.getHandle(`journey-${journeyId}`).executeUpdate(transitionUpdate, { args: [{ type: 'CANCEL', actor: ops }] });
    };

    const api: number[] = [];
    const baseline: number[] = [];
    const warmup = journeys.splice(0, 10);
    for (const [i, id] of warmup.entries()) await (i % 2 === 0 ? viaApi(id) : direct(id));
    for (let i = 0; i < samples; i++) {
      const [a, b] = [journeys[2 * i] as string, journeys[2 * i + 1] as string];
      const order =
        i % 2 === 0
          ? ([
              ['api', a],
              ['direct', b],
            ] as const)
          : ([
              ['direct', b],
              ['api', a],
            ] as const);
      for (const [side, id] of order) {
        const started = performance.now();
        await (side === 'api' ? viaApi(id) : direct(id));
        (side === 'api' ? api : baseline).push(performance.now() - started);
      }
    }
    for (const p of [50, 99]) {
      const value = percentile(api, p);
      const base = percentile(baseline, p);
      report({ bench: 'api', metric: `event latency p${p}`, value, unit: 'ms', baseline: base, ratio: value / base });
    }
    report({ bench: 'api', metric: 'events sent per side', value: samples, unit: 'requests' });
  } finally {
    await app.close();
    worker.kill('SIGTERM');
    if (worker.exitCode === null) await once(worker, 'exit');
    await connection.close();
    await db.destroy();
    await admin.raw(`drop database if exists ${dbName} with (force)`);
    await admin.destroy();
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the journeys did not reach the projection in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
