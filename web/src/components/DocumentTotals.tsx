// Net, tax per VAT rate and gross: the same block under the quote editor's estimate, the quote,
// the order and the invoice, so their figures can be compared line by line.
import { formatMoney } from '../format';
import type { DocumentTotals as Totals } from '../types';

export function DocumentTotals({ totals, label }: { totals: Totals; label: string }) {
  return (
    <table className="numbers document-totals" aria-label={label} data-totals={label}>
      <tbody>
        <tr data-figure="net">
          <th scope="row">Net</th>
          <td className="num">{formatMoney(totals.net)}</td>
        </tr>
        {totals.taxes.map((t) => (
          <tr key={t.ratePct} data-figure={`tax-${t.ratePct}`}>
            <th scope="row">
              VAT {t.ratePct} % on {formatMoney(t.net)}
            </th>
            <td className="num">{formatMoney(t.tax)}</td>
          </tr>
        ))}
        <tr data-figure="gross" className="document-gross">
          <th scope="row">Gross</th>
          <td className="num">{formatMoney(totals.gross)}</td>
        </tr>
      </tbody>
    </table>
  );
}
