// How each catalogue activity takes its input from the journey and where its result goes. Plain
// checks (no zod in the workflow): an input lacking what an earlier, skipped activity should have
// produced, or a result that is not an object, parks the stage with a readable reason instead of
// corrupting the context. The activity itself validates both against the catalogue's schemas
// (activities/support/run.ts), so the result the workflow receives already has its shape.
import type { ActivityName } from './activityNames.js';
import type { ActivityError, JourneyContext } from './journeyContext.js';
import type { ActivityInput, ActivityResult } from './schema/activityCatalogue.js';
import type { ProcessDefinition } from './schema/processDefinition.js';

type InputDraft = (context: JourneyContext, def: ProcessDefinition, level: number | null) => Record<string, unknown>;

const leadId = (c: JourneyContext) => ({ leadId: c.results.captureLead?.leadId });
const orderId = (c: JourneyContext) => ({ orderId: c.results.createOrder?.orderId });
const invoiceId = (c: JourneyContext) => ({ invoiceId: c.results.issueInvoice?.invoiceId });
const quoteId = (c: JourneyContext) => ({ quoteId: c.results.priceQuote?.quoteId });

const inputDrafts: { [A in ActivityName]: InputDraft } = {
  captureLead: (c) => ({ lead: c.lead }),
  enrichProfile: leadId,
  assignLead: leadId,
  sendAutoResponse: leadId,
  sendNurtureEmail: leadId,
  scoreLead: (c, def) => ({
    ...leadId(c),
    mqlThreshold: def.policies.mqlThreshold,
    sqlThreshold: def.policies.sqlThreshold,
  }),
  createFollowUpTask: (c) => ({ ...leadId(c), ownerId: c.ownerId }),
  priceQuote: (c, def) => ({
    opportunityId: c.results.createFollowUpTask?.opportunityId,
    lines: c.proposal?.lines,
    validity: def.policies.quoteValidity,
    author: c.proposal?.author,
  }),
  sendQuote: quoteId,
  createOrder: quoteId,
  checkCredit: orderId,
  recommendAccessories: orderId,
  addOrderLines: (c) => ({ ...orderId(c), lines: c.addedLines?.lines }),
  releaseCreditHold: orderId,
  reserveStock: orderId,
  raisePurchaseOrder: (c) => ({ ...orderId(c), shortages: c.results.reserveStock?.shortages }),
  notifyShipment: (c) => ({ ...orderId(c), carrier: c.shipment?.carrier, trackingNumber: c.shipment?.trackingNumber }),
  issueInvoice: (c, def) => ({ ...orderId(c), paymentTerms: def.policies.paymentTerms }),
  sendInvoice: invoiceId,
  applyPayment: (c) => ({ ...invoiceId(c), payment: c.pendingPayment }),
  recordCredit: (c) => ({ ...invoiceId(c), payment: c.pendingPayment }),
  sendDunningNotice: (c, def, level) => {
    const policy = def.policies.dunning.find((l) => l.level === level);
    return { ...invoiceId(c), level, fee: policy?.fee, template: policy?.template };
  },
  reconcile: invoiceId,
  cancelOrder: orderId,
  releaseReservation: orderId,
  closePurchaseOrders: orderId,
  writeOffInvoice: invoiceId,
};

/** Input fields that may be null (no owner yet, a dunning level without a fee). */
const nullableInputs: Partial<Record<ActivityName, readonly string[]>> = {
  createFollowUpTask: ['ownerId'],
  sendDunningNotice: ['fee'],
};

/** The input fields a draft lacks: undefined, null where not allowed, or an empty list. */
function missingInputs(activity: ActivityName, draft: Record<string, unknown>): string[] {
  const nullable = nullableInputs[activity] ?? [];
  return Object.entries(draft)
    .filter(([field, value]) => value === undefined || (value === null && !nullable.includes(field)) || (Array.isArray(value) && value.length === 0))
    .map(([field]) => field);
}

type BuiltInput = { ok: true; input: ActivityInput<ActivityName> } | { ok: false; error: ActivityError };

export function buildActivityInput(activity: ActivityName, context: JourneyContext, def: ProcessDefinition, level: number | null): BuiltInput {
  const draft = inputDrafts[activity](context, def, level);
  const missing = missingInputs(activity, draft);
  if (missing.length === 0) return { ok: true, input: draft as ActivityInput<ActivityName> };
  return {
    ok: false,
    error: {
      message: `cannot build the input of ${activity} (was an earlier activity skipped?): ${missing.map((field) => `${field}: missing`).join('; ')}`,
      type: 'InvalidActivityInput',
    },
  };
}

type ParsedResult = { ok: true; result: ActivityResult<ActivityName> } | { ok: false; error: ActivityError };

export function parseActivityResult(activity: ActivityName, result: unknown): ParsedResult {
  if (typeof result === 'object' && result !== null && !Array.isArray(result)) return { ok: true, result: result as ActivityResult<ActivityName> };
  return {
    ok: false,
    error: { message: `the result of ${activity} does not match the catalogue: (root): expected an object`, type: 'InvalidActivityResult' },
  };
}

function withoutQuoteMarks(marks: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(marks).filter(([name]) => !name.startsWith('quote.')));
}

/** Stores a parsed result; a few results also update the journey's owner, amount or history. */
export function recordResult(context: JourneyContext, activity: ActivityName, result: ActivityResult<ActivityName>, level: number | null): JourneyContext {
  const next: JourneyContext = { ...context, results: { ...context.results, [activity]: result } };
  switch (activity) {
    case 'assignLead': {
      const { ownerId } = result as ActivityResult<'assignLead'>;
      return { ...next, ownerId: ownerId ?? context.ownerId };
    }
    case 'priceQuote':
      // A new quote version is not expired, whatever happened to the previous one.
      return { ...next, marks: withoutQuoteMarks(context.marks) };
    case 'addOrderLines': {
      // The order's total is what it is now, lines added included.
      const order = context.results.createOrder;
      const { total } = result as ActivityResult<'addOrderLines'>;
      return order ? { ...next, results: { ...next.results, createOrder: { ...order, total } } } : next;
    }
    case 'releaseCreditHold':
      // Released by finance: the credit counts as approved until a new check says otherwise.
      return { ...next, results: { ...next.results, checkCredit: result as ActivityResult<'releaseCreditHold'> } };
    case 'issueInvoice':
      return { ...next, amountDue: (result as ActivityResult<'issueInvoice'>).amountDue };
    case 'applyPayment': {
      const payment = result as ActivityResult<'applyPayment'>;
      return { ...next, payments: [...context.payments, payment], amountDue: payment.amountDue, pendingPayment: null };
    }
    case 'writeOffInvoice':
      return { ...next, amountDue: { amount: '0.00', currency: (result as ActivityResult<'writeOffInvoice'>).writtenOff.currency } };
    case 'sendDunningNotice': {
      const notice = result as ActivityResult<'sendDunningNotice'>;
      return { ...next, notices: [...context.notices, { ...notice, level: level ?? 0 }], amountDue: notice.amountDue };
    }
    default:
      return next;
  }
}
