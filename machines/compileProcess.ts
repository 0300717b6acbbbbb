// Compiles a definition validated where it entered (publish, start: schema/validateProcess.ts)
// to a flat xstate v5 machine: one state per stage, guards from
// the definition, and actions that only name side effects (runActivity, startTimer, cancelTimer)
// for the workflow to execute. Drive it with the pure initialTransition()/transition().
import { setup } from 'xstate';
import { actorIsNot, autoConfirms, awaitsActivity, awaitsTimer, guardHolds, mayRecover, phaseAccepts } from './acceptance.js';
import { withCompensation } from './compensation.js';
import { rolesFor, stageDefinition, targetsOf } from './definitionLookup.js';
import type { CancelTimerParams, RunActivityParams, StartTimerParams } from './effects.js';
import { hasValidPayload, isVocabularyEvent, type JourneyEvent, type VocabularyEvent } from './events.js';
import { initialContext, type JourneyContext, type JourneyInput } from './journeyContext.js';
import { autoConfirm, react } from './reactions.js';
import { rolePermits } from './roles.js';
import type { Guard, ProcessDefinition } from './schema/processDefinition.js';
import { escalated, openSlaWatches } from './sla.js';
import { enterStage, type Reaction } from './stageRun.js';

const hasActor = (event: VocabularyEvent): boolean => typeof event.actor === 'object' && event.actor !== null && Array.isArray(event.actor.roles);

function journeySetup(def: ProcessDefinition) {
  // Guards and actions evaluate the same reaction for one (context, event); keep the last one.
  let last: { context: JourneyContext; event: JourneyEvent; auto: boolean; reaction: Reaction } | null = null;
  const outcome = (context: JourneyContext, event: JourneyEvent, auto: boolean): Reaction => {
    if (last?.context === context && last.event === event && last.auto === auto) return last.reaction;
    const reaction = auto ? autoConfirm(def, context) : react(def, context, event);
    last = { context, event, auto, reaction };
    return reaction;
  };

  type Args = { context: JourneyContext; event: JourneyEvent };
  // Each check of a branch, in the order given; `holds` runs a branch's list with one guard object
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
  const rules = new Map([...Object.keys(def.stages)].map((stage) => [stage, eventRules(def, stage)]));
  const autoRule: EventRule = { checks: [{ type: 'autoConfirms' }] };

  const journey = setup({
    types: {} as { context: JourneyContext; events: JourneyEvent; input: JourneyInput },
    actions: {
      // Named effects only: the workflow executes them, the machine never does.
      runActivity: (_args, _params: RunActivityParams) => {},
      startTimer: (_args, _params: StartTimerParams) => {},
      cancelTimer: (_args, _params: CancelTimerParams) => {},
    },
    guards: {
      /** The stage takes the event (every check holds) and, with `leadsTo`, the reaction goes there. */
      holds: (args, params: Branch) => {
        const rule = params.auto ? autoRule : rules.get(params.stage)?.get(args.event.type);
        if (!rule || (params.leadsTo !== undefined && rule.stays) || !rule.checks.every((check) => passes(args, check))) return false;
        return params.leadsTo === undefined || outcome(args.context, args.event, params.auto).target === params.leadsTo;
      },
    },
  });
  // One action per kind, shared by every branch of every stage: the machine is built once per
  // cached workflow, so each closure here is paid per journey.
  const applyReaction = (auto: boolean) =>
    journey.enqueueActions(({ context, event, enqueue }) => {
      const reaction = outcome(context, event, auto);
      enqueue.assign(reaction.context);
      for (const effect of reaction.effects) enqueue(effect);
    });
  return { outcome, setup: journey, reactions: { auto: applyReaction(true), event: applyReaction(false) } };
}

type JourneySetup = ReturnType<typeof journeySetup>['setup'];
type StageConfig = Parameters<JourneySetup['createStateConfig']>[0];
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

/**
 * The guard of one branch: the event passes its stage's checks and, with `leadsTo`, the reaction
 * goes to that target.
 */
