// The journey's data as the machine holds it. Plain JSON only (null, never undefined), so a
// snapshot survives JSON persistence and restore unchanged.
import type { ActivityInput, ActivityName, ActivityResult, LeadInput, Money, QuoteLine } from './schema/activityCatalogue.js';
import type { EventPayload } from './schema/eventPayloads.js';
import type { ProcessDefinition, RetryPolicy } from './schema/processDefinition.js';
import type { Actor } from './roles.js';
import type { SlaBreach } from './sla.js';

/**
 * - `running`: an activity of the stage is in flight; only interrupting events (CANCEL) are accepted.
 * - `parked`: an activity failed its bounded retries; only RETRY, SKIP or CANCEL are accepted.
 * - `awaiting_confirmation`: the checkpoint waits on a person with its role.
 * - `waiting`: the checkpoint waits on the outside (customer, supplier, payment).
 * - `done`: a final stage.
 */
export const journeyStatuses = ['running', 'parked', 'awaiting_confirmation', 'waiting', 'done'] as const;
export type JourneyStatus = (typeof journeyStatuses)[number];

/** The checkpoint is pending: on a person, or on the outside. */
export function checkpointWaits(status: JourneyStatus): boolean {
  return status === 'awaiting_confirmation' || status === 'waiting';
}

export interface JourneyInput {
  journeyId: string;
  lead: LeadInput;
  /** ISO time the journey starts. */
  at: string;
}

/** Why the current activity runs: the stage's entry, an event, or a timer (a dunning level). */
export type RunOrigin = { kind: 'entry' } | { kind: 'event'; event: string } | { kind: 'timer'; timer: string; level: number | null; round?: number };

export interface ActiveRun {
  origin: RunOrigin;
  /** Position in the origin's activity list. */
  index: number;
  activity: ActivityName;
  step: string;
  /** null when the input could not be built (the stage is parked with the reason). */
  input: ActivityInput<ActivityName> | null;
  retry: RetryPolicy;
}

export interface ActivityError {
  message: string;
  type?: string;
}

export interface ParkedActivity {
  activity: ActivityName;
  step: string;
  error: ActivityError;
  since: string;
}

export interface ActiveTimer {
  id: string;
  /** The definition's timer name. */
  name: string;
  level: number | null;
  /** Which firing of a repeating timer this is (1 when absent). */
  round?: number;
  /** Fired while an activity was running; handled once the stage settles. */
  due: boolean;
}

export interface Confirmation {
  stage: string;
  decision: 'approve' | 'reject';
  actor: Actor;
  at: string;
  note?: string;
  auto: boolean;
}

export interface Intervention {
  stage: string;
  action: 'retry' | 'skip';
  activity: ActivityName;
  step: string;
  actor: Actor;
  at: string;
  note?: string;
}

type ActivityResults = { [A in ActivityName]?: ActivityResult<A> };

/** A type alias (not an interface) so it converts to Record<string, unknown> for generic JSON code. */
export type JourneyContext = {
  journeyId: string;
  process: { key: string; version: number };
  lead: LeadInput;
  stage: string;
  status: JourneyStatus;
  statusSince: string;
  stageEnteredAt: string;
  /** Time of the latest accepted event; the machine has no clock of its own. */
  now: string;
  visits: Record<string, number>;
  /** Per activity, how often events or timers ran it in this stage visit (for step names). */
  runCounts: Record<string, number>;
  run: ActiveRun | null;
  parked: ParkedActivity | null;
  timers: ActiveTimer[];
  /** The SLAs of this stage visit already breached (machines/sla.ts). */
  slaBreaches: SlaBreach[];
  /** Markable time fields set by events or timers, e.g. `quote.expiredAt`. */
  marks: Record<string, string>;
  confirmations: Confirmation[];
  interventions: Intervention[];
  ownerId: string | null;
  /** The latest result of each activity. */
  results: ActivityResults;
  proposal: { lines: QuoteLine[]; author: string; at: string } | null;
  /** The lines of the latest ADD_LINES, for the order (absent in journeys started before it existed). */
  addedLines?: { lines: EventPayload<'ADD_LINES'>['lines']; author: string; at: string } | null;
  shipment: EventPayload<'SHIPPED'> | null;
  pendingPayment: EventPayload<'PAYMENT_RECEIVED'> | null;
  payments: ActivityResult<'applyPayment'>[];
  notices: (ActivityResult<'sendDunningNotice'> & { level: number })[];
  amountDue: Money | null;
};

export function initialContext(def: ProcessDefinition, input: JourneyInput): JourneyContext {
  return {
    journeyId: input.journeyId,
    process: { key: def.key, version: def.version },
    lead: input.lead,
    stage: def.initial,
    status: 'running',
    statusSince: input.at,
    stageEnteredAt: input.at,
    now: input.at,
    visits: {},
    runCounts: {},
    run: null,
    parked: null,
    timers: [],
    slaBreaches: [],
    marks: {},
    confirmations: [],
    interventions: [],
    ownerId: null,
    results: {},
    proposal: null,
    addedLines: null,
    shipment: null,
    pendingPayment: null,
    payments: [],
    notices: [],
    amountDue: null,
  };
}
