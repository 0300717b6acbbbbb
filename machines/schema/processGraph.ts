// Graph checks over a definition's stages: every stage reachable from the initial one, and every
// stage with a way to a final one (a journey must be able to end).
import { targetsOf } from '../definitionLookup.js';
import type { ProcessDefinition } from './processDefinition.js';

function reachable(start: readonly string[], next: (stage: string) => readonly string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  for (let stage = queue.shift(); stage !== undefined; stage = queue.shift()) {
    for (const target of next(stage)) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

export function graphErrors(def: ProcessDefinition): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const stages = Object.keys(def.stages);
  const edges = new Map(stages.map((stage) => [stage, targetsOf(def, stage)]));
  const forward = reachable([def.initial], (stage) => edges.get(stage) ?? []);
  const backward = reachable(def.final, (stage) => stages.filter((from) => edges.get(from)?.includes(stage)));
  for (const stage of stages) {
    if (!forward.has(stage)) errors.push({ path: `stages.${stage}`, message: `stage "${stage}" is unreachable from "${def.initial}"` });
    if (!backward.has(stage)) errors.push({ path: `stages.${stage}`, message: `stage "${stage}" has no path to a final stage` });
  }
  def.final.forEach((stage, i) => {
    if (!forward.has(stage)) errors.push({ path: `final.${i}`, message: `final stage "${stage}" is unreachable from "${def.initial}"` });
  });
  return errors;
}
