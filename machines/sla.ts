// SLAs of a stage visit (DESIGN.md section 7.2): the stage's `sla` counts from stage entry, its
// checkpoint's from when the checkpoint began to wait, each wait afresh. A deadline is an instant
// computed from instants the journey holds, so it stays put across continue-as-new. The workflow
// runs a timer per open watch; its breach is recorded here, once per watch.
import { stageDefinition } from './definitionLookup.js';
import { addDuration } from './duration.js';
import { checkpointWaits, type JourneyContext } from './journeyContext.js';
import type { ProcessDefinition } from './schema/processDefinition.js';
import { visitPrefix } from './stageRun.js';

export interface SlaWatch {
  /** Unique in the journey: `stage#visit:sla`, or `stage#visit:checkpoint-sla@<since>` per wait. */
  key: string;
  scope: 'stage' | 'checkpoint';
  stage: string;
  /** ISO-8601 duration. */
  sla: string;
  /** ISO time it counts from. */
  since: string;
  /** ISO time it is breached at. */
  deadline: string;
}

export interface SlaBreach extends SlaWatch {
  at: string;
}

/** The SLAs counting now in the journey's stage, breached or not. */
export function slaWatches(def: ProcessDefinition, context: JourneyContext): SlaWatch[] {
  const spec = stageDefinition(def, context.stage);
  if (!spec) return [];
  const visit = visitPrefix(context);
  const watch = (scope: SlaWatch['scope'], key: string, sla: string, since: string): SlaWatch => ({
    key,
    scope,
    stage: context.stage,
    sla,
    since,
    deadline: addDuration(Date.parse(since), sla).toISOString(),
  });
  const watches: SlaWatch[] = [];
  if (spec.sla) watches.push(watch('stage', `${visit}:sla`, spec.sla, context.stageEnteredAt));
  if (spec.checkpoint.sla && checkpointWaits(context.status)) {
    watches.push(watch('checkpoint', `${visit}:checkpoint-sla@${context.statusSince}`, spec.checkpoint.sla, context.statusSince));
  }
  return watches;
}

/** The watches not yet breached: each breaches once. */
export function openSlaWatches(def: ProcessDefinition, context: JourneyContext): SlaWatch[] {
  const breached = new Set(context.slaBreaches.map((b) => b.key));
  return slaWatches(def, context).filter((w) => !breached.has(w.key));
}

/** After a breach in this stage visit, the checkpoint's `escalateTo` role may decide it too. */
export function escalated(context: JourneyContext): boolean {
  return context.slaBreaches.length > 0;
}

/** Records the breach of the open watch `key`; anything else (a watch ended or breached) changes nothing. */
export function recordBreach(def: ProcessDefinition, context: JourneyContext, key: string): JourneyContext {
  const watch = openSlaWatches(def, context).find((w) => w.key === key);
  return watch ? { ...context, slaBreaches: [...context.slaBreaches, { ...watch, at: context.now }] } : context;
}
