// The stages of a definition in journey order: as the definition lists them, then its final
// stages. Lists, charts and reports order stages this way; stages of other definitions follow.
import type { ProcessDefinition } from './schema/processDefinition.js';

export function stageOrder(def: Pick<ProcessDefinition, 'stages' | 'final'>): string[] {
  return [...Object.keys(def.stages), ...def.final.filter((stage) => !(stage in def.stages))];
}
