// Typed activity failures. The `type` is a stable name the workflow and the stuck monitor show;
// non-retryable where a retry cannot change the outcome (bad input, unknown records, rule refusals).
import { ApplicationFailure } from '@temporalio/common';

export type FailureType =
  | 'InvalidInput'
  | 'NotFound'
  | 'UnknownSku'
  | 'PriceNotFound'
  | 'TaxRateNotFound'
  | 'CurrencyMismatch'
  | 'QuoteExpired'
  | 'QuoteSuperseded'
  | 'OrderNotOpen'
  | 'InvoiceAlreadyPaid'
  | 'StepConflict'
  | 'EmailDeliveryFailed';

export function refuse(type: FailureType, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, ...(details ? { details: [details] } : {}) });
}

export function notFound(what: string, id: string): ApplicationFailure {
  return refuse('NotFound', `${what} ${id} does not exist`, { what, id });
}

/** Retryable: the SMTP relay may be back on the next attempt. */
export function deliveryFailed(message: string, details: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: 'EmailDeliveryFailed', message, nonRetryable: false, details: [details] });
}
