// Moving running journeys from one version of a process to another (DESIGN.md section 7.2): a plan
// maps each stage of the old version to one of the new, and every journey gets a verdict from its
// own live state before anything moves. Pure logic, shared by the API (plans, dry runs) and the
// journey workflow (which judges again when the move comes, so a journey that drifted is refused).
import { stageDefinition, targetsOf } from './definitionLookup.js';
import type { ProcessDefinition } from './schema/processDefinition.js';

/** keep: a timer keeps its absolute deadline; restart: it runs again from the target's durations. */
export const timerPolicies = ['keep', 'restart'] as const;
export type TimerPolicy = (typeof timerPolicies)[number];

export const verdicts = [
  'ready',
  'ready_at_safe_point',
  'blocked_unmapped_stage',
  'blocked_checkpoint_changed',
  'blocked_no_path_to_final',
  'skipped_final',
] as const;
export type Verdict = (typeof verdicts)[number];

/** Old stage → new stage. */
export type StageMap = Record<string, string>;

/** What a verdict reads of a journey's live state. */
export interface LiveJourney {
  stage: string;
  status: string;
  /** The checkpoint the journey waits on, if any. */
  pendingCheckpoint: { role: string | null; approveEvent: string } | null;
}

export interface Judgement {
  verdict: Verdict;
  /** Why, in words, for anything but a plain `ready`. */
  reason?: string;
  /** The stage the journey moves to (ready verdicts). */
  target?: string;
}

/** Every stage of the old version that the new one has too, mapped to itself. */
export function prefilledStageMap(from: ProcessDefinition, to: ProcessDefinition): StageMap {
  return Object.fromEntries(
    Object.keys(from.stages)
      .filter((stage) => stageDefinition(to, stage) !== undefined)
      .map((stage) => [stage, stage]),
  );
}

/** The stages of `def` from which a final stage can be reached. */
export function stagesReachingFinal(def: ProcessDefinition): Set<string> {
  const stages = Object.keys(def.stages);
  const reaching = new Set(def.final);
  for (let grew = true; grew;) {
    grew = false;
    for (const stage of stages) {
      if (!reaching.has(stage) && targetsOf(def, stage).some((target) => reaching.has(target))) {
        reaching.add(stage);
        grew = true;
      }
    }
  }
  return reaching;
}

/** What is wrong with a stage map, each with its path: stages that do not exist, targets from which no journey can end. */
export function planErrors(from: ProcessDefinition, to: ProcessDefinition, stageMap: StageMap): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const reaching = stagesReachingFinal(to);
  for (const [source, target] of Object.entries(stageMap)) {
    const path = `stageMap.${source}`;
    if (!stageDefinition(from, source)) {
      errors.push({ path, message: `version ${from.version} has no stage "${source}"; its stages are ${Object.keys(from.stages).join(', ')}` });
    } else if (!stageDefinition(to, target)) {
      errors.push({ path, message: `version ${to.version} has no stage "${target}"; its stages are ${Object.keys(to.stages).join(', ')}` });
    } else if (!reaching.has(target) && !from.final.includes(source)) {
      errors.push({ path, message: `from "${target}" no final stage of version ${to.version} can be reached: a journey moved there could never end` });
    }
  }
  return errors;
}

/**
 * Where a journey stands with a plan. A journey whose activity is in flight (or parked, waiting for
 * retry or skip) moves at its next quiet point; one waiting on a checkpoint moves only if the
 * target's checkpoint asks the same role for the same event, so nobody's pending decision changes
 * under them.
 */
export function judge(journey: LiveJourney, from: ProcessDefinition, to: ProcessDefinition, stageMap: StageMap): Judgement {
  if (from.final.includes(journey.stage) || journey.status === 'done')
    return { verdict: 'skipped_final', reason: `"${journey.stage}" is final: the journey has ended` };
  const target = Object.hasOwn(stageMap, journey.stage) ? stageMap[journey.stage]! : undefined;
  if (target === undefined || !stageDefinition(to, target)) {
    return { verdict: 'blocked_unmapped_stage', reason: `the plan maps no stage of version ${to.version} to "${journey.stage}"` };
  }
  if (!stagesReachingFinal(to).has(target)) {
    return { verdict: 'blocked_no_path_to_final', reason: `from "${target}" no final stage of version ${to.version} can be reached`, target };
  }
  const waiting = journey.pendingCheckpoint;
  if (waiting) {
    const checkpoint = stageDefinition(to, target)!.checkpoint;
    if ((checkpoint.role ?? null) !== waiting.role || checkpoint.approve !== waiting.approveEvent) {
      return {
        verdict: 'blocked_checkpoint_changed',
        reason: `waits on ${waiting.role ?? 'nobody'} to send ${waiting.approveEvent}; in "${target}" of version ${to.version} it would be ${checkpoint.role ?? 'nobody'} sending ${checkpoint.approve}`,
        target,
      };
    }
  }
  if (journey.status === 'running') return { verdict: 'ready_at_safe_point', reason: 'an activity is in flight: the journey moves after its result', target };
  if (journey.status === 'parked')
    return { verdict: 'ready_at_safe_point', reason: 'an activity is parked: the journey moves once it is retried or skipped', target };
  return { verdict: 'ready', target };
}
