// Every cached journey holds its compiled machine, so its size is paid per journey (bench
// `footprint`): the transitions live once on the root, one branch per stage some reaction leads
// to plus one that stays, and the stages hold only their entry.
import { describe, expect, it } from 'vitest';
import { compileProcess } from '../../../machines/compileProcess';
import { targetsOf } from '../../../machines/definitionLookup';
import { defaultProcess } from '../../../machines/index';

describe('the compiled machine', () => {
  it('keeps one branch per target stage on its root, shared by every stage and event', () => {
    const machine = compileProcess(defaultProcess);
    const targets = new Set(Object.keys(defaultProcess.stages).flatMap((stage) => targetsOf(defaultProcess, stage)));
    const root = [...machine.root.transitions.values()].flat();
    // Events, then the auto policies' branches.
    expect(root).toHaveLength(targets.size + 1);
    expect(machine.root.always).toHaveLength(targets.size + 1);
    expect(new Set(root.flatMap((t) => t.target ?? []).map((node) => node.key))).toEqual(targets);
    const stages = Object.values(machine.root.states);
    expect(stages).toHaveLength(Object.keys(defaultProcess.stages).length + defaultProcess.final.length);
    for (const stage of stages) {
      expect(stage.transitions.size, stage.key).toBe(0);
      expect(stage.always ?? [], stage.key).toEqual([]);
    }
  });
});
