// The only actions a journey machine returns for the workflow to execute. Everything else the
// machine does is a pure context update.
import type { ActivityName } from './activityNames.js';
import type { ActivityInput } from './schema/activityCatalogue.js';
import { addDuration } from './duration.js';
import type { RetryPolicy } from './schema/processDefinition.js';

export type RunActivityParams = {
  [A in ActivityName]: {
    activity: A;
    /** Unique per journey and execution need; a RETRY reuses it (the activity's idempotency key). */
    step: string;
    input: ActivityInput<A>;
    retry: RetryPolicy;
  };
}[ActivityName];

export interface StartTimerParams {
  /** Unique per stage visit. */
  timer: string;
  /** ISO-8601 duration. */
  delay: string;
  /** ISO time the delay counts from. */
  anchor?: string;
}

export interface CancelTimerParams {
  timer: string;
}

export type JourneyEffect =
  { type: 'runActivity'; params: RunActivityParams } | { type: 'startTimer'; params: StartTimerParams } | { type: 'cancelTimer'; params: CancelTimerParams };

/** When a timer fires: its delay after its anchor (else after `now`), months on the calendar. */
export function timerFiresAt(params: StartTimerParams, now: string): number {
  return addDuration(Date.parse(params.anchor ?? now), params.delay).getTime();
}
