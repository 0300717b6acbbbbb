// Quote lines for PROPOSE and REVISE: products from GET /v1/products, quantity, discount; an
// estimate priced as the server will price the quote (net per line, VAT at the journey's rate,
// each rounded per line), shown in the same totals block as the quote itself.
import { useState, type FormEvent } from 'react';
import { formatMoney } from '../format';
import { fromCents, lineNet, lineTax } from '../money';
import type { DocumentTotals as Totals, Pricing, Product } from '../types';
import { DocumentTotals } from './DocumentTotals';

export interface LineInput {
  sku: string;
  quantity: number;
  discountPct?: number;
}

interface Row {
  sku: string;
  quantity: string;
  discountPct: string;
}

export function LinesForm({
  products,
  pricing,
  initial,
  submitLabel,
  busy,
  onSubmit,
  onCancel,
}: {
  products: Product[];
  pricing: Pricing | null;
  initial: LineInput[];
  submitLabel: string;
  busy: boolean;
  onSubmit: (lines: LineInput[]) => void;
  onCancel: () => void;
}) {
  const [rows, setRows] = useState<Row[]>(() =>
    (initial.length ? initial : [{ sku: products[0]?.sku ?? '', quantity: 1 }]).map((l) => ({
      sku: l.sku,
      quantity: String(l.quantity),
      discountPct: l.discountPct ? String(l.discountPct) : '',
    })),
  );
  const update = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const productOf = (sku: string) => products.find((p) => p.sku === sku);

  const currency = rows.map((r) => productOf(r.sku)?.price?.currency).find(Boolean) ?? 'EUR';
  const nets = rows.flatMap((r) => {
    const price = productOf(r.sku)?.price;
    return price ? [lineNet(price.amount, Number(r.quantity) || 0, Number(r.discountPct) || 0)] : [];
  });
  const net = nets.reduce((a, b) => a + b, 0n);
  const rate = pricing?.taxRatePct ?? null;
  const tax = rate === null ? 0n : nets.reduce((sum, n) => sum + lineTax(n, rate), 0n);
  const money = (cents: bigint) => ({ amount: fromCents(cents), currency });
  const estimate: Totals | null =
    rate === null ? null : { net: money(net), taxes: [{ ratePct: rate, net: money(net), tax: money(tax) }], gross: money(net + tax) };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(rows.map((r) => ({ sku: r.sku, quantity: Number(r.quantity), ...(r.discountPct.trim() ? { discountPct: Number(r.discountPct) } : {}) })));
  };

  return (
    <form className="subform" onSubmit={submit} aria-label={`${submitLabel}: quote lines`}>
      <table className="table lines">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Quantity</th>
            <th scope="col">Discount %</th>
            <th scope="col" className="num">
              Net
            </th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const price = productOf(r.sku)?.price;
            return (
              <tr key={i}>
                <td>
                  <select aria-label={`Product of line ${i + 1}`} value={r.sku} onChange={(e) => update(i, { sku: e.target.value })} required>
                    {products.map((p) => (
                      <option key={p.sku} value={p.sku}>
                        {p.sku} · {p.name} · {p.price ? formatMoney(p.price) : 'no price'} · {p.availability.available} available
                        {p.availability.incoming > 0 ? `, ${p.availability.incoming} incoming` : ''}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`Quantity of line ${i + 1}`}
                    type="number"
                    min={1}
                    max={100000}
                    step={1}
                    value={r.quantity}
                    onChange={(e) => update(i, { quantity: e.target.value })}
                    required
                  />
                </td>
                <td>
                  <input
                    aria-label={`Discount of line ${i + 1} in percent`}
                    type="number"
                    min={0}
                    max={100}
                    step="0.01"
                    value={r.discountPct}
                    placeholder="0"
                    onChange={(e) => update(i, { discountPct: e.target.value })}
                  />
                </td>
                <td className="num">
                  {price
                    ? formatMoney({ amount: fromCents(lineNet(price.amount, Number(r.quantity) || 0, Number(r.discountPct) || 0)), currency: price.currency })
                    : 'no price'}
                </td>
                <td>
                  {rows.length > 1 && (
                    <button
                      type="button"
                      className="button-link"
                      aria-label={`Remove line ${i + 1}`}
                      onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="subform-foot">
        <button
          type="button"
          className="button-secondary"
          onClick={() => setRows((rs) => [...rs, { sku: products[0]?.sku ?? '', quantity: '1', discountPct: '' }])}
        >
          Add line
        </button>
      </div>
      <div className="estimate">
        <h3 className="small">Estimate{pricing ? ` (VAT of ${pricing.taxCountry})` : ''}</h3>
        {estimate ? (
          <DocumentTotals totals={estimate} label="Estimate" />
        ) : (
          <p className="muted">Net {formatMoney(money(net))}; the tax follows from the customer's country when the quote is priced.</p>
        )}
      </div>
      <div className="actions">
        <button type="submit" disabled={busy || rows.length === 0}>
          {busy ? 'Sending…' : submitLabel}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
