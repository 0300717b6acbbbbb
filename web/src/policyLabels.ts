// The policies of a definition in plain words, shared by the readable view and the publish diff.
import { describeDuration } from './durationParts';
import type { DunningLevelPart, PoliciesPart } from './definitionParts';

type Scalar = Exclude<keyof PoliciesPart, 'dunning' | 'retry'>;

export const POLICY_LABELS: { key: Scalar; label: string; show: (v: number | string) => string; hint?: string }[] = [
  { key: 'discountApprovalLimitPct', label: 'Discount limit', show: (v) => `${v}%`, hint: 'a quote with a larger discount waits for a sales manager' },
  { key: 'paymentTerms', label: 'Payment terms', show: (v) => describeDuration(String(v)) },
  { key: 'quoteValidity', label: 'Quote validity', show: (v) => describeDuration(String(v)) },
  { key: 'nurtureWindow', label: 'Nurture window', show: (v) => describeDuration(String(v)) },
  { key: 'mqlThreshold', label: 'Marketing-qualified from score', show: String },
  { key: 'sqlThreshold', label: 'Sales-qualified from score', show: String },
  { key: 'overpaymentTolerance', label: 'Over-payment tolerance', show: String, hint: 'credit above it waits for finance' },
];

/** "after 7 days, fee 5.00 EUR, template dunning_2" */
export function describeDunningLevel(level: DunningLevelPart): string {
  const fee = level.fee ? `fee ${level.fee.amount} ${level.fee.currency}` : 'no fee';
  return `after ${level.offset ? describeDuration(level.offset) : '—'}, ${fee}, template ${level.template ?? '—'}`;
}
