// What an accepted event does to a journey. The compiled machine's guards decide acceptance;
// these functions compute the outcome, and are called both to pick the transition's target and
// to apply it, so the two can never disagree.
import { parseActivityResult, recordResult } from './activityIO.js';
import { stageDefinition, transitionOf } from './definitionLookup.js';
import { payloadOf, type ActivityDoneEvent, type ActivityFailedEvent, type JourneyEvent, type TimerFiredEvent, type VocabularyEvent } from './events.js';
import type { ActiveRun, ActivityError, JourneyContext } from './journeyContext.js';
import type { ProcessDefinition } from './schema/processDefinition.js';
import { systemActor, type Actor } from './roles.js';
import { recordBreach } from './sla.js';
import { fireTimer, levelOf, mark, park, rerun, runFrom, stay, type Reaction } from './stageRun.js';

const at = (context: JourneyContext, time: string): JourneyContext => ({ ...context, now: time });

function recordPayload(context: JourneyContext, event: VocabularyEvent): JourneyContext {
  switch (event.type) {
    case 'PROPOSE':
    case 'REVISE': {
      const data = payloadOf(event.type, event.data);
      return { ...context, proposal: { lines: data.lines, author: event.actor.id, at: event.at } };
    }
    case 'ADD_LINES': {
      const data = payloadOf('ADD_LINES', event.data);
      return { ...context, addedLines: { lines: data.lines, author: event.actor.id, at: event.at } };
    }
    case 'SHIPPED':
      return { ...context, shipment: payloadOf('SHIPPED', event.data) };
    case 'PAYMENT_RECEIVED':
      return { ...context, pendingPayment: payloadOf('PAYMENT_RECEIVED', event.data) };
    default:
      return context;
  }
}

const withNote = <T extends object>(record: T, note: string | undefined): T & { note?: string } => (typeof note === 'string' ? { ...record, note } : record);

const actorCopy = (actor: Actor): Actor => ({ id: actor.id, roles: [...actor.roles] });

function fireTransition(def: ProcessDefinition, context: JourneyContext, event: string, actor: Actor, note: string | undefined, auto: boolean): Reaction {
  const transition = transitionOf(def, context.stage, event);
  const checkpoint = stageDefinition(def, context.stage)?.checkpoint;
  if (!transition || !checkpoint) return stay(context);
  let next = transition.mark ? mark(context, transition.mark) : context;
  const decision = event === checkpoint.approve || transition.confirms === true ? 'approve' : event === checkpoint.reject ? 'reject' : null;
  if (decision) {
    const record = { stage: context.stage, decision, actor: actorCopy(actor), at: context.now, auto } as const;
    next = { ...next, confirmations: [...next.confirmations, withNote(record, note)] };
  }
  return runFrom(def, next, { kind: 'event', event }, 0);
}

/** The checkpoint's auto policy holds: approve as the system. */
export function autoConfirm(def: ProcessDefinition, context: JourneyContext): Reaction {
  const checkpoint = stageDefinition(def, context.stage)?.checkpoint;
  if (!checkpoint) return stay(context);
  return fireTransition(def, context, checkpoint.approve, systemActor, undefined, true);
}

function intervene(context: JourneyContext, run: ActiveRun, action: 'retry' | 'skip', event: VocabularyEvent) {
  const record = { stage: context.stage, action, activity: run.activity, step: run.step, actor: actorCopy(event.actor), at: context.now };
  return { ...context, interventions: [...context.interventions, withNote(record, event.note)] };
}

/** RETRY re-emits the parked activity with the same step. */
function retry(def: ProcessDefinition, context: JourneyContext, event: VocabularyEvent): Reaction {
  const { run } = context;
  if (!run || context.status !== 'parked') return stay(context);
  return rerun(def, intervene(context, run, 'retry', event), run);
}

/** SKIP continues as if the parked activity had finished without a result. */
function skip(def: ProcessDefinition, context: JourneyContext, event: VocabularyEvent): Reaction {
  const { run } = context;
  if (!run || context.status !== 'parked') return stay(context);
  const noted = intervene(context, run, 'skip', event);
  return runFrom(def, { ...noted, run: null, parked: null }, run.origin, run.index + 1);
}

function activityDone(def: ProcessDefinition, context: JourneyContext, event: ActivityDoneEvent): Reaction {
  const { run } = context;
  if (!run) return stay(context);
  const parsed = parseActivityResult(run.activity, event.result);
  if (!parsed.ok) return stay(park(context, run, parsed.error));
  const recorded = recordResult(context, run.activity, parsed.result, levelOf(run.origin));
  return runFrom(def, { ...recorded, run: null }, run.origin, run.index + 1);
}

function activityFailed(context: JourneyContext, event: ActivityFailedEvent): Reaction {
  if (!context.run) return stay(context);
  const error: ActivityError = { message: String(event.error.message) };
  if (typeof event.error.type === 'string') error.type = event.error.type;
  return stay(park(context, context.run, error));
}

/** A timer that fires while an activity is busy is handled when the stage settles. */
function timerFired(def: ProcessDefinition, context: JourneyContext, event: TimerFiredEvent): Reaction {
  const timer = context.timers.find((t) => t.id === event.timer && !t.due);
  if (!timer) return stay(context);
  if (context.status === 'running' || context.status === 'parked') {
    return stay({ ...context, timers: context.timers.map((t) => (t.id === timer.id ? { ...t, due: true } : t)) });
  }
  return fireTimer(def, context, timer);
}

/** The outcome of an event the machine's guards accepted in the current stage. */
export function react(def: ProcessDefinition, context: JourneyContext, event: JourneyEvent): Reaction {
  const now = at(context, event.at);
  switch (event.type) {
    case 'ACTIVITY_DONE':
      return activityDone(def, now, event);
    case 'ACTIVITY_FAILED':
      return activityFailed(now, event);
    case 'TIMER_FIRED':
      return timerFired(def, now, event);
    case 'SLA_BREACHED':
      return stay(recordBreach(def, now, event.key));
    case 'RETRY':
      return retry(def, now, event);
    case 'SKIP':
      return skip(def, now, event);
    default:
      return fireTransition(def, recordPayload(now, event), event.type, event.actor, event.note, false);
  }
}
