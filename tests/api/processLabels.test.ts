// The names people read for stages and events come from the current definitions' labels: the
// built-in process's at first, a published version's after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess, type ProcessDefinition } from '../../machines/index';
import { createHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

interface Labels {
  stages: Record<string, string>;
  events: Record<string, string>;
}

describe('process labels', () => {
  it("names the built-in process's stages and events, then a published version's, for every role", async () => {
    const before = await h.call('rep', 'GET', '/v1/process-labels');
    expect(before.statusCode).toBe(200);
    const labels = before.json<Labels>();
    // Every stage of the built-in process has a label, final stages too.
    expect(Object.keys(labels.stages).sort()).toEqual([...Object.keys(defaultProcess.stages), ...defaultProcess.final].sort());
    expect(labels.stages.quote_sent).toBe(defaultProcess.stages.quote_sent!.label);
    expect(labels.stages.closed).toBe(defaultProcess.finalLabels!.closed);
    expect(labels.events.PAYMENT_RECEIVED).toBe(defaultProcess.eventLabels!.PAYMENT_RECEIVED);

    const draft = structuredClone(defaultProcess) as ProcessDefinition;
    draft.stages.quote_sent!.label = 'With the buyer';
    delete draft.stages.ordering!.label;
    draft.eventLabels = { ...draft.eventLabels, ACCEPT: 'Customer accepts' };
    const created = await h.call('ops', 'POST', '/v1/process-definitions', { definition: draft });
    expect(created.statusCode, created.body).toBe(201);
    const { version } = created.json<{ version: number }>();
    expect((await h.call('ops', 'POST', `/v1/process-definitions/${defaultProcess.key}/versions/${version}/publish`)).statusCode).toBe(200);

    for (const who of ['viewer', 'warehouse', 'finance'] as const) {
      const after = (await h.call(who, 'GET', '/v1/process-labels')).json<Labels>();
      expect(after.stages.quote_sent, who).toBe('With the buyer');
      expect(after.stages.ordering, who).toBeUndefined();
      expect(after.events.ACCEPT, who).toBe('Customer accepts');
    }
    expect((await h.call(null, 'GET', '/v1/process-labels')).statusCode).toBe(401);
  });

  it('refuses a label for an event or final stage the definition does not have, and one too long, naming each', async () => {
    const paths = async (definition: ProcessDefinition) =>
      (await h.call('ops', 'POST', '/v1/process-definitions/validate', { definition }))
        .json<{ errors: { path: string }[] }>()
        .errors.map((e) => e.path)
        .sort();
    const typo = structuredClone(defaultProcess) as ProcessDefinition;
    typo.eventLabels = { ACCPET: 'Customer accepts' };
    typo.finalLabels = { qualification: 'Qualifying' };
    expect(await paths(typo)).toEqual(['eventLabels.ACCPET', 'finalLabels.qualification']);
    const long = structuredClone(defaultProcess) as ProcessDefinition;
    long.stages.lead!.label = 'x'.repeat(81);
    expect(await paths(long)).toEqual(['stages.lead.label']);
  });
});
