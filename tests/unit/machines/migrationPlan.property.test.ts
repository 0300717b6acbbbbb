// Migration plans over the default process and a changed copy of it: random plans and random
// journey states. A journey a plan marks ready lands on a stage of the target from which it can
// still end, with the same checkpoint it waits on; every block and every plan error has its cause.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultProcess, type ProcessDefinition } from '../../../machines/index';
import { judge, planErrors, prefilledStageMap, type LiveJourney, type StageMap } from '../../../machines/migrationPlan';

/**
 * Version 2: quote_sent renamed proposal_sent, ordering confirmed by a sales manager, and a stage
 * that leads nowhere (a published version never has one; a plan must still not send journeys there).
 */
function changedCopy(): ProcessDefinition {
  const def = JSON.parse(JSON.stringify(defaultProcess).replaceAll('"quote_sent"', '"proposal_sent"')) as ProcessDefinition;
  def.version = 2;
  def.stages.ordering!.checkpoint = { ...def.stages.ordering!.checkpoint, role: 'sales_manager' };
  def.stages.dead_end = { label: 'Dead end', checkpoint: { role: 'ops', approve: 'CONFIRM' }, on: {} } as unknown as ProcessDefinition['stages'][string];
  return def;
}

const from = defaultProcess;
const to = changedCopy();

/** Stages from which a final stage can be reached, by walking every edge backwards from the finals. */
function canEnd(def: ProcessDefinition, stage: string): boolean {
  const seen = new Set<string>();
  const walk = (s: string): boolean => {
    if (def.final.includes(s)) return true;
    if (seen.has(s)) return false;
    seen.add(s);
    const spec = def.stages[s];
    if (!spec) return false;
    const reactions = [...Object.values(spec.on), ...(spec.after ?? [])];
    return reactions.some((r) => (r.target !== undefined && walk(r.target)) || (r.then ?? []).some((b) => walk(b.target)));
  };
  return walk(stage);
}

const statuses = ['running', 'parked', 'awaiting_confirmation', 'waiting', 'done'];
const fromStages = Object.keys(from.stages);
const toStages = Object.keys(to.stages);

const journeyArb: fc.Arbitrary<LiveJourney> = fc
  .record({ stage: fc.constantFrom(...fromStages), status: fc.constantFrom(...statuses) })
  .map(({ stage, status }) => {
    const checkpoint = from.stages[stage]!.checkpoint;
    const waits = status === 'awaiting_confirmation' || status === 'waiting';
    return { stage, status, pendingCheckpoint: waits ? { role: checkpoint.role ?? null, approveEvent: checkpoint.approve } : null };
  });

const planArb: fc.Arbitrary<StageMap> = fc.dictionary(fc.constantFrom(...fromStages, 'no_such_stage'), fc.constantFrom(...toStages, 'nowhere'));

describe('migration plans', () => {
  it('prefill every stage both versions have, and nothing else', () => {
    const map = prefilledStageMap(from, to);
    expect(map.quote_sent).toBeUndefined();
    expect(map.ordering).toBe('ordering');
    expect(Object.keys(map).sort()).toEqual(fromStages.filter((s) => to.stages[s] !== undefined).sort());
  });

  it('refuse exactly the entries whose stages do not exist or whose target cannot end', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const errors = planErrors(from, to, plan);
        const expected = Object.entries(plan)
          .filter(([source, target]) => !from.stages[source] || !to.stages[target] || (!from.final.includes(source) && !canEnd(to, target)))
          .map(([source]) => `stageMap.${source}`);
        expect(errors.map((e) => e.path).sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });

  it('mark ready only journeys that land on a stage of the target that can end, waiting on the same checkpoint', () => {
    fc.assert(
      fc.property(planArb, journeyArb, (plan, journey) => {
        const { verdict, target, reason } = judge(journey, from, to, plan);
        const mapped = Object.hasOwn(plan, journey.stage) ? plan[journey.stage] : undefined;
        if (verdict === 'ready' || verdict === 'ready_at_safe_point') {
          expect(target).toBe(mapped);
          expect(to.stages[target!]).toBeDefined();
          expect(canEnd(to, target!)).toBe(true);
          if (journey.pendingCheckpoint) {
            expect(to.stages[target!]!.checkpoint.role ?? null).toBe(journey.pendingCheckpoint.role);
            expect(to.stages[target!]!.checkpoint.approve).toBe(journey.pendingCheckpoint.approveEvent);
          }
          expect(verdict === 'ready_at_safe_point').toBe(journey.status === 'running' || journey.status === 'parked');
        } else {
          expect(reason).toBeTruthy();
        }
        // Each block has its cause.
        if (verdict === 'skipped_final') expect(from.final.includes(journey.stage) || journey.status === 'done').toBe(true);
        if (verdict === 'blocked_unmapped_stage') expect(mapped === undefined || !to.stages[mapped]).toBe(true);
        if (verdict === 'blocked_no_path_to_final') expect(canEnd(to, mapped!)).toBe(false);
        if (verdict === 'blocked_checkpoint_changed') {
          const checkpoint = to.stages[mapped!]!.checkpoint;
          const same = (checkpoint.role ?? null) === journey.pendingCheckpoint?.role && checkpoint.approve === journey.pendingCheckpoint?.approveEvent;
          expect(same).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('block a journey waiting on a checkpoint whose role changed, and pass one that does not wait', () => {
    const plan = prefilledStageMap(from, to);
    const waiting = { stage: 'ordering', status: 'awaiting_confirmation', pendingCheckpoint: { role: 'sales_rep', approveEvent: 'CONFIRM' } };
    expect(judge(waiting, from, to, plan).verdict).toBe('blocked_checkpoint_changed');
    expect(judge({ ...waiting, status: 'running', pendingCheckpoint: null }, from, to, plan)).toEqual({
      verdict: 'ready_at_safe_point',
      reason: expect.stringContaining('in flight'),
      target: 'ordering',
    });
    expect(judge({ stage: 'quote_sent', status: 'waiting', pendingCheckpoint: null }, from, to, plan).verdict).toBe('blocked_unmapped_stage');
    expect(judge({ stage: 'quote_sent', status: 'waiting', pendingCheckpoint: null }, from, to, { ...plan, quote_sent: 'proposal_sent' }).verdict).toBe(
      'ready',
    );
    expect(judge({ stage: 'opportunity', status: 'waiting', pendingCheckpoint: null }, from, to, { opportunity: 'dead_end' }).verdict).toBe(
      'blocked_no_path_to_final',
    );
  });
});
