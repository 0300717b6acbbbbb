// A journey's business documents, notifications and audit timeline, read from PostgreSQL for the
// 360 view, in the payload shapes of DESIGN.md section 5.
import { z } from 'zod';
import type { Db } from '../db/connection';
import { suggestionsOf } from '../db/queries/orderSuggestions';
import { backorderOf, backorderSchema } from './backorder';
import { documentTotalsSchema, ratePct, totalsOf } from './documentTotals';
import { addressSchema, type Address } from '../machines/schema/address';
import { iso, moneySchema, timestamp } from './schemas';

const money = (amount: string, currency: string) => ({ amount, currency });

const quoteLineSchema = z.strictObject({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  unitPrice: moneySchema,
  discountPct: z.string(),
  net: moneySchema.describe('after the discount, before tax'),
  taxRatePct: z.string().describe('the VAT rate charged on the line, e.g. "19"'),
  total: moneySchema.describe('net plus its tax'),
});
export const documentsSchema = z.strictObject({
  quotes: z.array(
    z.strictObject({
      id: z.string(),
      number: z.string(),
      version: z.number().int(),
      status: z.string(),
      lines: z.array(quoteLineSchema),
      total: moneySchema,
      totals: documentTotalsSchema,
      validUntil: timestamp,
      author: z.string(),
    }),
  ),
  order: z
    .strictObject({
      id: z.string(),
      number: z.string(),
      total: moneySchema,
      totals: documentTotalsSchema,
      status: z.string().describe('open, shipped, invoiced, or cancelled (the journey was abandoned before shipping)'),
      creditStatus: z.string().describe('pending, approved, hold (over the account limit: CONFIRM waits), or released (by finance)'),
      lines: z.array(quoteLineSchema).describe('the quoted lines, then the lines added before confirmation'),
      suggestions: z
        .array(
          z.strictObject({
            sku: z.string(),
            name: z.string(),
            reason: z.enum(['accessory', 'substitute']),
            forSku: z.string().describe('the ordered product it goes with (an accessory) or stands in for (a substitute)'),
            unitPrice: moneySchema.nullable(),
            onOrder: z.boolean().describe('already a line of the order'),
          }),
        )
        .describe('accessories and substitutes recommended for the order; ADD_LINES adds them before CONFIRM'),
      shipTo: addressSchema.nullable().describe('where the order goes, kept from its confirmation on; null while none was known'),
    })
    .nullable(),
  shipments: z.array(
    z.strictObject({
      id: z.string(),
      status: z.string(),
      carrier: z.string().nullable(),
      trackingNumber: z.string().nullable(),
      shippedAt: timestamp.nullable(),
      shipTo: addressSchema.nullable(),
    }),
  ),
  invoices: z.array(
    z.strictObject({
      id: z.string(),
      number: z.string(),
      total: moneySchema,
      totals: documentTotalsSchema,
      dueDate: timestamp,
      status: z.string().describe('open, partially_paid, paid, or written_off (an abandoned journey wrote off what was due)'),
      amountDue: moneySchema,
      creditApplied: moneySchema.describe("the account's credit applied at issue (oldest credit first); 0 when none was available"),
      writtenOff: moneySchema.describe('the amount written off, kept for the ledger; 0 unless written off'),
      billTo: addressSchema.nullable().describe("the buyer's billing address as it was at issue, printed on the invoice"),
    }),
  ),
  payments: z.array(z.strictObject({ id: z.string(), amount: moneySchema, reference: z.string(), receivedAt: timestamp })),
  credits: z
    .array(z.strictObject({ id: z.string(), paymentId: z.string(), amount: moneySchema, remaining: moneySchema, createdAt: timestamp }))
    .describe("account credit from this journey's payments: an over-payment, or money received once the invoice was settled"),
  backorder: backorderSchema,
});
type Documents = z.infer<typeof documentsSchema>;

export const notificationSchema = z.strictObject({ kind: z.string(), to: z.string(), subject: z.string(), sentAt: timestamp.nullable(), createdAt: timestamp });
export const timelineEntrySchema = z.strictObject({
  at: timestamp,
  type: z.string(),
  stage: z.string(),
  event: z.string().nullable(),
  actor: z.string().nullable(),
  actorName: z.string().nullable().describe("the actor's name, when the actor is a user"),
  role: z.string().nullable().describe('the role the actor acted in (system for automatic confirmations); null for entries without a person'),
  detail: z
    .record(z.string(), z.unknown())
    .describe(
      'for a confirmation: {decision, auto, note?}; for sla_breached: {scope: stage|checkpoint, sla, since, deadline}; ' +
        'for form_submitted: {formKey, formName, origin}; for email_received: {kind: new_lead|reply, messageId, from, fromName, subject, text}',
    ),
});

