// The warehouse's purchase orders: what is still expected, per line, and the order waiting for it.
// Receiving books what arrived (partial receipts too); the journeys it can serve go on by themselves.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Empty } from '../components/Empty';
import { ErrorNotice } from '../components/ErrorNotice';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { formatDay, humanize } from '../format';
import { journeyPath } from '../routes';
import type { PurchaseOrder, ReceiptAnswer } from '../types';
import { useLoad } from '../useLoad';

const STATUSES = ['open', 'received', 'cancelled'] as const;

function ReceiveForm({ po, onReceived }: { po: PurchaseOrder; onReceived: (answer: ReceiptAnswer) => void }) {
  const [quantities, setQuantities] = useState<Record<string, string>>(() => Object.fromEntries(po.lines.map((l) => [l.sku, String(l.outstanding)])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const lines = po.lines.map((l) => ({ sku: l.sku, quantity: Number(quantities[l.sku] ?? 0) })).filter((l) => l.quantity > 0);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // One key per submission: a retry of this request after a lost answer books nothing twice.
      onReceived(await api.post<ReceiptAnswer>(`/v1/purchase-orders/${po.id}/receipts`, { lines }, { 'idempotency-key': crypto.randomUUID() }));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="filters" onSubmit={(e) => void submit(e)} aria-label={`Receive purchase order ${po.number}`}>
      {po.lines.map((l) => (
        <label key={l.sku}>
          {l.sku} received (at most {l.outstanding})
          <input
            type="number"
            min={0}
            max={l.outstanding}
            step={1}
            value={quantities[l.sku] ?? ''}
            onChange={(e) => setQuantities((q) => ({ ...q, [l.sku]: e.target.value }))}
          />
        </label>
      ))}
      <button type="submit" disabled={busy || lines.length === 0}>
        {busy ? 'Receiving…' : 'Receive'}
      </button>
      {error && <ErrorNotice error={error} title="Nothing was received" />}
    </form>
  );
}

function PurchaseOrderCard({ po, canReceive, onReceived }: { po: PurchaseOrder; canReceive: boolean; onReceived: (answer: ReceiptAnswer) => void }) {
  return (
    <article className="card" aria-label={`Purchase order ${po.number}`}>
      <div className="card-head">
        <h3>
          {po.number}
          {po.supplier ? ` · ${po.supplier}` : ''}
        </h3>
        <span className={`status status-${po.status}`}>{humanize(po.status)}</span>
      </div>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" className="num">
              Ordered
            </th>
            <th scope="col" className="num">
              Received
            </th>
            <th scope="col" className="num">
              Outstanding
            </th>
          </tr>
        </thead>
        <tbody>
          {po.lines.map((l) => (
            <tr key={l.sku}>
              <td>
                {l.sku} · {l.name}
              </td>
              <td className="num">{l.ordered}</td>
              <td className="num">{l.received}</td>
              <td className="num">{l.outstanding}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Raised {formatDay(po.createdAt)}
        {po.raisedFor && (
          <>
            {' '}
            for order {po.raisedFor.orderNumber} (<Link href={journeyPath(po.raisedFor.journeyId)}>its journey</Link>)
          </>
        )}
      </p>
      {canReceive && po.status === 'open' && <ReceiveForm po={po} onReceived={onReceived} />}
    </article>
  );
}

export function PurchaseOrdersPage({ canReceive }: { canReceive: boolean }) {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('open');
  const [receipt, setReceipt] = useState<ReceiptAnswer | null>(null);
  const orders = useLoad(() => api.get<{ items: PurchaseOrder[] }>('/v1/purchase-orders', { status }), [status]);
  const received = (answer: ReceiptAnswer) => {
    setReceipt(answer);
    orders.reload(true);
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Purchase orders</h1>
        <button type="button" className="button-secondary" onClick={() => orders.reload()}>
          Refresh
        </button>
      </div>
      <div role="status">
        {receipt && (
          <p>
            Received on {receipt.purchaseOrder.number}: {receipt.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}.{' '}
            {receipt.restocked.length === 0
              ? 'No waiting order can be served in full yet.'
              : `Restocked ${receipt.restocked.length} waiting ${receipt.restocked.length === 1 ? 'journey' : 'journeys'}.`}
          </p>
        )}
      </div>
      <section className="card" aria-labelledby="po-list-title">
        <div className="card-head">
          <h2 id="po-list-title">{humanize(status)} purchase orders</h2>
          <label>
            Status{' '}
            <select value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {orders.loading && <Loading />}
        {orders.error && <ErrorNotice error={orders.error} onRetry={() => orders.reload()} />}
        {orders.data && orders.data.items.length === 0 && (
          <Empty title={`No ${status} purchase orders.`}>Orders short of stock raise them in fulfilment.</Empty>
        )}
        {orders.data?.items.map((po) => (
          <PurchaseOrderCard key={`${po.id}-${po.lines.map((l) => l.received).join('-')}`} po={po} canReceive={canReceive} onReceived={received} />
        ))}
      </section>
    </div>
  );
}
