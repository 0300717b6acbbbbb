// The journey's state, one schema for everyone who reads it: the workflow answers its updates and
// query with `JourneyState` (the type only: the workflow loads no zod), the API answers events and
// confirmations with `journeyAnswerSchema` (the same state, less the internals, its failure made
// safe), and the console takes its types from here.
import { z } from 'zod';
import { moneySchema } from './activityCatalogue.js';

export const pendingCheckpointSchema = z.strictObject({
  stage: z.string(),
  role: z.string().nullable(),
  approveEvent: z.string(),
  rejectEvent: z.string().nullable(),
  since: z.string(),
});
export type PendingCheckpoint = z.infer<typeof pendingCheckpointSchema>;

/** An activity that failed after its retries, as the workflow holds it: the raw error included. */
export const parkedActivitySchema = z.strictObject({
  activity: z.string(),
  step: z.string(),
  error: z.strictObject({ message: z.string(), type: z.string().optional() }),
  since: z.string(),
});

export const journeyStateSchema = z.strictObject({
  journeyId: z.string(),
  definition: z.strictObject({ key: z.string(), version: z.number().int() }),
  stage: z.string(),
  status: z.string(),
  final: z.boolean(),
  stageEnteredAt: z.string(),
  ownerId: z.string().nullable(),
  amount: moneySchema.nullable(),
  /** The events enabled now: for the roles asked about, or for any role. */
  allowedEvents: z.array(z.string()).describe('events the caller may send now'),
  pendingCheckpoint: pendingCheckpointSchema.nullable(),
  parked: parkedActivitySchema.nullable(),
  /** A JSON summary of the journey's data (score, quote, order, invoice, payments, confirmations). */
  context: z.record(z.string(), z.unknown()),
});
export type JourneyState = z.infer<typeof journeyStateSchema>;

/** A failure as every reader may see it (api/safeErrors.ts): a stable code, a plain message, the raw cause for admin and ops. */
export const safeErrorSchema = z.strictObject({
  code: z.string().describe('a stable code in snake_case, e.g. currency_mismatch; activity_failed when the failure has no type'),
  message: z.string().describe('a plain message, safe for every reader'),
  cause: z.string().optional().describe('the raw failure (may contain SQL or driver text): for admin and ops only'),
});
export type SafeError = z.infer<typeof safeErrorSchema>;

export const parkedSchema = parkedActivitySchema.extend({ error: safeErrorSchema });
export type Parked = z.infer<typeof parkedSchema>;

/** What POST .../events and .../confirmations answer: the state without its internals. */
export const journeyAnswerSchema = journeyStateSchema
  .pick({ journeyId: true, stage: true, status: true, final: true, allowedEvents: true, pendingCheckpoint: true })
  .extend({ parked: parkedSchema.nullable() });
export type JourneyAnswer = z.infer<typeof journeyAnswerSchema>;
