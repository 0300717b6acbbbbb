// Inside one stage visit: run activities in sequence, start timers, settle at the checkpoint, or
// decide to leave. Pure functions from context to a Reaction; the compiled machine applies them.
import type { ActivityName } from './activityNames.js';
import { buildActivityInput } from './activityIO.js';
import { holds } from './conditions.js';
import { planOf, stageDefinition, timerOf, transitionOf } from './definitionLookup.js';
import type { JourneyEffect } from './effects.js';
import { readField } from './fields.js';
import type { ActiveRun, ActiveTimer, ActivityError, JourneyContext, JourneyStatus, RunOrigin } from './journeyContext.js';
import { levelPolicy } from './policies.js';
import type { ActivityStep, ProcessDefinition, TimerDefinition, TransitionDefinition } from './schema/processDefinition.js';

export interface Reaction {
  context: JourneyContext;
  effects: JourneyEffect[];
  /** The stage to move to; null to stay. */
  target: string | null;
}

export const stay = (context: JourneyContext, effects: JourneyEffect[] = []): Reaction => ({
  context,
  effects,
  target: null,
});

const prepend = (effects: JourneyEffect[], reaction: Reaction): Reaction => ({
  ...reaction,
  effects: [...effects, ...reaction.effects],
});

function withStatus(context: JourneyContext, status: JourneyStatus): JourneyContext {
  return context.status === status ? context : { ...context, status, statusSince: context.now };
}

export function park(context: JourneyContext, run: ActiveRun, error: ActivityError): JourneyContext {
  const parked = { activity: run.activity, step: run.step, error, since: context.now };
  return withStatus({ ...context, run, parked }, 'parked');
}

export function mark(context: JourneyContext, field: string): JourneyContext {
  return { ...context, marks: { ...context.marks, [field]: context.now } };
}

export const levelOf = (origin: RunOrigin): number | null => (origin.kind === 'timer' ? origin.level : null);

function runActivityEffect(run: ActiveRun & { input: NonNullable<ActiveRun['input']> }): JourneyEffect {
  const params = { activity: run.activity, step: run.step, input: run.input, retry: run.retry };
  // The catalogue keeps activity and input paired; TypeScript cannot correlate the two unions.
  return { type: 'runActivity', params: params as Extract<JourneyEffect, { type: 'runActivity' }>['params'] };
}

/** `stage#visit`: what names a stage visit's steps, timers and SLAs. */
export const visitPrefix = (context: JourneyContext): string => `${context.stage}#${context.visits[context.stage] ?? 1}`;

/** `stage#visit:activity`, plus `#n` per event-run, `#Ln` per level, `#timer` per plain timer (`#timer#Rn` per repeat). */
function nameStep(context: JourneyContext, origin: RunOrigin, activity: ActivityName) {
  const base = `${visitPrefix(context)}:${activity}`;
  if (origin.kind === 'entry') return { context, step: base };
  if (origin.kind === 'timer') {
    if (origin.level !== null) return { context, step: `${base}#L${origin.level}` };
    return { context, step: (origin.round ?? 1) > 1 ? `${base}#${origin.timer}#R${origin.round}` : `${base}#${origin.timer}` };
  }
  const count = (context.runCounts[activity] ?? 0) + 1;
  return { context: { ...context, runCounts: { ...context.runCounts, [activity]: count } }, step: `${base}#${count}` };
}

function startActivity(def: ProcessDefinition, context: JourneyContext, origin: RunOrigin, index: number, spec: ActivityStep): Reaction {
  const activity = spec.activity as ActivityName;
  const named = nameStep(context, origin, activity);
  const built = buildActivityInput(activity, named.context, def, levelOf(origin));
  const retry = spec.retry ?? def.policies.retry;
  const run: ActiveRun = { origin, index, activity, step: named.step, input: built.ok ? built.input : null, retry };
  if (!built.ok) return stay(park(named.context, run, built.error));
  return stay(withStatus({ ...named.context, run, parked: null }, 'running'), [runActivityEffect({ ...run, input: built.input })]);
}

/** Runs `run` again under its step; its input is rebuilt only if it could not be built before. */
export function rerun(def: ProcessDefinition, context: JourneyContext, run: ActiveRun): Reaction {
  const built = run.input !== null ? { ok: true as const, input: run.input } : buildActivityInput(run.activity, context, def, levelOf(run.origin));
  if (!built.ok) return stay(park(context, run, built.error));
  const next = { ...run, input: built.input };
  return stay(withStatus({ ...context, run: next, parked: null }, 'running'), [runActivityEffect(next)]);
}

/** Runs the origin's next activity from `index` whose `when` holds, or finishes the origin. */
export function runFrom(def: ProcessDefinition, context: JourneyContext, origin: RunOrigin, index: number): Reaction {
  const plan = planOf(def, context.stage, origin);
  for (let i = index; i < plan.length; i++) {
    const spec = plan[i];
    if (!spec || (spec.when && !holds(spec.when, context, def.policies))) continue;
    return startActivity(def, context, origin, i, spec);
  }
  return finishRun(def, { ...context, run: null, parked: null }, origin);
}

function isLevelTimer(timer: TimerDefinition): boolean {
  return typeof timer.delay !== 'string' && timer.delay.policy === levelPolicy;
}

function nextLevel(def: ProcessDefinition, level: number | null): number | null {
  const levels = def.policies.dunning.map((l) => l.level);
  if (level === null) return levels[0] ?? null;
  const at = levels.indexOf(level);
  return at >= 0 ? (levels[at + 1] ?? null) : null;
}

