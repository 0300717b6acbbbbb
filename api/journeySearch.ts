// The journey list's search: the lead (name, email, company) or a document of the journey, by
// order or invoice number, the invoice's RF payment reference or the reference a payment carried.
import type { Knex } from 'knex';

const likeOf = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function whereSearchMatches(query: Knex.QueryBuilder, text: string): void {
  const like = likeOf(text.trim());
  // Banks and PDFs print RF references in groups of four: compare them without spaces.
  const compact = likeOf(text.replace(/\s+/g, ''));
  void query.where((w) => {
    void w
      .whereILike('journeys.lead_name', like)
      .orWhereILike('journeys.lead_email', like)
      .orWhereILike('journeys.company', like)
      .orWhereExists((s) => void s.select(1).from('sales_orders').whereRaw('sales_orders.journey_id = journeys.id').andWhereILike('sales_orders.number', like))
      .orWhereExists(
        (s) =>
          void s
            .select(1)
            .from('invoices')
            .whereRaw('invoices.journey_id = journeys.id')
            .andWhere((i) => void i.whereILike('invoices.number', like).orWhereILike('invoices.payment_reference', compact)),
      )
      .orWhereExists((s) => void s.select(1).from('payments').whereRaw('payments.journey_id = journeys.id').andWhereILike('payments.reference', like));
  });
}
