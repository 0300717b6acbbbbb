// The API's only way into Temporal: start a journey (update-with-start, so the answer carries the
// stage after lead capture), send events and confirmations as updates, read the live state. Every
// call has a deadline, so a missing worker is a 503 and never a hanging request.
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy, type WorkflowHandle } from '@temporalio/client';
import type { LeadInput, ProcessDefinition } from '../machines/index';
import type { journeyWorkflow } from '../workflows/journey';
import { confirmUpdate, reassignUpdate, settledUpdate, stateQuery, transitionUpdate, type ConfirmRequest, type JourneyState, type ReassignRequest, type TransitionRequest } from '../workflows/messages';
import type { ApiDeps } from './deps';

/** Updates wait up to ~10 s for the stage's activities to settle. */
const UPDATE_DEADLINE_MS = 25_000;
const QUERY_DEADLINE_MS = 5_000;

export const workflowIdOf = (journeyId: string) => `journey-${journeyId}`;

function handle(deps: ApiDeps, journeyId: string): WorkflowHandle<typeof journeyWorkflow> {
  return deps.temporal.workflow.getHandle<typeof journeyWorkflow>(workflowIdOf(journeyId));
}

function within<T>(deps: ApiDeps, ms: number, fn: () => Promise<T>): Promise<T> {
  return deps.temporal.withDeadline(Date.now() + ms, fn);
}

/** Starts the journey (or finds it running) and waits for the lead stage's activities. */
export function startJourney(deps: ApiDeps, input: { journeyId: string; definition: ProcessDefinition; lead: LeadInput }, roles: string[]): Promise<JourneyState> {
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof journeyWorkflow>('journeyWorkflow', {
    workflowId: workflowIdOf(input.journeyId),
    taskQueue: deps.taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  return within(deps, UPDATE_DEADLINE_MS, () => deps.temporal.workflow.executeUpdateWithStart(settledUpdate, { args: [roles], startWorkflowOperation }));
}

/** Starts the journey without waiting for it (bulk imports). */
export async function startJourneyDetached(deps: ApiDeps, input: { journeyId: string; definition: ProcessDefinition; lead: LeadInput }): Promise<void> {
  await within(deps, QUERY_DEADLINE_MS, () =>
    deps.temporal.workflow.start('journeyWorkflow', {
      workflowId: workflowIdOf(input.journeyId),
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    }),
  );
}

export function sendEvent(deps: ApiDeps, journeyId: string, request: TransitionRequest, updateId?: string): Promise<JourneyState> {
  return within(deps, UPDATE_DEADLINE_MS, () => handle(deps, journeyId).executeUpdate(transitionUpdate, { args: [request], ...(updateId ? { updateId } : {}) }));
}

export function sendReassign(deps: ApiDeps, journeyId: string, request: ReassignRequest): Promise<JourneyState> {
  return within(deps, UPDATE_DEADLINE_MS, () => handle(deps, journeyId).executeUpdate(reassignUpdate, { args: [request] }));
}

export function sendConfirmation(deps: ApiDeps, journeyId: string, request: ConfirmRequest): Promise<JourneyState> {
  return within(deps, UPDATE_DEADLINE_MS, () => handle(deps, journeyId).executeUpdate(confirmUpdate, { args: [request] }));
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
