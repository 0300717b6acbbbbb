// A plain-JSON summary of where a journey stands, for the workflow's query, the API and the console.
import type { Money } from './schema/activityCatalogue.js';
import { creditHoldOf, type CreditHold } from './creditHold.js';
import { isFinal, stageDefinition } from './definitionLookup.js';
import { checkpointWaits, type JourneyContext, type JourneyStatus, type ParkedActivity } from './journeyContext.js';
import type { ProcessDefinition } from './schema/processDefinition.js';
import type { PendingCheckpoint } from './schema/journeyState.js';
import { slaWatches } from './sla.js';

export type { PendingCheckpoint };

export interface JourneyDescription {
  stage: string;
  status: JourneyStatus;
  final: boolean;
  pendingCheckpoint: PendingCheckpoint | null;
  parked: ParkedActivity | null;
  ownerId: string | null;
  /** The latest quote's total, then the order's (lines added included), then the amount still due. */
  amount: Money | null;
  stageEnteredAt: string;
  /** The earliest deadline of the stage's and the waiting checkpoint's SLAs, breached or not. */
  slaDueAt: string | null;
  /** What stops the checkpoint's approval until someone releases it (a credit hold). */
  hold: CreditHold | null;
}

export function describeJourney(def: ProcessDefinition, snapshot: { value: unknown; context: JourneyContext }): JourneyDescription {
  const stage = String(snapshot.value);
  const { context } = snapshot;
  const checkpoint = stageDefinition(def, stage)?.checkpoint;
  const pending = checkpoint !== undefined && checkpointWaits(context.status);
  const deadlines = slaWatches(def, context)
    .map((w) => w.deadline)
    .sort();
  return {
    stage,
    status: context.status,
    final: isFinal(def, stage),
    pendingCheckpoint: pending
      ? {
          stage,
          role: checkpoint.role ?? null,
          approveEvent: checkpoint.approve,
          rejectEvent: checkpoint.reject ?? null,
          since: context.statusSince,
        }
      : null,
    parked: context.parked,
    ownerId: context.ownerId,
    amount: context.amountDue ?? context.results.createOrder?.total ?? context.results.priceQuote?.total ?? null,
    stageEnteredAt: context.stageEnteredAt,
    slaDueAt: deadlines[0] ?? null,
    hold: creditHoldOf(def, { ...context, stage }),
  };
}
