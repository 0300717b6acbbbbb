// The journey's messages, shared by the workflow and its callers (API, tests): updates for
// anything a caller needs an answer to, a query for the live state.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PendingCheckpoint } from '../machines/describeJourney';
import type { JourneyState } from '../machines/schema/journeyState';
import type { StageMap, TimerPolicy } from '../machines/migrationPlan';
import type { ProcessDefinition } from '../machines/schema/processDefinition';

export interface Actor {
  id: string;
  roles: string[];
}

export interface TransitionRequest {
  type: string;
  data?: unknown;
  note?: string;
  /** The stage the caller believes the journey is in; refused (StaleStage) when it has moved on. */
  expectedStage?: string;
  actor: Actor;
}

export interface ConfirmRequest {
  /** The stage whose checkpoint is decided, so a retried approval never decides the next one. */
  stage: string;
  decision: 'approve' | 'reject';
  note?: string;
  actor: Actor;
}

/** Hands the journey to another owner (finance or ops on a stuck journey, a manager in the team). */
export interface ReassignRequest {
  ownerId: string;
  note?: string;
  actor: Actor;
}

/** Moves the journey to another version of its process: one journey of a migration's apply. */
export interface MigrateRequest {
  migrationId: string;
  to: ProcessDefinition;
  stageMap: StageMap;
  timers: TimerPolicy;
  /** The version and stage the dry run judged: a journey that moved since is refused. */
  fromVersion: number;
  expectedStage: string;
}

export interface MigrateResult {
  result: 'migrated' | 'refused';
  reason?: string;
  stage: string;
  version: number;
}

/** Who may reassign a journey: not a process event, so the same in every definition. */
export const REASSIGN_ROLES = ['admin', 'ops', 'finance', 'sales_manager'];

/** The journey's state for its callers: one schema, shared with the API and the console. */
export type { JourneyState } from '../machines/schema/journeyState';

/** ApplicationFailure types a caller can rely on (the API maps them to 409 and 403). */
export const REFUSAL = {
  notAllowed: 'TransitionNotAllowed',
  forbidden: 'ActorNotAllowed',
  noCheckpoint: 'NoPendingCheckpoint',
  /** The confirmation names another stage than the one whose checkpoint waits (or none waits). */
  staleCheckpoint: 'StaleCheckpoint',
  /** The approval waits on finance releasing a credit hold (the refusal's message says why). */
  creditHold: 'CreditHold',
  /** The event's expectedStage is not the journey's stage. */
  staleStage: 'StaleStage',
  /** A migration's move: the journey is not (or no longer) as the dry run judged it. */
  migrationRefused: 'MigrationRefused',
} as const;

/**
 * Details of a refusal: the events the caller may send now instead, and where the journey is. An
 * ActorNotAllowed refusal also names the roles that may send the event, so callers explain it
 * without asking the journey again.
 */
export interface RefusalDetails {
  allowedEvents: string[];
  reason: string;
  stage?: string;
  pendingCheckpoint?: PendingCheckpoint | null;
  requiredRoles?: string[];
}

/** How many accepted update ids a run hands to the next, so a resent update is not applied twice. */
export const REMEMBERED_UPDATE_IDS = 100;

export const transitionUpdate = defineUpdate<JourneyState, [TransitionRequest]>('transition');
export const confirmUpdate = defineUpdate<JourneyState, [ConfirmRequest]>('confirm');
export const reassignUpdate = defineUpdate<JourneyState, [ReassignRequest]>('reassign');
export const migrateUpdate = defineUpdate<MigrateResult, [MigrateRequest]>('migrate');
/** Waits (at most ~10 s) until the stage's running activities are done; used with update-with-start. */
export const settledUpdate = defineUpdate<JourneyState, [roles?: string[]]>('settled');
/** The live state; pass the caller's roles to get the events they may send. */
export const stateQuery = defineQuery<JourneyState, [roles?: string[]]>('state');

/** A migration's apply (workflows/migration.ts) pauses, resumes or stops between batches. */
export const pauseMigrationSignal = defineSignal('pause');
export const resumeMigrationSignal = defineSignal('resume');
export const cancelMigrationSignal = defineSignal('cancel');
