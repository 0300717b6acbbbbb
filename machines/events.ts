// The events a journey machine accepts: the public vocabulary (DESIGN.md section 3), sent by people
// through the workflow, and the internal events the workflow sends about activities, timers and SLAs.
import { z } from 'zod';
import { addedLineSchema, moneySchema, quoteLineSchema, type ActivityName } from './activityCatalogue.js';
import type { Actor } from './roles.js';

export const vocabularyEventTypes = [
  'CONFIRM',
  'REJECT',
  'QUALIFY',
  'NURTURE',
  'DISQUALIFY',
  'RE_ENGAGE',
  'PROPOSE',
  'LOSE',
  'ACCEPT',
  'REVISE',
  'DECLINE',
  'CANCEL',
  'PICKED',
  'PACKED',
  'SHIPPED',
  'RESTOCKED',
  'PAYMENT_RECEIVED',
  'WRITE_OFF',
  'ADD_LINES',
  'RELEASE_CREDIT_HOLD',
  'RETRY',
  'SKIP',
] as const;
export type VocabularyEventType = (typeof vocabularyEventTypes)[number];

/** Built into every stage for parked activities; a definition only says who may send them. */
export const recoveryEventTypes = ['RETRY', 'SKIP'] as const satisfies readonly VocabularyEventType[];

const linesPayload = z.object({ lines: z.array(quoteLineSchema).min(1) });

/** Events whose `data` the machine needs; the others may carry data, which is ignored. */
export const eventPayloadSchemas = {
  PROPOSE: linesPayload,
  REVISE: linesPayload,
  ADD_LINES: z.object({ lines: z.array(addedLineSchema).min(1) }),
  SHIPPED: z.object({ carrier: z.string().min(1), trackingNumber: z.string().min(1) }),
  PAYMENT_RECEIVED: moneySchema.extend({ reference: z.string().min(1).max(100) }),
} as const;
type PayloadEventType = keyof typeof eventPayloadSchemas;
export type EventPayload<T extends PayloadEventType> = z.infer<(typeof eventPayloadSchemas)[T]>;

export function isPayloadEvent(type: string): type is PayloadEventType {
  return Object.hasOwn(eventPayloadSchemas, type);
}

interface VocabularyEventBase<T extends VocabularyEventType> {
  type: T;
  at: string;
  actor: Actor;
  note?: string;
}

export type VocabularyEvent = {
  [T in VocabularyEventType]: VocabularyEventBase<T> & (T extends PayloadEventType ? { data: EventPayload<T> } : { data?: unknown });
}[VocabularyEventType];

export interface ActivityDoneEvent {
  type: 'ACTIVITY_DONE';
  at: string;
  step: string;
  activity: ActivityName;
  /** Checked against the catalogue's result schema; a mismatch parks the stage. */
  result: unknown;
}

export interface ActivityFailedEvent {
  type: 'ACTIVITY_FAILED';
  at: string;
  step: string;
  activity: ActivityName;
  error: { message: string; type?: string };
}

export interface TimerFiredEvent {
  type: 'TIMER_FIRED';
  at: string;
  timer: string;
}

/** The SLA timer of the watch `key` (machines/sla.ts) ran out. */
export interface SlaBreachedEvent {
  type: 'SLA_BREACHED';
  at: string;
  key: string;
}

export type InternalEvent = ActivityDoneEvent | ActivityFailedEvent | TimerFiredEvent | SlaBreachedEvent;
export type JourneyEvent = VocabularyEvent | InternalEvent;

export function isVocabularyEvent(event: { type: string }): event is VocabularyEvent {
  return (vocabularyEventTypes as readonly string[]).includes(event.type);
}

/** True when a vocabulary event carries the payload its type requires. */
export function hasValidPayload(event: VocabularyEvent): boolean {
  if (!isPayloadEvent(event.type)) return true;
  return eventPayloadSchemas[event.type].safeParse(event.data).success;
}
