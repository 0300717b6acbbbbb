// Replays stored journey histories against today's workflow code: a change that alters the
// commands a journey issues must go behind patched(), or this fails.
import { Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { storedHistories } from '../helpers/histories';
import { installQuietRuntime } from '../helpers/temporal';

const fixtures = storedHistories();
const histories = () => storedHistories();

describe('replaying stored journey histories', () => {
  beforeAll(() => installQuietRuntime());

  it('has histories to replay', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4);
  });

  it('replays every history with the current workflow code', async () => {
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('bundlePath') } }, histories())) results.push(result);
    expect(results).toHaveLength(fixtures.length);
    expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`)).toEqual([]);
  });

  it('fails with a determinism error when the workflow changes incompatibly', async () => {
    const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/changedJourney.ts', import.meta.url));
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath }, histories())) results.push(result);
    expect(results).toHaveLength(fixtures.length);
    for (const r of results) expect(r.error?.name).toBe('DeterminismViolationError');
  });
});
