// A document's totals as its customer reads them: net, the tax of each VAT rate with the net it is
// charged on, and gross. Summed from the stored, rounded lines, so quote, order and invoice (and
// the console's estimate, which prices the same way) show the same figures.
import { z } from 'zod';
import { formatCents, toCents } from '../db/money';
import { moneySchema } from './schemas';

export const documentTotalsSchema = z
  .strictObject({
    net: moneySchema,
    taxes: z
      .array(z.strictObject({ ratePct: z.string().describe('e.g. "19" or "7.5"'), net: moneySchema, tax: moneySchema }))
      .describe('one per VAT rate, highest first'),
    gross: moneySchema.describe('net plus every tax: the total'),
  })
  .describe('from the lines: net, tax per rate, gross');

/** A stored priced line (quote, order or invoice line), as the database row has it. */
type TaxedLine = Record<string, unknown>;

/** "19.0000" → "19", "7.5000" → "7.5". */
export const ratePct = (stored: unknown) => String(Number(stored));

export function totalsOf(lines: TaxedLine[], currency: string): z.infer<typeof documentTotalsSchema> {
  const byRate = new Map<string, { net: bigint; tax: bigint }>();
  let net = 0n;
  let tax = 0n;
  for (const line of lines) {
    const rate = ratePct(line.tax_rate_pct);
    const sums = byRate.get(rate) ?? { net: 0n, tax: 0n };
    sums.net += toCents(String(line.net_amount));
    sums.tax += toCents(String(line.tax_amount));
    byRate.set(rate, sums);
    net += toCents(String(line.net_amount));
    tax += toCents(String(line.tax_amount));
  }
  const money = (cents: bigint) => ({ amount: formatCents(cents), currency });
  return {
    net: money(net),
    taxes: [...byRate.entries()]
      .sort(([a], [b]) => Number(b) - Number(a))
      .map(([rate, sums]) => ({ ratePct: rate, net: money(sums.net), tax: money(sums.tax) })),
    gross: money(net + tax),
  };
}
