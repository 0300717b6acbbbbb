// Compiles a definition validated where it entered (publish, start: schema/validateProcess.ts)
// to a flat xstate v5 machine: one state per stage, guards from
// the definition, and actions that only name side effects (runActivity, startTimer, cancelTimer)
// for the workflow to execute. Drive it with the pure initialTransition()/transition().
import { enqueueActions, setup } from 'xstate';
import { actorIsNot, autoConfirms, awaitsActivity, awaitsTimer, guardHolds, mayRecover, phaseAccepts } from './acceptance.js';
import { withCompensation } from './compensation.js';
import { isFinal, rolesFor, stageDefinition, targetsOf } from './definitionLookup.js';
import type { CancelTimerParams, RunActivityParams, StartTimerParams } from './effects.js';
import { hasValidPayload, isVocabularyEvent, type JourneyEvent, type VocabularyEvent } from './events.js';
import { initialContext, type JourneyContext, type JourneyInput } from './journeyContext.js';
import { autoConfirm, react } from './reactions.js';
import { rolePermits } from './roles.js';
import type { Guard, ProcessDefinition, StageDefinition } from './schema/processDefinition.js';
import { escalated, openSlaWatches } from './sla.js';
import { enterStage, type Reaction } from './stageRun.js';

const hasActor = (event: VocabularyEvent): boolean => typeof event.actor === 'object' && event.actor !== null && Array.isArray(event.actor.roles);

/**
 * `compute` for one (context, event, auto), keeping the last answer: every branch of one event asks
 * the same question of the same (immutable) context and event.
 */
function lastOf<T>(compute: (context: JourneyContext, event: JourneyEvent, auto: boolean) => T) {
  let last: { context: JourneyContext; event: JourneyEvent; auto: boolean; value: T } | null = null;
  return (context: JourneyContext, event: JourneyEvent, auto: boolean): T => {
    if (last?.context !== context || last.event !== event || last.auto !== auto) last = { context, event, auto, value: compute(context, event, auto) };
    return last.value;
  };
}

function journeySetup(def: ProcessDefinition) {
  // Guards and actions evaluate the same reaction for one (context, event).
  const outcome = lastOf((context, event, auto): Reaction => (auto ? autoConfirm(def, context) : react(def, context, event)));

  type Args = { context: JourneyContext; event: JourneyEvent };
  // Each check of a rule, in the order given; `holds` runs a rule's list with one guard object
  // instead of xstate's and() over named guards (fewer objects per compiled machine).
  const checks: { [C in Check as C['type']]: (args: Args, params: C extends { params: infer P } ? P : undefined) => boolean } = {
    phaseAccepts: ({ context }, params) => phaseAccepts(context.status, params.interrupts),
    actorHasRole: ({ context, event }, params) =>
      isVocabularyEvent(event) && hasActor(event) && rolePermits(event.actor.roles, rolesFor(def, context.stage, params.event, escalated(context))),
    actorIsNot: ({ context, event }, params) => isVocabularyEvent(event) && hasActor(event) && actorIsNot(context, event.actor.id, params.field),
    payloadValid: ({ event }) => isVocabularyEvent(event) && hasValidPayload(event),
    definitionGuard: ({ context }, params) => guardHolds(def, context, params.guard),
    mayRecover: ({ context, event }, params) => event.type === params.event && hasActor(event) && mayRecover(def, context, params.event, event.actor.roles),
    awaitsActivity: ({ context, event }) => (event.type === 'ACTIVITY_DONE' || event.type === 'ACTIVITY_FAILED') && awaitsActivity(context, event),
    awaitsTimer: ({ context, event }) => event.type === 'TIMER_FIRED' && awaitsTimer(context, event),
    slaOpen: ({ context, event }) => event.type === 'SLA_BREACHED' && openSlaWatches(def, context).some((w) => w.key === event.key),
    autoConfirms: ({ context }) => autoConfirms(def, context),
  };
  const passes = (args: Args, check: Check): boolean =>
    (checks[check.type] as (args: Args, params: unknown) => boolean)(args, 'params' in check ? check.params : undefined);
  // A stage's rules are built when it first meets an event: a journey visits few of its stages.
  const rules = new Map<string, StageRules>();
  const rulesOf = (stage: string): StageRules => {
    let found = rules.get(stage);
    if (!found) rules.set(stage, (found = stageRules(def, stage)));
    return found;
  };
  /** The rule by which the current stage takes the event, its checks holding; null when it does not. */
  const takenBy = lastOf((context, event, auto): EventRule | null => {
    const stage = rulesOf(context.stage);
    const rule = (auto ? stage.auto : stage.events.get(event.type)) ?? null;
    return rule && rule.checks.every((check) => passes({ context, event }, check)) ? rule : null;
  });

  const journey = setup({
    types: {} as { context: JourneyContext; events: JourneyEvent; input: JourneyInput },
    actions: {
      // Named effects only: the workflow executes them, the machine never does.
      runActivity: (_args, _params: RunActivityParams) => {},
      startTimer: (_args, _params: StartTimerParams) => {},
      cancelTimer: (_args, _params: CancelTimerParams) => {},
      /** A stage's entry: one action for all stages, told which by its params. */
      enter: enqueueActions(({ context, enqueue }, params: { stage: string }) => {
        const entered = enterStage(def, context, params.stage);
        enqueue.assign(entered.context);
        // The effects are the actions named beside this one, which setup cannot type from inside.
        for (const effect of entered.effects) enqueue(effect as never);
      }),
    },
    guards: {
      /** The current stage takes the event (every check holds) and, with `leadsTo`, the reaction goes there. */
      holds: ({ context, event }, params: Branch) => {
        const rule = takenBy(context, event, params.auto);
        if (!rule || (params.leadsTo !== undefined && rule.stays)) return false;
        return params.leadsTo === undefined || outcome(context, event, params.auto).target === params.leadsTo;
      },
    },
  });
  // One action per kind, shared by every branch: the machine is built once per cached workflow, so
  // each closure here is paid per journey.
  const applyReaction = (auto: boolean) =>
    journey.enqueueActions(({ context, event, enqueue }) => {
      const reaction = outcome(context, event, auto);
      enqueue.assign(reaction.context);
      for (const effect of reaction.effects) enqueue(effect);
    });
  return { setup: journey, actions: { auto: applyReaction(true), event: applyReaction(false) } };
}

