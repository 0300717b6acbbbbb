// A journey moved to another version of its process (DESIGN.md section 7.2): its data stays, its
// stage becomes the one the plan maps it to, and its timers keep their absolute deadlines (`keep`:
// those the target stage also has; the others are cancelled, the missing ones started) or start
// again from the target's durations (`restart`). Pure: the workflow runs the effects.
import { stageDefinition } from './definitionLookup.js';
import type { JourneyEffect } from './effects.js';
import type { JourneyContext } from './journeyContext.js';
import type { TimerPolicy } from './migrationPlan.js';
import type { ProcessDefinition } from './schema/processDefinition.js';
import { startTimers } from './stageRun.js';

export function migrateContext(
  context: JourneyContext,
  to: ProcessDefinition,
  target: string,
  timers: TimerPolicy,
  /** When the move happens: restarted timers count from it. */
  at: string,
): { context: JourneyContext; effects: JourneyEffect[] } {
  const spec = stageDefinition(to, target);
  if (!spec) throw new Error(`version ${to.version} of ${to.key} has no stage "${target}"`);
  const targetTimers = spec.after ?? [];
  const keep = (name: string) => timers === 'keep' && targetTimers.some((t) => t.name === name);
  const kept = context.timers.filter((t) => keep(t.name));
  const effects: JourneyEffect[] = context.timers.filter((t) => !t.due && !keep(t.name)).map((t) => ({ type: 'cancelTimer', params: { timer: t.id } }));
  // A stage newly entered counts as a visit: its activities' steps (their idempotency keys) must not
  // be those of an earlier visit.
  const visits = target === context.stage ? context.visits : { ...context.visits, [target]: (context.visits[target] ?? 0) + 1 };
  const moved: JourneyContext = { ...context, now: at, stage: target, visits, timers: kept };
  const started = startTimers(
    to,
    moved,
    targetTimers.filter((t) => !kept.some((k) => k.name === t.name)),
  );
  return { context: started.context, effects: [...effects, ...started.effects] };
}
