// A definition in the order people read it: the top-level parts as the format lists them, stages
// in the order a journey meets them. Stored definitions come back from PostgreSQL (jsonb) with
// keys in storage order; the meaning is the same.
import { layoutDefinition, type DefinitionShape } from './diagramLayout';

const TOP = ['key', 'version', 'title', 'initial', 'policies', 'recovery', 'stages', 'final'];
const STAGE = ['description', 'sla', 'entry', 'checkpoint', 'wait', 'on', 'after'];
const CHECKPOINT = ['role', 'auto', 'sla', 'escalateTo', 'approve', 'reject', 'notBy'];

function ordered(value: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const keys = [...order.filter((k) => k in value), ...Object.keys(value).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, value[k]]));
}

/** A stage's events in reading order: the checkpoint's approve and reject first, CANCEL last. */
export function eventOrder(events: string[], checkpoint: { approve?: string; reject?: string } | undefined): string[] {
  const rank = (e: string) => (e === checkpoint?.approve ? 0 : e === checkpoint?.reject ? 1 : e === 'CANCEL' ? 3 : 2);
  return [...events].sort((a, b) => rank(a) - rank(b));
}

/** Stage names in reading order: by layer, the happy path first, final stages last. */
export function stageOrder(definition: DefinitionShape): string[] {
  const { nodes } = layoutDefinition(definition);
  return [...nodes].sort((a, b) => Number(a.final) - Number(b.final) || a.y - b.y || a.x - b.x).map((n) => n.id);
}

export function canonicalDefinition(definition: Record<string, unknown>): Record<string, unknown> {
  const stages = (definition.stages ?? {}) as Record<string, Record<string, unknown>>;
  const names = stageOrder(definition as DefinitionShape).filter((n) => n in stages);
  const sortedStages = Object.fromEntries(
    [...names, ...Object.keys(stages).filter((n) => !names.includes(n))].map((name) => {
      const stage = ordered(stages[name] ?? {}, STAGE);
      const checkpoint = stage.checkpoint as { approve?: string; reject?: string } | undefined;
      if (checkpoint && typeof checkpoint === 'object') stage.checkpoint = ordered(checkpoint as Record<string, unknown>, CHECKPOINT);
      if (stage.on && typeof stage.on === 'object') {
        const on = stage.on as Record<string, unknown>;
        stage.on = Object.fromEntries(eventOrder(Object.keys(on), checkpoint).map((e) => [e, on[e]]));
      }
      return [name, stage];
    }),
  );
  return ordered({ ...definition, stages: sortedStages }, TOP);
}
