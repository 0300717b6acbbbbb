// One work queue (GET /v1/queues/{queue}) as cards: who and what, why it waits, and the details the
// role acts on: the order's lines, picked/packed, ship-by, ship-to and shortages for the warehouse;
// the invoice's days overdue, amount and last reminder for finance.
import { api } from '../api';
import { Empty } from '../components/Empty';
import { ErrorNotice } from '../components/ErrorNotice';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { WaitReasonNote } from '../components/WaitReasonNote';
import { formatDay, formatMoney, humanize, plural } from '../format';
import { QUEUE_PAGES } from '../queues';
import { journeyPath } from '../routes';
import type { Address, QueueItem, QueueName } from '../types';
import { useLoad } from '../useLoad';
import { reasonLabel } from '../vocabulary';

const addressText = (a: Address) => [a.line1, a.line2, `${a.postalCode} ${a.city}`, a.region, a.country].filter(Boolean).join(', ');

function OrderDetails({ order }: { order: NonNullable<QueueItem['order']> }) {
  const state = order.packed ? 'Packed' : order.picked ? 'Picked' : 'Not picked yet';
  return (
    <dl className="queue-facts">
      <dt>Order</dt>
      <dd>{order.number}</dd>
      <dt>Items</dt>
      <dd>
        <ul className="queue-lines">
          {order.lines.map((l) => (
            <li key={l.sku}>
              {l.quantity} × {l.name} <span className="muted">({l.sku})</span>
            </li>
          ))}
        </ul>
      </dd>
      <dt>State</dt>
      <dd>{state}</dd>
      <dt>Ship by</dt>
      <dd>{formatDay(order.shipBy)}</dd>
      <dt>Ship to</dt>
      <dd>{order.shipTo ? addressText(order.shipTo) : 'No address yet'}</dd>
      {order.shortages.length > 0 && (
        <>
          <dt>Short</dt>
          <dd>
            {order.shortages.map((s) => (
              <div key={s.purchaseOrder + s.sku}>
                {s.quantity} × {s.sku}, <Link href="/purchase-orders">{s.purchaseOrder}</Link>
              </div>
            ))}
          </dd>
        </>
      )}
    </dl>
  );
}

function InvoiceDetails({ invoice }: { invoice: NonNullable<QueueItem['invoice']> }) {
  const late = invoice.daysOverdue;
  return (
    <dl className="queue-facts">
      <dt>Invoice</dt>
      <dd>{invoice.number}</dd>
      <dt>Amount due</dt>
      <dd>{formatMoney(invoice.amountDue)}</dd>
      <dt>{late > 0 ? 'Overdue' : 'Due'}</dt>
      <dd>{late > 0 ? `${plural(late, 'day')} (due ${formatDay(invoice.dueDate)})` : formatDay(invoice.dueDate)}</dd>
      <dt>Last reminder</dt>
      <dd>{invoice.lastReminder ? `Level ${invoice.lastReminder.level}, sent ${formatDay(invoice.lastReminder.sentAt)}` : 'None sent'}</dd>
    </dl>
  );
}

function QueueCard({ item }: { item: QueueItem }) {
  const who = item.lead.company ? `${item.lead.name ?? 'Unnamed'}, ${item.lead.company}` : (item.lead.name ?? 'Unnamed lead');
  return (
    <li className="queue-card">
      <div className="queue-card-head">
        <Link href={journeyPath(item.journeyId)} className="queue-card-title">
          {who}
        </Link>
        <span className="muted">
          {humanize(item.stage)}
          {item.amount ? ` · ${formatMoney(item.amount)}` : ''}
          {item.owner ? ` · ${item.owner.name ?? 'Unnamed owner'}` : ''}
        </span>
      </div>
      {item.stuck && (
        <p>
          <span className="flag">{reasonLabel(item.stuck.reason)}</span> since {formatDay(item.stuck.since)}
        </p>
      )}
      <WaitReasonNote reason={item.waitReason} />
      {item.order && <OrderDetails order={item.order} />}
      {item.invoice && <InvoiceDetails invoice={item.invoice} />}
    </li>
  );
}

export function QueuePage({ queue }: { queue: QueueName }) {
  const page = QUEUE_PAGES.find((q) => q.queue === queue);
  const items = useLoad(() => api.get<{ items: QueueItem[] }>(`/v1/queues/${queue}`), [queue]);
  const rows = items.data?.items ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>{page?.title ?? humanize(queue)}</h1>
        <button type="button" className="button-secondary" onClick={() => items.reload()}>
          Refresh
        </button>
      </div>
      {items.error && <ErrorNotice error={items.error} onRetry={() => items.reload()} />}
      {items.loading && !items.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        !items.error && <Empty title="Nothing waits here." />
      ) : (
        <>
          <p className="muted">{plural(rows.length, 'item')}, the longest wait first.</p>
          <ul className="queue-list" aria-label={page?.label ?? queue}>
            {rows.map((item) => (
              <QueueCard key={item.journeyId} item={item} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
