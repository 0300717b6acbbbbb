// A credit hold: the order's credit check failed, and the stage's approval (CONFIRM of `ordering`)
// is refused by its guard until finance releases the hold. Shown to callers whose confirmation is
// refused, and to the stuck monitor.
import { transitionEnabled } from './acceptance.js';
import type { Money } from './schema/activityCatalogue.js';
import { stageDefinition } from './definitionLookup.js';
import { checkpointWaits, type JourneyContext } from './journeyContext.js';
import type { ProcessDefinition } from './schema/processDefinition.js';

export interface CreditHold {
  reason: 'credit_hold';
  /** e.g. "credit hold: order total 1190.00 EUR exceeds the account's limit 1000.00 EUR". */
  message: string;
  since: string;
}

const shown = (m: Money | null | undefined) => (m ? `${m.amount} ${m.currency}` : 'unknown');

export function creditHoldOf(def: ProcessDefinition, context: JourneyContext): CreditHold | null {
  const credit = context.results.checkCredit;
  if (!credit || credit.approved || !checkpointWaits(context.status)) return null;
  const checkpoint = stageDefinition(def, context.stage)?.checkpoint;
  if (!checkpoint || transitionEnabled(def, context, checkpoint.approve, ['admin'])) return null;
  const total = context.results.createOrder?.total;
  // Other open orders and invoices count against the limit too: then the exposure is named.
  const over =
    total && total.amount === credit.exposure.amount ? `order total ${shown(total)}` : `open exposure ${shown(credit.exposure)} (order total ${shown(total)})`;
  return { reason: 'credit_hold', message: `credit hold: ${over} exceeds the account's limit ${shown(credit.limit)}`, since: context.statusSince };
}
