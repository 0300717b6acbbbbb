// Drives journeys on the real dev server the way the API does: start with USE_EXISTING, send
// events and confirmations as updates, read the state query.
import { WorkflowIdConflictPolicy, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { withUpdateId } from '../../api/journeyClient';
import { validatedProcess, type LeadInput, type ProcessDefinition } from '../../machines/index';
import type { journeyWorkflow } from '../../workflows/journey';
import { confirmUpdate, stateQuery, transitionUpdate, type Actor, type JourneyState, type RefusalDetails } from '../../workflows/messages';

export type JourneyHandle = WorkflowHandle<typeof journeyWorkflow>;

export const actors = {
  rep: { id: 'u-rep-1', roles: ['sales_rep'] },
  otherRep: { id: 'u-rep-2', roles: ['sales_rep'] },
  manager: { id: 'u-mgr-1', roles: ['sales_manager'] },
  warehouse: { id: 'u-wh-1', roles: ['warehouse'] },
  finance: { id: 'u-fin-1', roles: ['finance'] },
  ops: { id: 'u-ops-1', roles: ['ops'] },
} satisfies Record<string, Actor>;

let counter = 0;
export function uniqueLead(overrides: Partial<LeadInput> = {}): LeadInput {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    source: 'web_form',
    name: `Ada ${n}`,
    email: `ada.${n}@example-${n}.com`,
    company: `Company ${n}`,
    companySize: 250,
    country: 'DE',
    productInterest: 'platform',
    ...overrides,
  };
}

export async function startJourney(
  client: Client,
  taskQueue: string,
  definition: ProcessDefinition,
  lead: LeadInput,
  extra: { continueAsNewAfterEvents?: number } = {},
): Promise<JourneyHandle> {
  validatedProcess(definition); // as the API does before a start
  const journeyId = `t-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  return client.workflow.start('journeyWorkflow', {
    taskQueue,
    workflowId: `journey-${journeyId}`,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ journeyId, definition, lead, ...extra }],
  }) as Promise<JourneyHandle>;
}

// As the API does: an update a closing run dropped is sent again with its id (applied once).
export function send(handle: JourneyHandle, actor: Actor, type: string, data?: unknown): Promise<JourneyState> {
  return withUpdateId(undefined, (updateId) =>
    handle.executeUpdate(transitionUpdate, { args: [{ type, actor, ...(data === undefined ? {} : { data }) }], updateId }),
  );
}

/** Decides the checkpoint of `stage` (the one the caller saw waiting). */
export function confirm(
  handle: JourneyHandle,
  actor: Actor,
  stage: string,
  decision: 'approve' | 'reject' = 'approve',
  note?: string,
  updateId?: string,
): Promise<JourneyState> {
  return withUpdateId(updateId, (id) => handle.executeUpdate(confirmUpdate, { args: [{ stage, decision, actor, ...(note ? { note } : {}) }], updateId: id }));
}

export function state(handle: JourneyHandle, roles?: string[]): Promise<JourneyState> {
  return handle.query(stateQuery, roles);
}

/** Polls the state query until `until` holds; throws with the last state after `timeoutMs`. */
export async function waitForState(handle: JourneyHandle, until: (s: JourneyState) => boolean, timeoutMs = 60_000): Promise<JourneyState> {
  const deadline = Date.now() + timeoutMs;
  let last: JourneyState | undefined;
  for (;;) {
    // While no worker is up (a chaos test killed it), a query times out: ask again.
    last =
      (await state(handle).catch((error: Error) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      })) ?? last;
    if (last && until(last)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `journey ${handle.workflowId} did not get there; last state: ${JSON.stringify(last && { stage: last.stage, status: last.status, parked: last.parked })}`,
      );
    await sleep(100);
  }
}

export function waitForStage(handle: JourneyHandle, stage: string, timeoutMs?: number): Promise<JourneyState> {
  return waitForState(handle, (s) => s.stage === stage && s.status !== 'running', timeoutMs);
}

/** Reads until `ok` holds (projections are written asynchronously by the workflow). */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

/** The refusal an update's validator answered with: its type and details. */
export async function refusalOf(promise: Promise<unknown>): Promise<{ type: string | undefined; details: RefusalDetails }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  const failure = cause as ApplicationFailure;
  return { type: failure.type ?? undefined, details: failure.details?.[0] as RefusalDetails };
}
