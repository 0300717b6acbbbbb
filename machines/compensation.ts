// Compensation: leaving by CANCEL, DECLINE, LOSE or WRITE_OFF undoes what the journey changed,
// newest first, each undo once (its step is its idempotency key) and on the timeline like any
// activity. The undos are appended to the leaving transition's run when the definition compiles.
import { activityNames, undoOf, type ActivityName } from './activityNames.js';
import { targetsOf } from './definitionLookup.js';
import type { ActivityStep, ProcessDefinition, TransitionDefinition } from './schema/processDefinition.js';

/** Events that abandon the journey's business: what it changed must be put back. */
export const abandoningEvents = ['CANCEL', 'DECLINE', 'LOSE', 'WRITE_OFF'] as const;

export function compensates(event: string, transition: TransitionDefinition): boolean {
  return transition.compensate ?? (abandoningEvents as readonly string[]).includes(event);
}

/** The record an undo needs: an undo runs once that record exists, even if its activity was cut off. */
const undoNeeds: Partial<Record<ActivityName, string>> = {
  cancelOrder: 'order.id',
  releaseReservation: 'order.id',
  closePurchaseOrders: 'order.id',
  writeOffInvoice: 'invoice.id',
};

/** Every undo in the catalogue, newest effect first (the catalogue lists activities in process order). */
export function undoSteps(): ActivityStep[] {
  return activityNames
    .map(undoOf)
    .filter((undo) => undo !== null)
    .reverse()
    .map((undo) => {
      const field = undoNeeds[undo.activity];
      return field ? { activity: undo.activity, when: { field, op: 'present' as const } } : { activity: undo.activity };
    });
}

/** `def` with the undos appended to every compensating transition's run. */
export function withCompensation(def: ProcessDefinition): ProcessDefinition {
  const undos = undoSteps();
  const stages = Object.fromEntries(
    Object.entries(def.stages).map(([name, stage]) => {
      const on = Object.fromEntries(
        Object.entries(stage.on).map(([event, t]) => [event, compensates(event, t) ? { ...t, run: [...(t.run ?? []), ...undos] } : t]),
      );
      return [name, { ...stage, on }];
    }),
  );
  return { ...def, stages };
}

/** Per stage, the activities with an undo that may have run by the time the journey is in it. */
export function effectsByStage(def: ProcessDefinition): Map<string, Set<ActivityName>> {
  const own = (stage: string): ActivityName[] => {
    const spec = def.stages[stage];
    if (!spec) return [];
    const steps = [...(spec.entry ?? []), ...Object.values(spec.on).flatMap((t) => t.run ?? []), ...(spec.after ?? []).flatMap((t) => t.run ?? [])];
    return steps.map((s) => s.activity as ActivityName).filter((a) => activityNames.includes(a) && undoOf(a) !== null);
  };
  const effects = new Map(Object.keys(def.stages).map((stage) => [stage, new Set(own(stage))]));
  // Propagate along the stage graph until nothing changes (a journey carries its effects forward).
  for (let changed = true; changed;) {
    changed = false;
    for (const [stage, done] of effects) {
      for (const target of targetsOf(def, stage)) {
        const next = effects.get(target);
        if (!next) continue;
        for (const a of done) {
          if (!next.has(a)) {
            next.add(a);
            changed = true;
          }
        }
      }
    }
  }
  return effects;
}
