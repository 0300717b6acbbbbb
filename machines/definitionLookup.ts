// Read-only lookups into a validated definition, shared by the engine, compiler and tools.
import type { RunOrigin } from './journeyContext.js';
import type { ActivityStep, ProcessDefinition, StageDefinition, TimerDefinition, TransitionDefinition } from './schema/processDefinition.js';

export function stageDefinition(def: ProcessDefinition, stage: string): StageDefinition | undefined {
  return Object.hasOwn(def.stages, stage) ? def.stages[stage] : undefined;
}

export function transitionOf(def: ProcessDefinition, stage: string, event: string): TransitionDefinition | undefined {
  const spec = stageDefinition(def, stage);
  return spec && Object.hasOwn(spec.on, event) ? spec.on[event] : undefined;
}

export function timerOf(def: ProcessDefinition, stage: string, name: string): TimerDefinition | undefined {
  return stageDefinition(def, stage)?.after?.find((t) => t.name === name);
}

/** The activities an origin runs, in order. */
export function planOf(def: ProcessDefinition, stage: string, origin: RunOrigin): readonly ActivityStep[] {
  if (origin.kind === 'entry') return stageDefinition(def, stage)?.entry ?? [];
  if (origin.kind === 'event') return transitionOf(def, stage, origin.event)?.run ?? [];
  return timerOf(def, stage, origin.timer)?.run ?? [];
}

/**
 * Roles that may send `event` in `stage`: the transition's own, else the checkpoint's for its events;
 * once an SLA of the visit is breached (`escalated`), the checkpoint's `escalateTo` for its events too.
 */
export function rolesFor(def: ProcessDefinition, stage: string, event: string, escalated = false): readonly string[] {
  const spec = stageDefinition(def, stage);
  const transition = transitionOf(def, stage, event);
  if (!spec || !transition) return [];
  const { checkpoint } = spec;
  const ownEvent = event === checkpoint.approve || event === checkpoint.reject;
  const roles = transition.roles ?? (ownEvent && checkpoint.role ? [checkpoint.role] : []);
  const escalation = escalated && ownEvent ? checkpoint.escalateTo : undefined;
  return escalation && !roles.includes(escalation) ? [...roles, escalation] : roles;
}

/** Roles that may send `event` in `stage`, RETRY and SKIP from the definition's recovery section. */
export function requiredRoles(def: ProcessDefinition, stage: string, event: string, escalated = false): readonly string[] {
  if (event === 'RETRY') return def.recovery.retry;
  if (event === 'SKIP') return def.recovery.skip;
  return rolesFor(def, stage, event, escalated);
}

/** Every stage a reaction in `stage` can lead to, in definition order. */
export function targetsOf(def: ProcessDefinition, stage: string): string[] {
  const spec = stageDefinition(def, stage);
  if (!spec) return [];
  const reactions = [...Object.values(spec.on), ...(spec.after ?? [])];
  const targets = reactions.flatMap((r) => [...(r.target ? [r.target] : []), ...(r.then ?? []).map((b) => b.target)]);
  return [...new Set(targets)];
}

export function isFinal(def: ProcessDefinition, stage: string): boolean {
  return def.final.includes(stage);
}