function timerDelay(def: ProcessDefinition, timer: TimerDefinition, level: number | null): string {
  if (typeof timer.delay === 'string') return timer.delay;
  const { policy } = timer.delay;
  if (policy === levelPolicy) return def.policies.dunning.find((l) => l.level === level)?.offset ?? 'PT0S';
  return policy === 'paymentTerms' || policy === 'quoteValidity' || policy === 'nurtureWindow' ? def.policies[policy] : 'PT0S';
}

function startTimer(def: ProcessDefinition, context: JourneyContext, timer: TimerDefinition, level: number | null, round = 1) {
  const base = `${visitPrefix(context)}:${timer.name}`;
  const id = level !== null ? `${base}#L${level}` : round > 1 ? `${base}#R${round}` : base;
  // A repeat counts from the firing before it, not from the anchor again.
  const anchorValue = timer.anchor && round === 1 ? readField(context, timer.anchor) : null;
  const anchor = typeof anchorValue === 'string' ? anchorValue : context.now;
  const active: ActiveTimer = { id, name: timer.name, level, ...(round > 1 ? { round } : {}), due: false };
  const effect: JourneyEffect = { type: 'startTimer', params: { timer: id, delay: timerDelay(def, timer, level), anchor } };
  return { context: { ...context, timers: [...context.timers, active] }, effect };
}

/** A fresh visit of `stage`: start its timers, then its entry activities. */
export function enterStage(def: ProcessDefinition, context: JourneyContext, stage: string): Reaction {
  const visits = { ...context.visits, [stage]: (context.visits[stage] ?? 0) + 1 };
  const next: JourneyContext = {
    ...context,
    stage,
    visits,
    status: 'running',
    statusSince: context.now,
    stageEnteredAt: context.now,
    runCounts: {},
    run: null,
    parked: null,
    timers: [],
    slaBreaches: [],
  };
  const spec = stageDefinition(def, stage);
  if (!spec) return stay(withStatus(next, 'done'));
  const started = startTimers(def, next, spec.after ?? []);
  return prepend(started.effects, runFrom(def, started.context, { kind: 'entry' }, 0));
}

/** Starts timers of the current stage visit (a level timer at the first level), from now or their anchor. */
export function startTimers(
  def: ProcessDefinition,
  context: JourneyContext,
  timers: readonly TimerDefinition[],
): { context: JourneyContext; effects: JourneyEffect[] } {
  let next = context;
  const effects: JourneyEffect[] = [];
  for (const timer of timers) {
    const started = startTimer(def, next, timer, isLevelTimer(timer) ? nextLevel(def, null) : null);
    next = started.context;
    effects.push(started.effect);
  }
  return { context: next, effects };
}

function chooseTarget(def: ProcessDefinition, context: JourneyContext, reaction: Pick<TransitionDefinition, 'target' | 'then'> | undefined): string | null {
  if (!reaction) return null;
  if (reaction.target) return reaction.target;
  const branch = reaction.then?.find((b) => b.when === undefined || holds(b.when, context, def.policies));
  return branch?.target ?? null;
}

/** Leaving cancels the visit's timers that have not fired. */
function leave(context: JourneyContext, target: string): Reaction {
  const effects: JourneyEffect[] = context.timers.filter((t) => !t.due).map((t) => ({ type: 'cancelTimer', params: { timer: t.id } }));
  return { context: { ...context, timers: [], run: null }, effects, target };
}

function moveOrSettle(def: ProcessDefinition, context: JourneyContext, reaction: Pick<TransitionDefinition, 'target' | 'then'> | undefined): Reaction {
  const target = chooseTarget(def, context, reaction);
  return target === null ? settle(def, context) : leave(context, target);
}

function finishRun(def: ProcessDefinition, context: JourneyContext, origin: RunOrigin): Reaction {
  if (origin.kind === 'entry') return settle(def, context);
  if (origin.kind === 'event') return moveOrSettle(def, context, transitionOf(def, context.stage, origin.event));
  const timer = timerOf(def, context.stage, origin.timer);
  const next = origin.level === null ? null : nextLevel(def, origin.level);
  if (timer && next !== null) {
    // Levels are chained, not started together, so they fire strictly in order.
    const started = startTimer(def, context, timer, next);
    return prepend([started.effect], settle(def, started.context));
  }
  const round = origin.round ?? 1;
  if (timer?.repeat !== undefined && round < timer.repeat) {
    const started = startTimer(def, context, timer, null, round + 1);
    return prepend([started.effect], settle(def, started.context));
  }
  return moveOrSettle(def, context, timer);
}

/** No activity in flight: the checkpoint is pending, unless a timer fired meanwhile. */
function settle(def: ProcessDefinition, context: JourneyContext): Reaction {
  const wait = stageDefinition(def, context.stage)?.wait;
  const waiting = wait !== undefined && (wait.when === undefined || holds(wait.when, context, def.policies));
  const settled = withStatus(context, waiting ? 'waiting' : 'awaiting_confirmation');
  const due = settled.timers.find((t) => t.due);
  return due ? fireTimer(def, settled, due) : stay(settled);
}

export function fireTimer(def: ProcessDefinition, context: JourneyContext, timer: ActiveTimer): Reaction {
  const spec = timerOf(def, context.stage, timer.name);
  let next: JourneyContext = { ...context, timers: context.timers.filter((t) => t.id !== timer.id) };
  if (spec?.mark) next = mark(next, spec.mark);
  return runFrom(def, next, { kind: 'timer', timer: timer.name, level: timer.level, ...(timer.round ? { round: timer.round } : {}) }, 0);
}
