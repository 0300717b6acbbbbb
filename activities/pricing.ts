// Pricing arithmetic, pure. Per line: list = unit price × quantity; discount = list × pct, rounded
// half-up to the cent; net = list − discount; tax = net × VAT rate, rounded half-up to the cent;
// total = net + tax. Document totals are sums of the rounded lines (what the customer can add up).
import { formatCents, percentOf, toCents } from '../db/money';
import type { PricedLineRow, Totals } from '../db/queries/quotes';

export interface LineToPrice {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: string;
  /** Rounded to four decimals before use, as stored. */
  discountPct: number;
}

export function priceLines(lines: LineToPrice[], currency: string, taxRatePct: string): { lines: PricedLineRow[]; totals: Totals; maxDiscountPct: number } {
  const sums = { list: 0n, discount: 0n, net: 0n, tax: 0n, total: 0n };
  let maxDiscountPct = 0;
  const priced = lines.map((line, i): PricedLineRow => {
    const pct = Math.round(line.discountPct * 10_000) / 10_000;
    maxDiscountPct = Math.max(maxDiscountPct, pct);
    const list = toCents(line.unitPrice) * BigInt(line.quantity);
    const discount = percentOf(list, pct);
    const net = list - discount;
    const tax = percentOf(net, taxRatePct);
    const total = net + tax;
    sums.list += list;
    sums.discount += discount;
    sums.net += net;
    sums.tax += tax;
    sums.total += total;
    return {
      line_no: i + 1,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      currency,
      unit_price: formatCents(toCents(line.unitPrice)),
      discount_pct: pct.toFixed(4),
      list_amount: formatCents(list),
      discount_amount: formatCents(discount),
      net_amount: formatCents(net),
      tax_rate_pct: taxRatePct,
      tax_amount: formatCents(tax),
      total: formatCents(total),
    };
  });
  return {
    lines: priced,
    totals: {
      currency,
      list_total: formatCents(sums.list),
      discount_total: formatCents(sums.discount),
      net_total: formatCents(sums.net),
      tax_total: formatCents(sums.tax),
      total: formatCents(sums.total),
    },
    maxDiscountPct,
  };
}

/** The totals of a document and of lines added to it: sums of the rounded lines, as ever. */
export function addTotals(a: Totals, b: Totals): Totals {
  const sum = (field: Exclude<keyof Totals, 'currency'>) => formatCents(toCents(a[field]) + toCents(b[field]));
  return {
    currency: a.currency,
    list_total: sum('list_total'),
    discount_total: sum('discount_total'),
    net_total: sum('net_total'),
    tax_total: sum('tax_total'),
    total: sum('total'),
  };
}
