// What a parked activity's failure shows: a stable code and a plain message for everyone; the raw
// cause (SQL, driver text, stack) only to admin and ops, who fix it. The worker logs it in full.
import { z } from 'zod';
import type { SafeError } from '../machines/schema/journeyState';

/** Plain messages per failure type (activities/support/failures.ts and the engine's own). */
const plainMessages: Readonly<Record<string, string>> = {
  InvalidInput: 'The step was given data it cannot use.',
  InvalidActivityInput: 'The step lacks data an earlier step should have produced (was it skipped?).',
  InvalidActivityResult: 'The step answered with data the process does not accept.',
  NotFound: 'A record the step needs does not exist.',
  UnknownSku: 'A product on the order is not in the catalogue.',
  PriceNotFound: 'A product has no price in the price book.',
  TaxRateNotFound: "No tax rate is set for the customer's country.",
  CurrencyMismatch: 'The payment is in another currency than the invoice.',
  QuoteExpired: 'The quote expired before the order was created.',
  QuoteSuperseded: 'A newer version of the quote replaced this one.',
  OrderNotOpen: 'The order is no longer open: lines cannot be added.',
  InvoiceAlreadyPaid: 'The invoice is already paid.',
  StepConflict: 'The step collided with another step of the journey.',
  EmailDeliveryFailed: 'The email could not be delivered.',
};
const fallback = 'An automatic step failed after its retries.';

export const ROLES_SEEING_CAUSES = ['admin', 'ops'] as const;

const snake = (type: string) => type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function seesCauses(roles: readonly string[]): boolean {
  return roles.some((role) => (ROLES_SEEING_CAUSES as readonly string[]).includes(role));
}

/** `error` as `roles` may see it. */
export function safeError(error: { message: string; type?: string | null | undefined }, roles: readonly string[]): SafeError {
  const type = error.type ?? null;
  const safe = { code: type ? snake(type) : 'activity_failed', message: (type && plainMessages[type]) ?? fallback };
  return seesCauses(roles) ? { ...safe, cause: error.message } : safe;
}

/** A parked activity with its error made safe for `roles`. */
export function safeParked<P extends { error: { message: string; type?: string | undefined } }>(
  parked: P | null,
  roles: readonly string[],
): (Omit<P, 'error'> & { error: SafeError }) | null {
  return parked ? { ...parked, error: safeError(parked.error, roles) } : null;
}

/** Timeline details of parked entries carry the raw error too. */
export function safeTimelineDetail(type: string, detail: Record<string, unknown>, roles: readonly string[]): Record<string, unknown> {
  const error = detail.error as { message?: unknown; type?: unknown } | undefined;
  if (type !== 'parked' || !error || typeof error.message !== 'string') return detail;
  return { ...detail, error: safeError({ message: error.message, ...(typeof error.type === 'string' ? { type: error.type } : {}) }, roles) };
}

export const lastErrorShape = {
  lastError: z.string().nullable().describe('what failed, in plain words (a parked journey); the raw cause is errorCause'),
  errorCode: z.string().nullable(),
  errorCause: z.string().optional().describe('the raw failure: admin and ops only'),
};

/** The projection's last error (journeys.last_error, last_error_type) as `roles` may see it. */
export function lastErrorOf(
  row: { last_error: string | null; last_error_type?: string | null },
  roles: readonly string[],
): { lastError: string | null; errorCode: string | null; errorCause?: string } {
  if (row.last_error === null) return { lastError: null, errorCode: null };
  const safe = safeError({ message: row.last_error, type: row.last_error_type ?? null }, roles);
  return { lastError: safe.message, errorCode: safe.code, ...(safe.cause === undefined ? {} : { errorCause: safe.cause }) };
}
