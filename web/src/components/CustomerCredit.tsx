// Customer credit on the cash desk: the accounts holding credit from over-payments, one account's
// credit with what used it, and a refund by finance, which makes a credit note (with its PDF).
import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { formatAmounts, formatDay, formatMoney } from '../format';
import type { AccountCredit, CreditHolder, CreditNote } from '../types';
import { useLoad } from '../useLoad';
import { Empty } from './Empty';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';
import { PdfLink } from './PdfLink';

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));

function RefundForm({ credit, onRefunded }: { credit: AccountCredit; onRefunded: (note: CreditNote) => void }) {
  const currencies = credit.available.map((m) => m.currency);
  const [currency, setCurrency] = useState(currencies[0] ?? 'EUR');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // One key per refund: a repeated click or a retry after a lost answer makes one credit note.
  const key = useRef(crypto.randomUUID());
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const note = await api.post<CreditNote>(
        `/v1/accounts/${encodeURIComponent(credit.accountId)}/credit-refunds`,
        { amount, currency, reason },
        { 'idempotency-key': key.current },
      );
      key.current = crypto.randomUUID();
      setAmount('');
      setReason('');
      onRefunded(note);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="filters" onSubmit={(e) => void submit(e)} aria-label={`Refund credit of ${credit.accountName}`}>
      <label>
        Amount
        <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" required placeholder="0.00" />
      </label>
      <label>
        Currency
        <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
      </label>
      <button type="submit" disabled={busy || amount.trim() === '' || reason.trim() === ''}>
        {busy ? 'Refunding…' : 'Refund'}
      </button>
      {error && <ErrorNotice error={error} title="The credit was not refunded" />}
    </form>
  );
}

function AccountCreditPanel({ accountId, onChanged }: { accountId: string; onChanged: () => void }) {
  const credit = useLoad(() => api.get<AccountCredit>(`/v1/accounts/${encodeURIComponent(accountId)}/credit`), [accountId]);
  const [made, setMade] = useState<CreditNote | null>(null);
  if (credit.loading) return <Loading />;
  if (credit.error) return <ErrorNotice error={credit.error} onRetry={() => credit.reload()} />;
  const c = credit.data;
  if (!c) return null;
  return (
    <section className="doc-group" aria-labelledby="account-credit-title">
      <h3 id="account-credit-title">Credit of {c.accountName}</h3>
      <p>Available: {formatAmounts(c.available)}</p>
      <RefundForm
        key={c.accountId}
        credit={c}
        onRefunded={(note) => {
          setMade(note);
          credit.reload(true);
          onChanged();
        }}
      />
      {made && (
        <p role="status">
          Credit note {made.number} made for {formatMoney(made.amount)}.
        </p>
      )}
      <h4>Credit notes</h4>
      {c.creditNotes.length === 0 && <p className="muted small">No refunds yet.</p>}
      {c.creditNotes.map((n) => (
        <div key={n.id} className="doc-row">
          <span className="doc-title">{n.number}</span>
          <span className="doc-amount">{formatMoney(n.amount)}</span>
          <span className="muted small">
            {formatDay(n.createdAt)} · {n.reason}
          </span>
          <PdfLink kind="credit-notes" id={n.id} label={`Credit note ${n.number}`} />
        </div>
      ))}
      <h4>Credit entries</h4>
      {c.credits.map((entry) => (
        <div key={entry.id} className="doc-row">
          <span className="doc-title">From {entry.invoiceNumber ?? entry.invoiceId}</span>
          <span className="doc-amount">{formatMoney(entry.amount)}</span>
          <span className="muted small">
            {formatDay(entry.createdAt)} · left {formatMoney(entry.remaining)}
          </span>
        </div>
      ))}
    </section>
  );
}

export function CustomerCredit() {
  const holders = useLoad(() => api.get<{ items: CreditHolder[] }>('/v1/finance/credits'), []);
  const [accountId, setAccountId] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="credit-title">
      <div className="card-head">
        <h2 id="credit-title">Customer credit</h2>
        <button type="button" className="button-secondary" onClick={() => holders.reload()}>
          Refresh credit
        </button>
      </div>
      {holders.loading && <Loading />}
      {holders.error && <ErrorNotice error={holders.error} onRetry={() => holders.reload()} />}
      {holders.data && holders.data.items.length === 0 && <Empty title="No account holds credit.">Over-payments appear here as credit.</Empty>}
      {holders.data && holders.data.items.length > 0 && (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col" className="num">
                Available
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {holders.data.items.map((h) => (
              <tr key={h.accountId}>
                <td>{h.accountName}</td>
                <td className="num">{formatAmounts(h.available)}</td>
                <td>
                  <button
                    type="button"
                    className="button-link small"
                    aria-pressed={accountId === h.accountId}
                    aria-label={`Show credit of ${h.accountName}`}
                    onClick={() => setAccountId(h.accountId)}
                  >
                    Show
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {accountId && <AccountCreditPanel key={accountId} accountId={accountId} onChanged={() => holders.reload(true)} />}
    </section>
  );
}
