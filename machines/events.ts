// The events a journey machine accepts: the public vocabulary (DESIGN.md section 3), sent by people
// through the workflow, and the internal events the workflow sends about activities, timers and SLAs.
import type { ActivityName } from './activityNames.js';
import type { Actor } from './roles.js';
import type { EventPayload } from './schema/eventPayloads.js';

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

/** Events whose `data` the machine needs (schema/eventPayloads.ts); the others may carry data, which is ignored. */
export const payloadEventTypes = ['PROPOSE', 'REVISE', 'ADD_LINES', 'SHIPPED', 'PAYMENT_RECEIVED'] as const satisfies readonly VocabularyEventType[];
export type PayloadEventType = (typeof payloadEventTypes)[number];

export function isPayloadEvent(type: string): type is PayloadEventType {
  return (payloadEventTypes as readonly string[]).includes(type);
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

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown, max = Infinity): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;
const hasLines = (data: Record<string, unknown>): boolean =>
  Array.isArray(data.lines) && data.lines.length > 0 && data.lines.every((line) => isObject(line) && isText(line.sku) && typeof line.quantity === 'number');

/** A payment as PAYMENT_RECEIVED carries it, with nothing else the caller sent. */
export function paymentOf(data: unknown): EventPayload<'PAYMENT_RECEIVED'> | null {
  if (!isObject(data)) return null;
  const { amount, currency, reference } = data;
  if (typeof amount !== 'string' || !/^-?\d+(\.\d{1,4})?$/.test(amount)) return null;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency) || !isText(reference, 100)) return null;
  return { amount, currency, reference };
}

type Lines = { sku: string; quantity: number; discountPct?: number }[];
const linesOf = (data: unknown, discounts: boolean): Lines =>
  ((data as { lines: Lines }).lines ?? []).map(({ sku, quantity, discountPct }) => ({
    sku,
    quantity,
    ...(discounts && discountPct !== undefined ? { discountPct } : {}),
  }));

/**
 * The payload of an event that passed hasValidPayload, with only the fields its schema names (as
 * the API's validation leaves it), so what the journey keeps never depends on extra fields.
 */
export function payloadOf<T extends PayloadEventType>(type: T, data: unknown): EventPayload<T>;
export function payloadOf(type: PayloadEventType, data: unknown): EventPayload<PayloadEventType> | null {
  switch (type) {
    case 'PROPOSE':
    case 'REVISE':
      return { lines: linesOf(data, true) };
    case 'ADD_LINES':
      return { lines: linesOf(data, false) };
    case 'SHIPPED': {
      const { carrier, trackingNumber } = data as { carrier: string; trackingNumber: string };
      return { carrier, trackingNumber };
    }
    case 'PAYMENT_RECEIVED':
      return paymentOf(data);
  }
}

/**
 * True when a vocabulary event carries the payload its type requires. A plain check of what the
 * machine reads: the API has already validated the payload against schema/eventPayloads.ts, so
 * the workflow does not load zod for it.
 */
export function hasValidPayload(event: VocabularyEvent): boolean {
  if (!isPayloadEvent(event.type)) return true;
  const data: unknown = event.data;
  if (!isObject(data)) return false;
  switch (event.type) {
    case 'PROPOSE':
    case 'REVISE':
    case 'ADD_LINES':
      return hasLines(data);
    case 'SHIPPED':
      return isText(data.carrier) && isText(data.trackingNumber);
    case 'PAYMENT_RECEIVED':
      return paymentOf(data) !== null;
  }
}
