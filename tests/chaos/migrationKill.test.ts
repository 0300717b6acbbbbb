// A migration's apply runs as a workflow of its own: the worker process is SIGKILLed in the middle
// of a batch, a new worker finishes the apply, and every journey moved exactly once.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess, type ProcessDefinition } from '../../machines/index';
import { createHarness, journeyAtOpportunity, type Harness } from '../api/harness';
import { killHard, spawnWorkerProcess } from '../helpers/worker';

const JOURNEYS = 30;

let h: Harness;
let worker: ChildProcess | undefined;
const startWorker = async () => {
  worker = await spawnWorkerProcess(h.database.url, h.deps.taskQueue);
};

beforeAll(async () => {
  h = await createHarness();
  await startWorker();
});

afterAll(async () => {
  if (worker) await killHard(worker);
  await h?.close();
});

interface View {
  status: string;
  items: { journeyId: string; verdict: string; result: string | null }[];
}

describe('a migration whose worker is killed mid-batch', () => {
  it('is finished by a new worker, each journey moved once', { timeout: 300_000 }, async () => {
    const journeyIds: string[] = [];
    for (let i = 0; i < JOURNEYS; i += 6) journeyIds.push(...(await Promise.all(Array.from({ length: 6 }, () => journeyAtOpportunity(h)))));

    const draft = structuredClone(defaultProcess) as ProcessDefinition;
    draft.stages.opportunity!.description = 'Understand the need and propose (version 2).';
    const created = await h.call('ops', 'POST', '/v1/process-definitions', { definition: draft });
    expect(created.statusCode, created.body).toBe(201);
    const v2 = created.json<{ version: number }>().version;
    expect((await h.call('ops', 'POST', `/v1/process-definitions/${defaultProcess.key}/versions/${v2}/publish`)).statusCode).toBe(200);

    const plan = await h.call('ops', 'POST', '/v1/migrations', { key: defaultProcess.key, fromVersion: 1, toVersion: v2, filter: { journeyIds } });
    expect(plan.statusCode, plan.body).toBe(201);
    const { id } = plan.json<{ id: string }>();
    const judged = await h.call('ops', 'POST', `/v1/migrations/${id}/dry-run`);
    expect(judged.statusCode, judged.body).toBe(200);
    expect(judged.json<View>().items.map((i) => i.verdict)).toEqual(journeyIds.map(() => 'ready'));

    const read = async () => (await h.call('ops', 'GET', `/v1/migrations/${id}`)).json<View>();
    expect((await h.call('ops', 'POST', `/v1/migrations/${id}/apply`)).statusCode).toBe(202);
    // Killed as soon as the first results land: the rest of the batch, and the batches after it, are left.
    let resultsAtKill = 0;
    for (;;) {
      const moved = (await h.deps.db('process_migration_items').where({ migration_id: id }).whereNotNull('result').count('* as n').first()) as {
        n: string;
      };
      resultsAtKill = Number(moved.n);
      if (resultsAtKill > 0) break;
      await sleep(20);
    }
    await killHard(worker!);
    worker = undefined;
    expect(resultsAtKill).toBeLessThan(JOURNEYS);
    await sleep(1_000);
    expect((await read()).status).toBe('running');
    await startWorker();

    const deadline = Date.now() + 180_000;
    let view = await read();
    while (view.status !== 'done' && Date.now() < deadline) {
      await sleep(250);
      view = await read();
    }
    expect(view.status).toBe('done');
    expect(view.items.map((i) => i.result)).toEqual(journeyIds.map(() => 'migrated'));
    const entries = (await h.deps.db('journey_audit').whereIn('journey_id', journeyIds).where({ type: 'migrated' }).select('journey_id')) as {
      journey_id: string;
    }[];
    expect(entries.map((e) => e.journey_id).sort()).toEqual([...journeyIds].sort());
    const versions = await h.deps.db('journeys').whereIn('id', journeyIds).distinct('definition_version');
    expect(versions).toEqual([{ definition_version: v2 }]);
    const journey = await h.call('admin', 'GET', `/v1/journeys/${journeyIds[0]}`);
    expect(journey.json<{ definition: { version: number }; stage: string }>()).toMatchObject({ definition: { version: v2 }, stage: 'opportunity' });
  });
});
