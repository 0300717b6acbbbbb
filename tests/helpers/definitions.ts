// Changed copies of the default process, as ops might send them, for validation tests.
import { defaultProcess, type ProcessDefinition } from '../../machines/index';

/** A deep copy of the default process, changed by `edit`. */
export function edited(edit: (def: ProcessDefinition) => void): ProcessDefinition {
  const def = structuredClone(defaultProcess);
  edit(def);
  return def;
}

/** A stage of `def`, which the test expects to exist. */
export function stageOf(def: ProcessDefinition, name: string): ProcessDefinition['stages'][string] {
  const spec = def.stages[name];
  if (!spec) throw new Error(`no stage ${name}`);
  return spec;
}
