// The API's only way into Temporal: start a journey, send events and confirmations as updates, read
// the live state. Answers are fast and truthful: a request waits briefly for the stage to settle,
// then answers with where the journey is now (settled: false) and the client polls. Every call has
// a deadline, so a missing worker is an answer and never a hanging request.
import { randomUUID } from 'node:crypto';
import {
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  WorkflowIdConflictPolicy,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
  type WorkflowHandle,
  type WorkflowUpdateHandle,
} from '@temporalio/client';
import { validatedProcess, type LeadInput, type ProcessDefinition } from '../machines/index';
import type { journeyWorkflow } from '../workflows/journey';
import {
  confirmUpdate,
  reassignUpdate,
  settledUpdate,
  stateQuery,
  transitionUpdate,
  type ConfirmRequest,
  type JourneyState,
  type ReassignRequest,
  type TransitionRequest,
} from '../workflows/messages';
import type { ApiDeps } from './deps';

/** Accepting an update needs a worker: past this the answer is 503 (a retry is harmless). */
const ACCEPT_DEADLINE_MS = 10_000;
const QUERY_DEADLINE_MS = 5_000;
/** How long an answer waits for the stage's activities, so it comes within 2 s even when they are slow. */
const SETTLE_WAIT_MS = 1_500;

/** The journey's state, and whether its stage had settled (false: activities still run; poll GET). */
export type Answer = JourneyState & { settled: boolean };

export const workflowIdOf = (journeyId: string) => `journey-${journeyId}`;

function handle(deps: ApiDeps, journeyId: string): WorkflowHandle<typeof journeyWorkflow> {
  return deps.temporal.workflow.getHandle<typeof journeyWorkflow>(workflowIdOf(journeyId));
}

function within<T>(deps: ApiDeps, ms: number, fn: () => Promise<T>): Promise<T> {
  return deps.temporal.withDeadline(Date.now() + ms, fn);
}

/**
 * An update that reached a run in the very task in which it continued as new is dropped by the
 * server (FAILED_PRECONDITION): it was not applied, and the next run takes it. Sent again with the
 * same id, it is never applied twice (the journey remembers ids across runs).
 */
export function droppedByClosingRun(error: unknown): boolean {
  return failedPrecondition(error, /workflow task failure/i);
}

/**
 * The server refuses updates at once while the journey's workflow task has failed twice in a row
 * (a worker lost or too slow mid-task); the task's next attempt on a live worker ends it.
 */
export function workflowTaskFailing(error: unknown): boolean {
  return failedPrecondition(error, /workflow task in failed state/i);
}

function failedPrecondition(error: unknown, details: RegExp): boolean {
  const cause = error instanceof ServiceError ? error.cause : error;
  return isGrpcServiceError(cause) && cause.code === 9 && details.test(cause.details ?? '');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends an update, again with the same id when the server did not take it (see above): at most 6 tries, within 8 s. */
export async function withUpdateId<T>(updateId: string | undefined, send: (updateId: string) => Promise<T>): Promise<T> {
  const id = updateId ?? randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(id);
    } catch (error) {
      if (attempt >= 6) throw error;
      if (workflowTaskFailing(error)) await pause(250 * 2 ** (attempt - 1));
      else if (!droppedByClosingRun(error)) throw error;
    }
  }
}

function timedOut(error: unknown): boolean {
  return error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error);
}

/**
 * Starts the journey (or finds it running: the id comes from the Idempotency-Key) and waits briefly
 * for lead capture. Null when capture has not settled in time (slow, or no worker yet): the journey
 * was started all the same.
 */
export async function startJourney(
  deps: ApiDeps,
  input: { journeyId: string; definition: ProcessDefinition; lead: LeadInput },
  roles: string[],
): Promise<JourneyState | null> {
  await startJourneyDetached(deps, input);
  try {
    return await within(deps, SETTLE_WAIT_MS, () =>
      withUpdateId(undefined, (updateId) =>
        handle(deps, input.journeyId).executeUpdate<JourneyState, [string[]]>(settledUpdate.name, { args: [roles], updateId }),
      ),
    );
  } catch (error) {
    if (timedOut(error)) return null;
    throw error;
  }
}

/**
 * Starts the journey without waiting for it (bulk imports). The definition is validated here, where
 * it enters a journey: the workflow compiles it without loading the schemas.
 */
export async function startJourneyDetached(deps: ApiDeps, input: { journeyId: string; definition: ProcessDefinition; lead: LeadInput }): Promise<void> {
  validatedProcess(input.definition);
  await within(deps, QUERY_DEADLINE_MS, () =>
    deps.temporal.workflow.start('journeyWorkflow', {
      workflowId: workflowIdOf(input.journeyId),
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    }),
  );
}

/** The update's result when it comes within SETTLE_WAIT_MS; else the journey's state now. */
async function settledOrNow(deps: ApiDeps, journeyId: string, roles: string[], update: WorkflowUpdateHandle<JourneyState>): Promise<Answer> {
  try {
    return { ...(await within(deps, SETTLE_WAIT_MS, () => update.result())), settled: true };
  } catch (error) {
    if (!timedOut(error)) throw error;
  }
  return { ...(await liveState(deps, journeyId, roles)), settled: false };
}

/** An update id keeps a retry (same Idempotency-Key) from applying the event twice, even across runs. */
export async function sendEvent(deps: ApiDeps, journeyId: string, request: TransitionRequest, updateId?: string): Promise<Answer> {
  const update = await within(deps, ACCEPT_DEADLINE_MS, () =>
    withUpdateId(updateId, (id) =>
      handle(deps, journeyId).startUpdate(transitionUpdate, { args: [request], waitForStage: WorkflowUpdateStage.ACCEPTED, updateId: id }),
    ),
  );
  return settledOrNow(deps, journeyId, request.actor.roles, update);
}

export function sendReassign(deps: ApiDeps, journeyId: string, request: ReassignRequest): Promise<JourneyState> {
  return within(deps, ACCEPT_DEADLINE_MS, () =>
    withUpdateId(undefined, (updateId) => handle(deps, journeyId).executeUpdate(reassignUpdate, { args: [request], updateId })),
  );
}

export async function sendConfirmation(deps: ApiDeps, journeyId: string, request: ConfirmRequest, updateId?: string): Promise<Answer> {
  const update = await within(deps, ACCEPT_DEADLINE_MS, () =>
    withUpdateId(updateId, (id) =>
      handle(deps, journeyId).startUpdate(confirmUpdate, { args: [request], waitForStage: WorkflowUpdateStage.ACCEPTED, updateId: id }),
    ),
  );
  return settledOrNow(deps, journeyId, request.actor.roles, update);
}

export function liveState(deps: ApiDeps, journeyId: string, roles: string[]): Promise<JourneyState> {
  return within(deps, QUERY_DEADLINE_MS, () => handle(deps, journeyId).query(stateQuery, roles));
}

/** The final stage of a journey whose workflow has closed; null when it is running or unknown. */
export async function closedStage(deps: ApiDeps, journeyId: string): Promise<string | null> {
  try {
    return await within(deps, QUERY_DEADLINE_MS, async () => {
      const h = handle(deps, journeyId);
      const description = await h.describe();
      if (description.status.name === 'RUNNING') return null;
      if (description.status.name !== 'COMPLETED') return description.status.name.toLowerCase();
      return (await h.result()).stage;
    });
  } catch {
    return null;
  }
}