export const leadSchema = z.strictObject({
  id: z.string(),
  source: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  companySize: z.number().nullable(),
  country: z.string().nullable(),
  industry: z.string().nullable(),
  productInterest: z.string().nullable(),
  message: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  score: z.number().nullable(),
  grade: z.string().nullable(),
  createdAt: timestamp,
});

type Row = Record<string, unknown>;
const s = (v: unknown) => (v == null ? null : String(v));

export async function leadOf(db: Db, journeyId: string): Promise<z.infer<typeof leadSchema> | null> {
  const r = (await db('leads').where({ journey_id: journeyId }).orderBy('created_at').first()) as Row | undefined;
  if (!r) return null;
  return {
    id: String(r.id),
    source: String(r.source),
    name: String(r.name),
    email: String(r.email),
    phone: s(r.phone),
    company: s(r.company),
    companySize: r.company_size == null ? null : Number(r.company_size),
    country: s(r.country),
    industry: s(r.industry),
    productInterest: s(r.product_interest),
    message: s(r.message),
    duplicateOf: s(r.duplicate_of),
    score: r.score == null ? null : Number(r.score),
    grade: s(r.grade),
    createdAt: iso(r.created_at as Date) ?? '',
  };
}

function lineOf(l: Row): z.infer<typeof quoteLineSchema> {
  return {
    sku: String(l.sku),
    name: String(l.name),
    quantity: Number(l.quantity),
    unitPrice: money(String(l.unit_price), String(l.currency)),
    discountPct: String(l.discount_pct),
    net: money(String(l.net_amount), String(l.currency)),
    taxRatePct: ratePct(l.tax_rate_pct),
    total: money(String(l.total), String(l.currency)),
  };
}

export async function documentsOf(db: Db, journeyId: string): Promise<Documents> {
  const [quotes, orders, shipments, invoices, payments, credits, backorder] = await Promise.all([
    db('quotes').where({ journey_id: journeyId }).orderBy('version') as Promise<Row[]>,
    db('sales_orders').where({ journey_id: journeyId }).orderBy('created_at', 'desc') as Promise<Row[]>,
    db('shipments')
      .join('sales_orders', 'sales_orders.id', 'shipments.order_id')
      .where('sales_orders.journey_id', journeyId)
      .orderBy('shipments.shipped_at')
      .select('shipments.*') as Promise<Row[]>,
    db('invoices').where({ journey_id: journeyId }).orderBy('issued_at') as Promise<Row[]>,
    db('payments').where({ journey_id: journeyId }).orderBy('received_at') as Promise<Row[]>,
    db('customer_credits')
      .join('payments', 'payments.id', 'customer_credits.payment_id')
      .where('payments.journey_id', journeyId)
      .orderBy('customer_credits.created_at')
      .select('customer_credits.*') as Promise<Row[]>,
    backorderOf(db, journeyId),
  ]);
  const lines =
    quotes.length === 0
      ? []
      : ((await db('quote_lines')
          .whereIn(
            'quote_id',
            quotes.map((q) => String(q.id)),
          )
          .orderBy(['quote_id', 'line_no'])) as Row[]);
  const invoiceLines =
    invoices.length === 0
      ? []
      : ((await db('invoice_lines')
          .whereIn(
            'invoice_id',
            invoices.map((i) => String(i.id)),
          )
          .orderBy(['invoice_id', 'line_no'])) as Row[]);
  const order = orders[0];
  const [orderLines, suggestions] = order
    ? await Promise.all([
        db('sales_order_lines').where({ order_id: order.id }).orderBy('line_no') as Promise<Row[]>,
        suggestionsOf(db, String(order.id), String(order.currency)),
      ])
    : [[], []];
  return {
    quotes: quotes.map((q) => ({
      id: String(q.id),
      number: String(q.number),
      version: Number(q.version),
      status: String(q.status),
      lines: lines.filter((l) => l.quote_id === q.id).map(lineOf),
      total: money(String(q.total), String(q.currency)),
      totals: totalsOf(
        lines.filter((l) => l.quote_id === q.id),
        String(q.currency),
      ),
      validUntil: iso(q.valid_until as Date) ?? '',
      author: String(q.author_id),
    })),
    order: order
      ? {
          id: String(order.id),
          number: String(order.number),
          total: money(String(order.total), String(order.currency)),
          totals: totalsOf(orderLines, String(order.currency)),
          status: String(order.status),
          creditStatus: String(order.credit_status),
          lines: orderLines.map(lineOf),
          suggestions: suggestions.map((x) => ({
            sku: x.sku,
            name: x.name,
            reason: x.reason,
            forSku: x.for_sku,
            unitPrice: x.unit_price === null ? null : money(x.unit_price, String(order.currency)),
            onOrder: orderLines.some((l) => l.sku === x.sku),
          })),
          shipTo: (order.ship_to as Address | null) ?? null,
        }
      : null,
    shipments: shipments.map((x) => ({
      id: String(x.id),
      status: String(x.status),
      carrier: s(x.carrier),
      trackingNumber: s(x.tracking_number),
      shippedAt: iso(x.shipped_at as Date | null),
      shipTo: (x.ship_to as Address | null) ?? null,
    })),
    invoices: invoices.map((i) => ({
      id: String(i.id),
      number: String(i.number),
      total: money(String(i.total), String(i.currency)),
      totals: totalsOf(
        invoiceLines.filter((l) => l.invoice_id === i.id),
        String(i.currency),
      ),
      dueDate: iso(i.due_at as Date) ?? '',
      status: String(i.status),
      amountDue: money(String(i.amount_due), String(i.currency)),
      creditApplied: money(String(i.credit_applied), String(i.currency)),
      writtenOff: money(String(i.written_off_amount), String(i.currency)),
      billTo: (i.bill_to as Address | null) ?? null,
    })),
    payments: payments.map((p) => ({
      id: String(p.id),
      amount: money(String(p.amount), String(p.currency)),
      reference: String(p.reference),
      receivedAt: iso(p.received_at as Date) ?? '',
    })),
    credits: credits.map((c) => ({
      id: String(c.id),
      paymentId: String(c.payment_id),
      amount: money(String(c.amount), String(c.currency)),
      remaining: money(String(c.remaining), String(c.currency)),
      createdAt: iso(c.created_at as Date) ?? '',
    })),
    backorder,
  };
}