type Check =
  | { type: 'phaseAccepts'; params: { interrupts: boolean } }
  | { type: 'actorHasRole'; params: { event: string } }
  | { type: 'actorIsNot'; params: { field: string } }
  | { type: 'payloadValid' }
  | { type: 'definitionGuard'; params: { guard: Guard } }
  | { type: 'mayRecover'; params: { event: 'RETRY' | 'SKIP' } }
  | { type: 'awaitsActivity' }
  | { type: 'awaitsTimer' }
  | { type: 'slaOpen' }
  | { type: 'autoConfirms' };

/** The guard of one branch: whether it is the auto policy's, and the stage it leads to (none: it stays). */
interface Branch {
  auto: boolean;
  leadsTo?: string;
}

/** How a stage takes an event: the checks, and whether the event may move the journey. */
type EventRule = { checks: readonly Check[]; stays?: true };
/** A stage's rules per event, and its auto policy's (none without one). */
type StageRules = { events: Map<string, EventRule>; auto: EventRule | null };

function stageRules(def: ProcessDefinition, stage: string): StageRules {
  const spec = stageDefinition(def, stage);
  const events = new Map<string, EventRule>();
  if (!spec) return { events, auto: null };
  for (const [event, transition] of Object.entries(spec.on)) {
    const notBy = event === spec.checkpoint.approve ? spec.checkpoint.notBy : undefined;
    events.set(event, {
      checks: [
        { type: 'phaseAccepts', params: { interrupts: transition.interrupts === true } },
        { type: 'actorHasRole', params: { event } },
        { type: 'payloadValid' },
        ...(transition.guard ? [{ type: 'definitionGuard', params: { guard: transition.guard } } as const] : []),
        ...(notBy ? [{ type: 'actorIsNot', params: { field: notBy } } as const] : []),
      ],
    });
  }
  // RETRY and a failure never leave the stage: they only run again or park.
  events.set('RETRY', { checks: [{ type: 'mayRecover', params: { event: 'RETRY' } }], stays: true });
  events.set('ACTIVITY_FAILED', { checks: [{ type: 'awaitsActivity' }], stays: true });
  events.set('SKIP', { checks: [{ type: 'mayRecover', params: { event: 'SKIP' } }] });
  events.set('ACTIVITY_DONE', { checks: [{ type: 'awaitsActivity' }] });
  events.set('TIMER_FIRED', { checks: [{ type: 'awaitsTimer' }] });
  // An SLA breach never moves the journey: it is recorded, and may widen who decides the checkpoint.
  events.set('SLA_BREACHED', { checks: [{ type: 'slaOpen' }], stays: true });
  // Auto policies confirm without an event, as soon as the checkpoint is pending.
  return { events, auto: hasAutoPolicy(spec) ? { checks: [{ type: 'autoConfirms' }] } : null };
}

const hasAutoPolicy = (spec: StageDefinition): boolean => spec.checkpoint.auto !== undefined && spec.checkpoint.auto !== false;

export interface CompileOptions {
  /** Run the undos on abandoning exits (off only to replay journeys started before compensation). */
  compensation?: boolean;
}

/**
 * Compiles `def`, which was validated where it entered: the workflow does not load the schemas.
 * Stages are flat states that only run their entry; the root holds every transition, once per
 * target stage (xstate targets are static) plus one that stays, shared by all events and stages.
 * The guards look up the current stage's rules and the reaction decides which branch holds, so
 * guard and action agree by construction. A branch per stage, event and target gave the default
 * process 344 transitions instead of 36, and every cached journey holds its machine.
 */
export function compileProcess(def: ProcessDefinition, options: CompileOptions = {}) {
  const process = options.compensation === false ? def : withCompensation(def);
  const { setup: journey, actions } = journeySetup(process);
  const stages = [...Object.keys(process.stages), ...process.final];
  const targets = [...new Set(Object.keys(process.stages).flatMap((stage) => targetsOf(process, stage)))];
  const holds = (params: Branch) => ({ type: 'holds', params }) as const;
  const branches = (auto: boolean) => [
    ...targets.map((target) => ({ guard: holds({ auto, leadsTo: target }), target: `.${target}`, actions: auto ? actions.auto : actions.event })),
    { guard: holds({ auto }), actions: auto ? actions.auto : actions.event },
  ];
  return journey.createMachine({
    id: process.key,
    initial: process.initial,
    context: ({ input }) => initialContext(process, input),
    // The definition travels with the machine for allowedEvents().
    meta: { process },
    on: { '*': branches(false) },
    always: Object.values(process.stages).some(hasAutoPolicy) ? branches(true) : [],
    states: Object.fromEntries(
      stages.map((stage) => {
        const entry = { type: 'enter', params: { stage } } as const;
        return [stage, isFinal(process, stage) ? { type: 'final', entry } : { entry }];
      }),
    ),
  });
}

export type JourneyMachine = ReturnType<typeof compileProcess>;

export function definitionOf(machine: JourneyMachine): ProcessDefinition {
  return (machine.config.meta as { process: ProcessDefinition }).process;
}
