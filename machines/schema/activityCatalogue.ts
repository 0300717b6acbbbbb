// The activity catalogue: every activity a process definition may name, with the input it takes
// and the result it returns. One source for the definition validator, the workflow's proxies and
// the activity implementations. Every call is `{ journeyId, step, input }`; `step` is the
// idempotency key within the journey, so a retried call returns the first result.
import { z } from 'zod';
import { addressSchema } from './address.js';
import { number, numberBounds, text, textBounds } from './bounds.js';
import type { ActivityName } from '../activityNames.js';
import { isoDurationPattern } from '../duration.js';

/** Money is a decimal string with its currency, never a float. */
export const moneySchema = z.object({
  amount: z.string().regex(/^-?\d+(\.\d{1,4})?$/, 'a decimal string such as "120.00"'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"'),
});
export type Money = z.infer<typeof moneySchema>;

export const leadInputSchema = z.object({
  source: z.enum(['web_form', 'email', 'phone', 'social', 'import', 'api', 'referral', 'event']),
  name: text(textBounds.personName),
  email: text(textBounds.email),
  phone: text(textBounds.phone).optional(),
  company: text(textBounds.company).optional(),
  companySize: number(numberBounds.companySize).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "DE"')
    .optional(),
  productInterest: text(textBounds.productInterest).optional(),
  message: text(textBounds.leadMessage).optional(),
  billingAddress: addressSchema.optional().describe("the account's billing address, kept when the account has none yet"),
  shippingAddress: addressSchema.optional().describe("where the account's goods go, kept when the account has none yet"),
});
export type LeadInput = z.infer<typeof leadInputSchema>;

export const quoteLineSchema = z.object({
  sku: text(textBounds.sku),
  quantity: number(numberBounds.quantity),
  discountPct: number(numberBounds.discountPct).optional(),
});
export type QuoteLine = z.infer<typeof quoteLineSchema>;

/** A line added to an open order: priced from the price book, without a discount of its own. */
export const addedLineSchema = quoteLineSchema.pick({ sku: true, quantity: true });

const id = z.string().min(1);
const isoDuration = z.string().regex(isoDurationPattern);
const shortage = z.object({ sku: z.string(), quantity: z.number().int().positive() });

/** Inputs and results per activity. Results are plain JSON so they can live in machine context. */
export const activityCatalogue = {
  captureLead: {
    input: z.object({ lead: leadInputSchema }),
    result: z.object({ leadId: id, accountId: id, contactId: id, duplicateOf: id.nullable(), requiredFieldsPresent: z.boolean() }),
  },
  enrichProfile: {
    input: z.object({ leadId: id }),
    result: z.object({ companySize: z.number().nullable(), industry: z.string().nullable(), country: z.string().nullable() }),
  },
  assignLead: {
    input: z.object({ leadId: id }),
    result: z.object({ ownerId: id.nullable(), team: z.string().nullable(), rule: z.string().nullable() }),
  },
  sendAutoResponse: {
    input: z.object({ leadId: id }),
    result: z.object({ emailId: id.nullable() }),
  },
  sendNurtureEmail: {
    input: z.object({ leadId: id }),
    /** No email (emailId null) once the address has unsubscribed. */
    result: z.object({ emailId: id.nullable(), optedOut: z.boolean() }),
  },
  scoreLead: {
    input: z.object({ leadId: id, mqlThreshold: z.number(), sqlThreshold: z.number() }),
    result: z.object({ score: z.number(), fit: z.number(), engagement: z.number(), grade: z.enum(['none', 'mql', 'sql']) }),
  },
  createFollowUpTask: {
    input: z.object({ leadId: id, ownerId: id.nullable() }),
    result: z.object({ opportunityId: id, taskId: id }),
  },
  priceQuote: {
    input: z.object({ opportunityId: id, lines: z.array(quoteLineSchema).min(1), validity: isoDuration, author: id }),
    result: z.object({ quoteId: id, version: z.number().int(), total: moneySchema, maxDiscountPct: z.number(), validUntil: z.string(), author: id }),
  },
  sendQuote: {
    input: z.object({ quoteId: id }),
    result: z.object({ emailId: id }),
  },
  createOrder: {
    input: z.object({ quoteId: id }),
    result: z.object({ orderId: id, number: z.string(), total: moneySchema }),
  },
  checkCredit: {
    input: z.object({ orderId: id }),
    result: z.object({ approved: z.boolean(), exposure: moneySchema, limit: moneySchema.nullable() }),
  },
  recommendAccessories: {
    input: z.object({ orderId: id }),
    result: z.object({ suggestions: z.array(z.object({ sku: z.string(), reason: z.enum(['accessory', 'substitute']), forSku: z.string() })) }),
  },
  /** Lines added to the order before its confirmation, priced as a quote revision is. */
  addOrderLines: {
    input: z.object({ orderId: id, lines: z.array(addedLineSchema).min(1) }),
    result: z.object({ orderId: id, number: z.string(), total: moneySchema, added: z.number().int() }),
  },
  /** Finance lets an order over the account's limit go on: its credit counts as approved. */
  releaseCreditHold: {
    input: z.object({ orderId: id }),
    result: z.object({ approved: z.boolean(), exposure: moneySchema, limit: moneySchema.nullable() }),
  },
  reserveStock: {
    input: z.object({ orderId: id }),
    result: z.object({ reserved: z.boolean(), shortages: z.array(shortage) }),
  },
  raisePurchaseOrder: {
    input: z.object({ orderId: id, shortages: z.array(shortage).min(1) }),
    result: z.object({ purchaseOrderIds: z.array(id) }),
  },
  notifyShipment: {
    input: z.object({ orderId: id, carrier: z.string().min(1), trackingNumber: z.string().min(1) }),
    result: z.object({ shipmentId: id, emailId: id }),
  },
  issueInvoice: {
    input: z.object({ orderId: id, paymentTerms: isoDuration }),
    result: z.object({ invoiceId: id, number: z.string(), total: moneySchema, dueDate: z.string(), amountDue: moneySchema }),
  },
  sendInvoice: {
    input: z.object({ invoiceId: id }),
    result: z.object({ emailId: id }),
  },
  applyPayment: {
    input: z.object({ invoiceId: id, payment: moneySchema.extend({ reference: z.string().min(1).max(100) }) }),
    result: z.object({ paymentId: id, amountDue: moneySchema, paidInFull: z.boolean(), credit: moneySchema }),
  },
  /** Money received when the invoice cannot take it (settled, or the journey parked): all of it is account credit. */
  recordCredit: {
    input: z.object({ invoiceId: id, payment: moneySchema.extend({ reference: z.string().min(1).max(100) }) }),
    result: z.object({ paymentId: id, credit: moneySchema }),
  },
  sendDunningNotice: {
    input: z.object({ invoiceId: id, level: z.number().int().min(1), fee: moneySchema.nullable(), template: z.string() }),
    result: z.object({ noticeId: id, emailId: id, amountDue: moneySchema }),
  },
  reconcile: {
    input: z.object({ invoiceId: id }),
    result: z.object({ reconciled: z.boolean(), paid: moneySchema, credit: moneySchema }),
  },
  // Undos (activityNames.ts names which activity each undoes).
  cancelOrder: {
    input: z.object({ orderId: id }),
    result: z.object({ orderId: id, status: z.string() }),
  },
  releaseReservation: {
    input: z.object({ orderId: id }),
    result: z.object({ released: z.array(shortage) }),
  },
  closePurchaseOrders: {
    input: z.object({ orderId: id }),
    result: z.object({ closed: z.array(id) }),
  },
  writeOffInvoice: {
    input: z.object({ invoiceId: id }),
    result: z.object({ invoiceId: id, status: z.string(), writtenOff: moneySchema }),
  },
} as const satisfies Record<ActivityName, { input: z.ZodType; result: z.ZodType }>;

export { activityNames, type ActivityName } from '../activityNames.js';
export type ActivityInput<A extends ActivityName> = z.infer<(typeof activityCatalogue)[A]['input']>;
export type ActivityResult<A extends ActivityName> = z.infer<(typeof activityCatalogue)[A]['result']>;

/** What the workflow passes to every catalogue activity. */
export interface ActivityCall<A extends ActivityName> {
  journeyId: string;
  step: string;
  input: ActivityInput<A>;
}

/** The signature every activity implementation satisfies. */
export type CatalogueActivities = {
  [A in ActivityName]: (call: ActivityCall<A>) => Promise<ActivityResult<A>>;
};
