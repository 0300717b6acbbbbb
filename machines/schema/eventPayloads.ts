// The payloads of the events whose `data` the machine needs, as the API validates them. The
// workflow checks the same shapes without zod (hasValidPayload in events.ts).
import { z } from 'zod';
import type { PayloadEventType } from '../events.js';
import { addedLineSchema, moneySchema, quoteLineSchema } from './activityCatalogue.js';

const linesPayload = z.object({ lines: z.array(quoteLineSchema).min(1) });

export const eventPayloadSchemas = {
  PROPOSE: linesPayload,
  REVISE: linesPayload,
  ADD_LINES: z.object({ lines: z.array(addedLineSchema).min(1) }),
  SHIPPED: z.object({ carrier: z.string().min(1), trackingNumber: z.string().min(1) }),
  PAYMENT_RECEIVED: moneySchema.extend({ reference: z.string().min(1).max(100) }),
} as const satisfies Record<PayloadEventType, z.ZodType>;

export type EventPayload<T extends PayloadEventType> = z.infer<(typeof eventPayloadSchemas)[T]>;