interface Branch {
  stage: string;
  /** An auto policy's branch (`always`), checked by `autoConfirms` whatever the event. */
  auto: boolean;
  leadsTo?: string;
}

/** How a stage takes each event it knows: the checks, and whether the event may move the journey. */
type EventRule = { checks: readonly Check[]; stays?: true };

function eventRules(def: ProcessDefinition, stage: string): Map<string, EventRule> {
  const spec = stageDefinition(def, stage);
  const rules = new Map<string, EventRule>();
  if (!spec) return rules;
  for (const [event, transition] of Object.entries(spec.on)) {
    const notBy = event === spec.checkpoint.approve ? spec.checkpoint.notBy : undefined;
    rules.set(event, {
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
  rules.set('RETRY', { checks: [{ type: 'mayRecover', params: { event: 'RETRY' } }], stays: true });
  rules.set('ACTIVITY_FAILED', { checks: [{ type: 'awaitsActivity' }], stays: true });
  rules.set('SKIP', { checks: [{ type: 'mayRecover', params: { event: 'SKIP' } }] });
  rules.set('ACTIVITY_DONE', { checks: [{ type: 'awaitsActivity' }] });
  rules.set('TIMER_FIRED', { checks: [{ type: 'awaitsTimer' }] });
  // An SLA breach never moves the journey: it is recorded, and may widen who decides the checkpoint.
  rules.set('SLA_BREACHED', { checks: [{ type: 'slaOpen' }], stays: true });
  return rules;
}

function stageConfig(def: ProcessDefinition, journey: ReturnType<typeof journeySetup>, stage: string): StageConfig {
  const { setup: s } = journey;
  const enter = s.enqueueActions(({ context, enqueue }) => {
    const entered = enterStage(def, context, stage);
    enqueue.assign(entered.context);
    for (const effect of entered.effects) enqueue(effect);
  });
  const spec = stageDefinition(def, stage);
  if (!spec) return s.createStateConfig({ type: 'final', entry: enter });

  const apply = (auto: boolean) => (auto ? journey.reactions.auto : journey.reactions.event);
  // One branch per possible target (xstate targets are static), then the branch that stays; the
  // reaction decides which holds, so guard and action agree by construction. Every event shares
  // them through the wildcard: a branch per event and target made the machine three times larger.
  const holds = (params: Branch) => ({ type: 'holds', params }) as const;
  const branches = (auto: boolean) => [
    ...targetsOf(def, stage).map((target) => ({ guard: holds({ stage, auto, leadsTo: target }), target, reenter: true, actions: apply(auto) })),
    { guard: holds({ stage, auto }), actions: apply(auto) },
  ];

  return s.createStateConfig({
    entry: enter,
    // Auto policies confirm without an event, as soon as the checkpoint is pending.
    always: spec.checkpoint.auto === undefined || spec.checkpoint.auto === false ? [] : branches(true),
    on: { '*': branches(false) },
  } as StageConfig);
}

export interface CompileOptions {
  /** Run the undos on abandoning exits (off only to replay journeys started before compensation). */
  compensation?: boolean;
}

/** Compiles `def`, which was validated where it entered: the workflow does not load the schemas. */
export function compileProcess(def: ProcessDefinition, options: CompileOptions = {}) {
  const process = options.compensation === false ? def : withCompensation(def);
  const journey = journeySetup(process);
  const stages = [...Object.keys(process.stages), ...process.final];
  return journey.setup.createMachine({
    id: process.key,
    initial: process.initial,
    context: ({ input }) => initialContext(process, input),
    // The definition travels with the machine for allowedEvents().
    meta: { process },
    states: Object.fromEntries(stages.map((stage) => [stage, stageConfig(process, journey, stage)])),
  });
}

export type JourneyMachine = ReturnType<typeof compileProcess>;

export function definitionOf(machine: JourneyMachine): ProcessDefinition {
  return (machine.config.meta as { process: ProcessDefinition }).process;
}
