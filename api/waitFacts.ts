// The records a wait is explained from (api/waitReason.ts), read for many journeys at once: the
// latest quote, the open purchase orders raised for the order's shortages, the open invoice and
// the last reminder sent. A few queries per page, whatever its length.
import type { Db } from '../db/connection';
import { definitionOf } from './definitions';
import { safeError } from './safeErrors';
import type { JourneyRow } from './scoping';
import { explainWait, type WaitFacts, type WaitReason } from './waitReason';

type Row = Record<string, unknown>;

function byJourney<T>(rows: Row[], map: (row: Row) => T): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const id = String(row.journey_id);
    grouped.set(id, [...(grouped.get(id) ?? []), map(row)]);
  }
  return grouped;
}

type ProjectionRow = Pick<
  JourneyRow,
  'id' | 'stage' | 'status' | 'pending_role' | 'sla_due_at' | 'parked_activity' | 'last_error' | 'last_error_type' | 'definition_key' | 'definition_version'
> & { hold_reason?: string | null };

/** The facts per journey id, from the projection row and the records. */
export async function waitFactsOf(db: Db, rows: ProjectionRow[]): Promise<Map<string, WaitFacts>> {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return new Map();
  const [quotes, shortages, invoices] = await Promise.all([
    db('quotes')
      .distinctOn('journey_id')
      .whereIn('journey_id', ids)
      .orderBy([{ column: 'journey_id' }, { column: 'created_at', order: 'desc' }, { column: 'version', order: 'desc' }])
      .select('journey_id', 'number', 'max_discount_pct', 'valid_until') as Promise<Row[]>,
    db('purchase_orders as po')
      .join('sales_orders as o', 'o.id', 'po.order_id')
      .whereIn('o.journey_id', ids)
      .where('po.status', 'open')
      .orderBy('po.number')
      .select('o.journey_id', 'po.number', 'po.sku', 'po.quantity') as Promise<Row[]>,
    db('invoices as i')
      .whereIn('i.journey_id', ids)
      .whereNotIn('i.status', ['paid', 'written_off'])
      .select(
        'i.journey_id',
        'i.number',
        'i.due_at',
        'i.amount_due',
        'i.currency',
        db('dunning_notices as d').whereRaw('d.invoice_id = i.id').max('d.level').as('last_level'),
      ) as Promise<Row[]>,
  ]);
  const quoteOf = new Map(quotes.map((q) => [String(q.journey_id), q]));
  const shortagesOf = byJourney(shortages, (p) => ({ sku: String(p.sku), quantity: Number(p.quantity), purchaseOrder: String(p.number) }));
  const invoiceOf = new Map(invoices.map((i) => [String(i.journey_id), i]));
  return new Map(
    rows.map((row) => {
      const quote = quoteOf.get(row.id);
      const invoice = invoiceOf.get(row.id);
      const facts: WaitFacts = {
        stage: row.stage,
        status: row.status,
        pendingRole: row.pending_role,
        slaDueAt: row.sla_due_at ? new Date(row.sla_due_at) : null,
        // Everyone reads the plain message; the raw cause stays with ops and admin (api/safeErrors.ts).
        parked: row.parked_activity
          ? { activity: row.parked_activity, message: safeError({ message: row.last_error ?? '', type: row.last_error_type }, []).message }
          : null,
        holdReason: row.hold_reason ?? null,
        quote: quote ? { number: String(quote.number), maxDiscountPct: Number(quote.max_discount_pct), validUntil: new Date(quote.valid_until as Date) } : null,
        shortages: shortagesOf.get(row.id) ?? [],
        invoice: invoice
          ? {
              number: String(invoice.number),
              dueAt: new Date(invoice.due_at as Date),
              amountDue: String(invoice.amount_due),
              currency: String(invoice.currency),
            }
          : null,
        lastReminderLevel: invoice?.last_level == null ? null : Number(invoice.last_level),
      };
      return [row.id, facts];
    }),
  );
}

/** Each journey's wait explained, from its own definition version. */
export async function waitReasonsOf(db: Db, rows: ProjectionRow[], now: Date): Promise<Map<string, WaitReason>> {
  const facts = await waitFactsOf(db, rows);
  const reasons = new Map<string, WaitReason>();
  for (const row of rows) {
    const definition = await definitionOf(db, row.definition_key, Number(row.definition_version));
    const f = facts.get(row.id);
    if (definition && f) reasons.set(row.id, explainWait(definition, f, now));
  }
  return reasons;
}
