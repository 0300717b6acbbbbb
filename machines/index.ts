// The public surface of machines/: process definitions, their compiler and the tools around them.
export * from './schema/activityCatalogue.js';
export { processDefinitionSchema } from './schema/processDefinition.js';
export type {
  ActivityStep,
  Checkpoint,
  DunningLevel,
  Guard,
  Policies,
  ProcessDefinition,
  RetryPolicy,
  StageDefinition,
  TimerDefinition,
  TransitionDefinition,
} from './schema/processDefinition.js';
export { defaultProcess } from './defaultProcess.js';
export { InvalidProcessDefinitionError, validatedProcess, validateProcess, type ValidationError, type ValidationResult } from './schema/validateProcess.js';
export { compileProcess, type JourneyMachine } from './compileProcess.js';
export { allowedEvents } from './allowedEvents.js';
export { describeJourney, type JourneyDescription, type PendingCheckpoint } from './describeJourney.js';
export { toMermaid } from './schema/toMermaid.js';
export { addDuration, durationToMs } from './duration.js';
export { journeyStatuses } from './journeyContext.js';
export type { ActiveRun, ActiveTimer, Confirmation, Intervention, JourneyContext, JourneyInput, JourneyStatus, ParkedActivity } from './journeyContext.js';
export { vocabularyEventTypes } from './events.js';
export { eventPayloadSchemas } from './schema/eventPayloads.js';
export { requiredRoles, rolesFor } from './definitionLookup.js';
export type {
  ActivityDoneEvent,
  ActivityFailedEvent,
  InternalEvent,
  JourneyEvent,
  SlaBreachedEvent,
  TimerFiredEvent,
  VocabularyEvent,
  VocabularyEventType,
} from './events.js';
export { escalated, openSlaWatches, slaWatches, type SlaBreach, type SlaWatch } from './sla.js';
export type { Actor, Role } from './roles.js';
export { timerFiresAt, type CancelTimerParams, type JourneyEffect, type RunActivityParams, type StartTimerParams } from './effects.js';
export { addressLines, addressSchema, type Address } from './schema/address.js';
