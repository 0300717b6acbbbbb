// The catalogue of context fields a definition's guards, marks, anchors and `notBy` may name.
// Names are stable vocabulary for ops; how they map onto the context is an engine detail.
import type { JourneyContext } from './journeyContext.js';

type FieldType = 'string' | 'number' | 'boolean' | 'time';
export type FieldValue = string | number | boolean | null;

interface FieldSpec {
  type: FieldType;
  /** Set by a transition's or timer's `mark` to the event's time; read from context.marks. */
  markable?: true;
  read: (context: JourneyContext) => FieldValue;
}

const amount = (money: { amount: string } | null | undefined): number | null => (money ? Number(money.amount) : null);

const fieldSpecs = {
  'lead.source': { type: 'string', read: (c) => c.lead.source },
  'lead.country': { type: 'string', read: (c) => c.results.enrichProfile?.country ?? c.lead.country ?? null },
  'lead.companySize': {
    type: 'number',
    read: (c) => c.results.enrichProfile?.companySize ?? c.lead.companySize ?? null,
  },
  'lead.industry': { type: 'string', read: (c) => c.results.enrichProfile?.industry ?? null },
  'lead.productInterest': { type: 'string', read: (c) => c.lead.productInterest ?? null },
  'lead.duplicateOf': { type: 'string', read: (c) => c.results.captureLead?.duplicateOf ?? null },
  'lead.requiredFieldsPresent': { type: 'boolean', read: (c) => c.results.captureLead?.requiredFieldsPresent ?? null },
  ownerId: { type: 'string', read: (c) => c.ownerId },
  team: { type: 'string', read: (c) => c.results.assignLead?.team ?? null },
  score: { type: 'number', read: (c) => c.results.scoreLead?.score ?? null },
  grade: { type: 'string', read: (c) => c.results.scoreLead?.grade ?? null },
  'quote.version': { type: 'number', read: (c) => c.results.priceQuote?.version ?? null },
  'quote.total': { type: 'number', read: (c) => amount(c.results.priceQuote?.total) },
  'quote.maxDiscountPct': { type: 'number', read: (c) => c.results.priceQuote?.maxDiscountPct ?? null },
  'quote.author': { type: 'string', read: (c) => c.results.priceQuote?.author ?? c.proposal?.author ?? null },
  'quote.expiredAt': { type: 'time', markable: true, read: (c) => c.marks['quote.expiredAt'] ?? null },
  'order.id': { type: 'string', read: (c) => c.results.createOrder?.orderId ?? null },
  'order.total': { type: 'number', read: (c) => amount(c.results.createOrder?.total) },
  'credit.approved': { type: 'boolean', read: (c) => c.results.checkCredit?.approved ?? null },
  'stock.reserved': { type: 'boolean', read: (c) => c.results.reserveStock?.reserved ?? null },
  'stock.shortages': { type: 'number', read: (c) => c.results.reserveStock?.shortages.length ?? null },
  'shipment.pickedAt': { type: 'time', markable: true, read: (c) => c.marks['shipment.pickedAt'] ?? null },
  'shipment.packedAt': { type: 'time', markable: true, read: (c) => c.marks['shipment.packedAt'] ?? null },
  'shipment.shippedAt': { type: 'time', markable: true, read: (c) => c.marks['shipment.shippedAt'] ?? null },
  'invoice.id': { type: 'string', read: (c) => c.results.issueInvoice?.invoiceId ?? null },
  'invoice.dueDate': { type: 'time', read: (c) => c.results.issueInvoice?.dueDate ?? null },
  'invoice.amountDue': { type: 'number', read: (c) => amount(c.amountDue) },
  'payment.credit': { type: 'number', read: (c) => amount(c.payments.at(-1)?.credit) },
  'invoice.paidInFull': { type: 'boolean', read: (c) => c.payments.at(-1)?.paidInFull ?? null },
  'dunning.level': { type: 'number', read: (c) => c.notices.at(-1)?.level ?? null },
  'payments.count': { type: 'number', read: (c) => c.payments.length },
} satisfies Record<string, FieldSpec>;

const journeyFields: Readonly<Record<string, FieldSpec>> = fieldSpecs;

export function fieldSpec(name: string): FieldSpec | undefined {
  return Object.hasOwn(journeyFields, name) ? journeyFields[name] : undefined;
}

/** The field's value, or null when unknown or not yet recorded. */
export function readField(context: JourneyContext, name: string): FieldValue {
  return fieldSpec(name)?.read(context) ?? null;
}
