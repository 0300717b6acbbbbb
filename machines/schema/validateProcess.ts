// Static validation of a process definition: the schema first, then every reference and rule
// the schema cannot express, each error with the path of the offending part.
import { activityNames } from '../activityNames.js';
import { abandoningEvents, effectsByStage } from '../compensation.js';
import { durationToMs } from '../duration.js';
import { isPayloadEvent, recoveryEventTypes, vocabularyEventTypes } from '../events.js';
import { fieldSpec } from '../fields.js';
import { durationPolicies, levelPolicy, numericPolicies } from '../policies.js';
import { graphErrors } from './processGraph.js';
import {
  comparisonOps,
  processDefinitionSchema,
  type ActivityStep,
  type Guard,
  type ProcessDefinition,
  type StageDefinition,
  type TimerDefinition,
  type TransitionDefinition,
} from './processDefinition.js';

export interface ValidationError {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; process: ProcessDefinition } | { ok: false; errors: ValidationError[] };

/** A definition that fails validation where it enters (publish, a journey's start). */
export class InvalidProcessDefinitionError extends Error {
  readonly code = 'invalid_process_definition';
  constructor(readonly errors: readonly ValidationError[]) {
    super(`invalid process definition: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'InvalidProcessDefinitionError';
  }
}

type Report = (path: string, message: string) => void;

const includes = (list: readonly string[], value: string): boolean => list.includes(value);

function checkGuard(guard: Guard, path: string, report: Report): void {
  if ('all' in guard) return guard.all.forEach((g, i) => checkGuard(g, `${path}.all.${i}`, report));
  if ('any' in guard) return guard.any.forEach((g, i) => checkGuard(g, `${path}.any.${i}`, report));
  if ('not' in guard) return checkGuard(guard.not, `${path}.not`, report);
  const spec = fieldSpec(guard.field);
  if (!spec) return report(`${path}.field`, `unknown field "${guard.field}"`);
  const hasValue = guard.value !== undefined;
  const hasPolicy = guard.policy !== undefined;
  if (!includes(comparisonOps, guard.op)) {
    if (hasValue || hasPolicy) report(`${path}.op`, `"${guard.op}" takes neither value nor policy`);
    return;
  }
  if (hasValue === hasPolicy) return report(`${path}.op`, `"${guard.op}" needs exactly one of value or policy`);
  if (guard.policy !== undefined && !includes(numericPolicies, guard.policy)) {
    return report(`${path}.policy`, `unknown numeric policy "${guard.policy}" (one of ${numericPolicies.join(', ')})`);
  }
  const ordered = guard.op === 'gt' || guard.op === 'gte' || guard.op === 'lt' || guard.op === 'lte';
  if (ordered && spec.type !== 'number') report(`${path}.op`, `"${guard.op}" compares numbers; "${guard.field}" is a ${spec.type}`);
  if (guard.op === 'in' && !Array.isArray(guard.value)) report(`${path}.value`, '"in" takes a list of values');
  if (guard.op !== 'in' && Array.isArray(guard.value)) report(`${path}.value`, `"${guard.op}" takes a single value`);
}

function checkActivities(steps: readonly ActivityStep[] | undefined, path: string, report: Report): void {
  const seen = new Set<string>();
  steps?.forEach((step, i) => {
    if (!includes(activityNames, step.activity)) {
      report(`${path}.${i}.activity`, `"${step.activity}" is not in the activity catalogue`);
    } else if (seen.has(step.activity)) {
      report(`${path}.${i}.activity`, `duplicate activity "${step.activity}" in one run (steps would collide)`);
    }
    seen.add(step.activity);
    if (step.when) checkGuard(step.when, `${path}.${i}.when`, report);
  });
}

/** What transitions and timers share: mark, run, then a target or guarded branches. */
function checkReaction(def: ProcessDefinition, r: TransitionDefinition | TimerDefinition, path: string, report: Report): void {
  const known = (stage: string) => Object.hasOwn(def.stages, stage) || def.final.includes(stage);
  if (r.target !== undefined && !known(r.target)) report(`${path}.target`, `unknown stage "${r.target}"`);
  if (r.target !== undefined && r.then !== undefined) report(`${path}.then`, 'use either target or then, not both');
  r.then?.forEach((branch, i) => {
    if (!known(branch.target)) report(`${path}.then.${i}.target`, `unknown stage "${branch.target}"`);
    if (branch.when) checkGuard(branch.when, `${path}.then.${i}.when`, report);
  });
  if (r.mark !== undefined && !fieldSpec(r.mark)?.markable) report(`${path}.mark`, `"${r.mark}" is not a markable field`);
  checkActivities(r.run, `${path}.run`, report);
  if (r.target === undefined && r.then === undefined && r.run === undefined && r.mark === undefined) {
    report(path, 'does nothing: give it a target, then, run or mark');
  }
}

function checkTransition(def: ProcessDefinition, stage: StageDefinition, event: string, path: string, report: Report): void {
  const transition = stage.on[event];
  if (!transition) return;
  if (includes(recoveryEventTypes, event)) return report(path, `${event} is built in for parked activities; set its roles in recovery`);
  if (!includes(vocabularyEventTypes, event)) return report(path, `unknown event "${event}"`);
  checkReaction(def, transition, path, report);
  if (transition.guard) checkGuard(transition.guard, `${path}.guard`, report);
  const { checkpoint } = stage;
  const ownEvent = event === checkpoint.approve || event === checkpoint.reject;
  const roles = transition.roles ?? (ownEvent && checkpoint.role ? [checkpoint.role] : []);
  const systemOnly = event === checkpoint.approve && checkpoint.auto !== undefined && checkpoint.auto !== false;
  if (roles.length === 0 && !systemOnly) report(`${path}.roles`, `no role may send ${event}`);
  if (transition.interrupts && (transition.target === undefined || transition.run !== undefined)) {
    report(`${path}.interrupts`, 'an interrupting event needs a plain target and no run');
  }
}

function checkCheckpoint(stage: StageDefinition, name: string, report: Report): void {
  const { checkpoint } = stage;
  const path = `stages.${name}.checkpoint`;
  if (checkpoint.role === undefined && (checkpoint.auto === undefined || checkpoint.auto === false)) {
    report(path, 'a checkpoint needs a role, an auto policy, or both');
  }
  if (!Object.hasOwn(stage.on, checkpoint.approve)) report(`${path}.approve`, `no transition for ${checkpoint.approve}`);
  if (checkpoint.reject !== undefined && !Object.hasOwn(stage.on, checkpoint.reject)) {
    report(`${path}.reject`, `no transition for ${checkpoint.reject}`);
  }
  if (checkpoint.reject === checkpoint.approve) report(`${path}.reject`, 'approve and reject must differ');
  if (checkpoint.notBy !== undefined && fieldSpec(checkpoint.notBy)?.type !== 'string') {
    report(`${path}.notBy`, `unknown person field "${checkpoint.notBy}"`);
  }
  if (typeof checkpoint.auto === 'object') checkGuard(checkpoint.auto, `${path}.auto`, report);
  if (checkpoint.escalateTo !== undefined && checkpoint.sla === undefined && stage.sla === undefined) {
    report(`${path}.escalateTo`, 'escalation follows an SLA breach: give the checkpoint or its stage an sla');
  }
  const approve = stage.on[checkpoint.approve];
  if (checkpoint.auto !== undefined && checkpoint.auto !== false && approve) {
    // The engine confirms as soon as the policy holds: unless it always moves on, it would loop.
    const branches = approve.then ?? [];
    const alwaysMoves =
      approve.target !== undefined
        ? approve.target !== name
        : branches.length > 0 && branches.at(-1)?.when === undefined && branches.every((b) => b.target !== name);
    if (!alwaysMoves) {
      report(
        `${path}.auto`,
        `auto-confirming needs a target to another stage on ${checkpoint.approve} (or branches to other stages ending with one without when)`,
      );
    }
    if (isPayloadEvent(checkpoint.approve)) report(`${path}.auto`, `${checkpoint.approve} carries data the system cannot supply`);
  }
}

function checkTimers(def: ProcessDefinition, name: string, timers: readonly TimerDefinition[], report: Report): void {
  const seen = new Set<string>();
  let levelTimers = 0;
  timers.forEach((timer, i) => {
    const path = `stages.${name}.after.${i}`;
    if (seen.has(timer.name)) report(`${path}.name`, `duplicate timer name "${timer.name}"`);
    seen.add(timer.name);
    if (timer.target === name) report(`${path}.target`, 'a timer may not restart its own stage');
    if (typeof timer.delay !== 'string') {
      const { policy } = timer.delay;
      if (policy === levelPolicy) levelTimers += 1;
      else if (!includes(durationPolicies, policy)) {
        report(`${path}.delay.policy`, `unknown duration policy "${policy}" (one of ${[...durationPolicies, levelPolicy].join(', ')})`);
      }
    }
    if (timer.anchor !== undefined && fieldSpec(timer.anchor)?.type !== 'time') {
      report(`${path}.anchor`, `"${timer.anchor}" is not a time field`);
    }
    if (timer.repeat !== undefined) {
      if (timer.target !== undefined || timer.then !== undefined) report(`${path}.repeat`, 'a repeating timer stays in its stage: remove its target and then');
      if (typeof timer.delay !== 'string' && timer.delay.policy === levelPolicy)
        report(`${path}.repeat`, `a ${levelPolicy} timer repeats by its levels already`);
    }
    checkReaction(def, timer, path, report);
  });
  if (levelTimers > 1) report(`stages.${name}.after`, `at most one timer per stage may follow the ${levelPolicy} policy`);
}

function checkPolicies(def: ProcessDefinition, report: Report): void {
  const { policies } = def;
  if (policies.sqlThreshold < policies.mqlThreshold) report('policies.sqlThreshold', 'must not be below mqlThreshold');
  policies.dunning.forEach((level, i) => {
    const previous = policies.dunning[i - 1];
    if (policies.dunning.findIndex((l) => l.level === level.level) !== i) {
      report(`policies.dunning.${i}.level`, `duplicate dunning level ${level.level}`);
    } else if (previous && level.level < previous.level) {
      report(`policies.dunning.${i}.level`, 'levels must ascend');
    }
    // The schema has checked both durations by now.
    if (previous && durationToMs(level.offset) <= durationToMs(previous.offset)) report(`policies.dunning.${i}.offset`, 'offsets must increase with the level');
  });
}

/** Abandoning a journey must undo what it changed: no CANCEL, DECLINE, LOSE or WRITE_OFF may opt out. */
function checkCompensation(def: ProcessDefinition, report: Report): void {
  const effects = effectsByStage(def);
  for (const [name, stage] of Object.entries(def.stages)) {
    const done = activityNames.filter((a) => effects.get(name)?.has(a));
    if (done.length === 0) continue;
    for (const [event, transition] of Object.entries(stage.on)) {
      if (!includes(abandoningEvents, event) || transition.compensate !== false) continue;
      report(`stages.${name}.on.${event}.compensate`, `${event} leaves "${name}", where ${done.join(', ')} may have run, without undoing them`);
    }
  }
}

/** The checks after the schema's: references, rules and the graph. */
/** A label names a final stage or an event the definition has: one for something else is a typo. */
function checkLabels(def: ProcessDefinition, report: Report): void {
  for (const stage of Object.keys(def.finalLabels ?? {})) {
    if (!def.final.includes(stage)) report(`finalLabels.${stage}`, `"${stage}" is not a final stage (label other stages in their own "label")`);
  }
  // RETRY and SKIP (a parked activity) are every definition's.
  const events = new Set(['RETRY', 'SKIP', ...Object.values(def.stages).flatMap((s) => Object.keys(s.on))]);
  for (const event of Object.keys(def.eventLabels ?? {})) {
    if (!events.has(event)) report(`eventLabels.${event}`, `no stage has the event ${event}`);
  }
}

export function semanticErrors(def: ProcessDefinition): ValidationError[] {
  const errors: ValidationError[] = [];
  const report: Report = (path, message) => errors.push({ path, message });
  def.final.forEach((stage, i) => {
    if (def.final.indexOf(stage) !== i) report(`final.${i}`, `duplicate final stage "${stage}"`);
    if (Object.hasOwn(def.stages, stage)) report(`stages.${stage}`, `"${stage}" is both a final stage and a stage with a checkpoint`);
  });
  if (!Object.hasOwn(def.stages, def.initial)) report('initial', `unknown stage "${def.initial}" (the initial stage needs a checkpoint)`);
  checkPolicies(def, report);
  for (const [name, stage] of Object.entries(def.stages)) {
    checkCheckpoint(stage, name, report);
    checkActivities(stage.entry, `stages.${name}.entry`, report);
    if (stage.wait?.when) checkGuard(stage.wait.when, `stages.${name}.wait.when`, report);
    for (const event of Object.keys(stage.on)) checkTransition(def, stage, event, `stages.${name}.on.${event}`, report);
    checkTimers(def, name, stage.after ?? [], report);
  }
  checkCompensation(def, report);
  checkLabels(def, report);
  errors.push(...graphErrors(def));
  return errors;
}

export function validateProcess(def: unknown): ValidationResult {
  const parsed = processDefinitionSchema.safeParse(def);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    };
  }
  const errors = semanticErrors(parsed.data);
  return errors.length === 0 ? { ok: true, process: parsed.data } : { ok: false, errors };
}

/** `def` once it is valid, for where definitions enter; throws InvalidProcessDefinitionError. */
export function validatedProcess(def: ProcessDefinition): ProcessDefinition {
  const checked = validateProcess(def);
  if (!checked.ok) throw new InvalidProcessDefinitionError(checked.errors);
  return checked.process;
}