export async function notificationsOf(db: Db, journeyId: string): Promise<z.infer<typeof notificationSchema>[]> {
  const rows = (await db('email_outbox')
    .where({ journey_id: journeyId })
    .orderBy('created_at')
    .select('kind', 'to_address', 'subject', 'sent_at', 'created_at')) as Row[];
  return rows.map((r) => ({
    kind: String(r.kind),
    to: String(r.to_address),
    subject: String(r.subject),
    sentAt: iso(r.sent_at as Date | null),
    createdAt: iso(r.created_at as Date) ?? '',
  }));
}

/**
 * The audit trail written by the workflow (transitions, confirmations, activities, reassignments),
 * with what the capture channels received for the journey: its web form submission and its mails.
 */
export async function timelineOf(db: Db, journeyId: string): Promise<z.infer<typeof timelineEntrySchema>[]> {
  const [audit, submissions, mails] = await Promise.all([
    db('journey_audit')
      .leftJoin('users', 'users.id', 'journey_audit.actor_id')
      .where({ 'journey_audit.journey_id': journeyId })
      .orderBy('journey_audit.seq')
      .select('journey_audit.*', 'users.name as actor_name') as Promise<Row[]>,
    db('form_submissions as s')
      .join('lead_forms as f', 'f.key', 's.form_key')
      .where({ 's.journey_id': journeyId })
      .select('s.received_at', 's.stage', 's.origin', 'f.key', 'f.name') as Promise<Row[]>,
    db('inbound_messages').where({ journey_id: journeyId }).orderBy('received_at') as Promise<Row[]>,
  ]);
  const entry = (at: unknown, type: string, stage: unknown, detail: Record<string, unknown>) => ({
    at: iso(at as Date) ?? '',
    type,
    stage: String(stage),
    event: null,
    actor: null,
    actorName: null,
    role: null,
    detail,
  });
  const entries = [
    ...audit.map((a) => ({
      at: iso(a.at as Date) ?? '',
      type: String(a.type),
      stage: String(a.stage),
      event: s(a.event),
      actor: s(a.actor_id),
      actorName: s(a.actor_name),
      role: s(a.actor_role),
      detail: (a.detail ?? {}) as Record<string, unknown>,
    })),
    ...submissions.map((f) => entry(f.received_at, 'form_submitted', f.stage, { formKey: f.key, formName: f.name, origin: f.origin })),
    ...mails.map((m) =>
      entry(m.received_at, 'email_received', m.stage, {
        kind: m.kind,
        messageId: m.message_id,
        from: m.from_address,
        fromName: m.from_name,
        subject: m.subject,
        text: m.text,
      }),
    ),
  ];
  // Stable: entries of the same instant keep the order above (the audit's by its sequence).
  return entries.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}
