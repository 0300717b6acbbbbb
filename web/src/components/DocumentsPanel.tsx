// The journey's business documents: quote versions with lines (and their PDF), the order,
// its backorder (what is short, on which purchase order), shipments, invoices (and their PDF), payments.
// Lines show their net; each document's net, tax per rate and gross are in the same totals block.
import { Fragment } from 'react';
import { formatDate, formatDay, formatMoney, humanize } from '../format';
import type { Documents } from '../types';
import { DocumentTotals } from './DocumentTotals';
import { Empty } from './Empty';
import { PdfLink } from './PdfLink';

export function DocumentsPanel({ documents, nameOf }: { documents: Documents; nameOf: (id: string | null) => string }) {
  const { quotes, order, backorder, shipments, invoices, payments } = documents;
  const none = quotes.length + shipments.length + invoices.length + payments.length === 0 && !order;
  return (
    <section className="card documents-card" aria-labelledby="documents-title">
      <h2 id="documents-title">Documents</h2>
      {none && <Empty title="No documents yet.">Quotes, the order, shipments, invoices and payments appear here.</Empty>}
      {quotes.length > 0 && (
        <div className="doc-group">
          <h3>Quotes</h3>
          {[...quotes].reverse().map((q) => (
            <details key={q.id} className="doc" open={q === quotes[quotes.length - 1]}>
              <summary>
                <span className="doc-title">
                  {q.number} · version {q.version}
                </span>
                <span className={`status status-${q.status}`}>{humanize(q.status)}</span>
                <span className="doc-amount">{formatMoney(q.total)}</span>
              </summary>
              {/* Not in the summary: a button inside the disclosure's own control is nested-interactive. */}
              <PdfLink kind="quotes" id={q.id} label={`Quote ${q.number} version ${q.version}`} />
              <div className="table-wrap">
                <table className="table compact cards-on-phone">
                  <thead>
                    <tr>
                      <th scope="col">Product</th>
                      <th scope="col" className="num">
                        Qty
                      </th>
                      <th scope="col" className="num">
                        Unit
                      </th>
                      <th scope="col" className="num">
                        Discount
                      </th>
                      <th scope="col" className="num">
                        Net
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.lines.map((l, i) => (
                      <tr key={i}>
                        <td data-label="Product">
                          {l.sku} · {l.name}
                        </td>
                        <td data-label="Qty" className="num">
                          {l.quantity}
                        </td>
                        <td data-label="Unit" className="num">
                          {formatMoney(l.unitPrice)}
                        </td>
                        <td data-label="Discount" className="num">
                          {Number(l.discountPct) > 0 ? `${Number(l.discountPct)} %` : '—'}
                        </td>
                        <td data-label="Net" className="num">
                          {formatMoney(l.net)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <DocumentTotals totals={q.totals} label={`Quote ${q.number} version ${q.version}`} />
              <p className="muted small">
                Valid until {formatDay(q.validUntil)} · by {nameOf(q.author)}
              </p>
            </details>
          ))}
        </div>
      )}
      {order && (
        <div className="doc-group">
          <h3>Order</h3>
          <div className="doc-row">
            <span className="doc-title">{order.number}</span>
            <span className={`status status-${order.status}`}>{humanize(order.status)}</span>
            {order.creditStatus === 'hold' && <span className="flag">Credit hold</span>}
            {order.creditStatus === 'released' && <span className="muted small">Credit hold released</span>}
            <span className="doc-amount" data-testid="order-total">
              {formatMoney(order.total)}
            </span>
          </div>
          <DocumentTotals totals={order.totals} label={`Order ${order.number}`} />
        </div>
      )}
      {backorder.length > 0 && (
        <div className="doc-group">
          <h3>Backorder</h3>
          {backorder.map((b) => (
            <div key={b.sku} className="doc-row">
              <span className="doc-title">
                {b.short} × {b.sku} · {b.name} short
              </span>
              <span className="muted small">
                {b.purchaseOrders.length === 0
                  ? 'no purchase order raised'
                  : b.purchaseOrders.map((po) => `${po.number} (${humanize(po.status)}, ${po.received} of ${po.ordered} received)`).join(', ')}
              </span>
            </div>
          ))}
        </div>
      )}
      {shipments.length > 0 && (
        <div className="doc-group">
          <h3>Shipments</h3>
          {shipments.map((s) => (
            <div key={s.id} className="doc-row">
              <span className="doc-title">
                {s.carrier ?? 'Carrier to be named'} {s.trackingNumber ? `· ${s.trackingNumber}` : ''}
              </span>
              <span className={`status status-${s.status}`}>{humanize(s.status)}</span>
              <span className="muted small">{s.shippedAt ? formatDate(s.shippedAt) : ''}</span>
            </div>
          ))}
        </div>
      )}
      {invoices.length > 0 && (
        <div className="doc-group">
          <h3>Invoices</h3>
          {invoices.map((i) => (
            <Fragment key={i.id}>
              <div className="doc-row">
                <span className="doc-title">{i.number}</span>
                <span className={`status status-${i.status}`}>{humanize(i.status)}</span>
                <span className="doc-amount">{formatMoney(i.total)}</span>
                <span className="muted small">
                  due {formatDay(i.dueDate)} · open {formatMoney(i.amountDue)}
                  {i.creditApplied.amount !== '0.00' && <> · credit applied −{formatMoney(i.creditApplied)}</>}
                </span>
                <PdfLink kind="invoices" id={i.id} label={`Invoice ${i.number}`} />
              </div>
              <DocumentTotals totals={i.totals} label={`Invoice ${i.number}`} />
            </Fragment>
          ))}
        </div>
      )}
      {payments.length > 0 && (
        <div className="doc-group">
          <h3>Payments</h3>
          {payments.map((p) => (
            <div key={p.id} className="doc-row">
              <span className="doc-title">{p.reference}</span>
              <span className="doc-amount">{formatMoney(p.amount)}</span>
              <span className="muted small">{formatDate(p.receivedAt)}</span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
