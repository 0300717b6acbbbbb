// When the current stage accepts an event. The compiled machine composes these as named guards;
// allowedEvents uses the same predicates for a role without a person (no segregation of duties).
import { holds } from './conditions.js';
import { rolesFor, stageDefinition, transitionOf } from './definitionLookup.js';
import type { ActivityDoneEvent, ActivityFailedEvent, TimerFiredEvent } from './events.js';
import { readField } from './fields.js';
import { checkpointWaits, type JourneyContext, type JourneyStatus } from './journeyContext.js';
import type { Guard, ProcessDefinition } from './schema/processDefinition.js';
import { rolePermits } from './roles.js';
import { escalated } from './sla.js';

/** Events wait for the checkpoint; interrupting ones (CANCEL) also cut into running or parked work. */
export function phaseAccepts(status: JourneyStatus, interrupts: boolean): boolean {
  if (checkpointWaits(status)) return true;
  return interrupts && (status === 'running' || status === 'parked');
}

export function awaitsActivity(context: JourneyContext, event: ActivityDoneEvent | ActivityFailedEvent): boolean {
  const { run } = context;
  return context.status === 'running' && run !== null && run.step === event.step && run.activity === event.activity;
}

export function awaitsTimer(context: JourneyContext, event: TimerFiredEvent): boolean {
  return context.timers.some((t) => t.id === event.timer && !t.due);
}

export function guardHolds(def: ProcessDefinition, context: JourneyContext, guard: Guard | undefined): boolean {
  return guard === undefined || holds(guard, context, def.policies);
}

/** Segregation of duties: the person named by `field` may not send it (admins included). */
export function actorIsNot(context: JourneyContext, actorId: string, field: string): boolean {
  const value = readField(context, field);
  return value === null || value !== actorId;
}

export function mayRecover(def: ProcessDefinition, context: JourneyContext, event: 'RETRY' | 'SKIP', actorRoles: readonly string[]): boolean {
  const allowed = event === 'RETRY' ? def.recovery.retry : def.recovery.skip;
  return context.status === 'parked' && context.run !== null && rolePermits(actorRoles, allowed);
}

/** Everything but the payload and segregation of duties: what a role could send now. */
export function transitionEnabled(def: ProcessDefinition, context: JourneyContext, event: string, actorRoles: readonly string[]): boolean {
  const transition = transitionOf(def, context.stage, event);
  if (!transition) return false;
  return (
    phaseAccepts(context.status, transition.interrupts === true) &&
    rolePermits(actorRoles, rolesFor(def, context.stage, event, escalated(context))) &&
    guardHolds(def, context, transition.guard)
  );
}

export function autoConfirms(def: ProcessDefinition, context: JourneyContext): boolean {
  const checkpoint = stageDefinition(def, context.stage)?.checkpoint;
  if (context.status !== 'awaiting_confirmation' || checkpoint?.auto === undefined) return false;
  const transition = transitionOf(def, context.stage, checkpoint.approve);
  return transition !== undefined && holds(checkpoint.auto, context, def.policies) && guardHolds(def, context, transition.guard);
}
