// Finance's cash desk: upload a bank statement (camt.053, or CSV through a bank profile), then
// work the queue of bank lines by state: candidate invoices with their reasons, allocate a line
// (again to split it across invoices) or ignore it with a note; and refund customer credit.
import { useState, type FormEvent } from 'react';
import { api, ApiError, withQuery } from '../api';
import { CustomerCredit } from '../components/CustomerCredit';
import { Empty } from '../components/Empty';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { formatDay, formatMoney, humanize } from '../format';
import type { BankLine, BankLineState, StatementImport } from '../types';
import { useLoad } from '../useLoad';

const FORMATS = [
  { value: 'camt053', label: 'camt.053 (XML)' },
  { value: 'generic', label: 'CSV: generic' },
  { value: 'de-semicolon', label: 'CSV: semicolons, decimal comma' },
  { value: 'debit-credit', label: 'CSV: debit and credit columns' },
];
const STATES: BankLineState[] = ['suggested', 'unmatched', 'matched', 'ignored', 'reversed'];

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
const cents = (amount: string) => Math.round(Number(amount) * 100);
const open = (line: BankLine) => line.direction === 'credit' && !line.reversal && (line.state === 'suggested' || line.state === 'unmatched');

function StatementUpload({ onImported }: { onImported: (answer: StatementImport) => void }) {
  const [format, setFormat] = useState('camt053');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const text = await file.text();
      const answer =
        format === 'camt053'
          ? await api.upload<StatementImport>('/v1/finance/bank-statements', text, 'application/xml')
          : await api.upload<StatementImport>(withQuery('/v1/finance/bank-statements', { profile: format }), text, 'text/csv');
      onImported(answer);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="filters" onSubmit={(e) => void submit(e)} aria-label="Upload a bank statement">
      <label>
        Statement file
        <input type="file" accept=".xml,.csv,.txt" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label>
        Format
        <select value={format} onChange={(e) => setFormat(e.target.value)}>
          {FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!file || busy}>
        {busy ? 'Importing…' : 'Import statement'}
      </button>
      {error && <ErrorNotice error={error} title="The statement was not imported" />}
    </form>
  );
}

function LineActions({ line, onDone }: { line: BankLine; onDone: () => void }) {
  const left = ((cents(line.amount.amount) - cents(line.allocated.amount)) / 100).toFixed(2);
  const [invoiceId, setInvoiceId] = useState(line.candidates[0]?.invoiceId ?? '');
  const [amount, setAmount] = useState(left);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (event: FormEvent, action: 'allocate' | 'ignore') => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (action === 'allocate') await api.post(`/v1/finance/bank-lines/${line.id}/allocations`, { invoiceId, amount });
      else await api.post(`/v1/finance/bank-lines/${line.id}/ignore`, { note });
      onDone();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="line-actions">
      {open(line) && (
        <form className="filters" onSubmit={(e) => void act(e, 'allocate')} aria-label={`Allocate line ${line.id}`}>
          <label>
            Invoice
            <select value={invoiceId} onChange={(e) => setInvoiceId(e.target.value)} required aria-label="Invoice">
              <option value="">Choose an invoice…</option>
              {line.candidates.map((c) => (
                <option key={c.invoiceId} value={c.invoiceId}>
                  {c.number} (due {formatMoney(c.amountDue)})
                </option>
              ))}
            </select>
          </label>
          <label>
            Amount ({line.amount.currency})
            <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" required aria-label={`Amount (${line.amount.currency})`} />
          </label>
          <button type="submit" disabled={busy || !invoiceId}>
            Allocate
          </button>
        </form>
      )}
      {line.state !== 'ignored' && line.state !== 'reversed' && line.allocations.length === 0 && (
        <form className="filters" onSubmit={(e) => void act(e, 'ignore')} aria-label={`Ignore line ${line.id}`}>
          <label>
            Note
            <input value={note} onChange={(e) => setNote(e.target.value)} required maxLength={2000} aria-label="Note" />
          </label>
          <button type="submit" className="button-secondary" disabled={busy || note.trim() === ''}>
            Ignore
          </button>
        </form>
      )}
      {error && <ErrorNotice error={error} title="Not done" />}
    </div>
  );
}

function LineCard({ line, onDone }: { line: BankLine; onDone: () => void }) {
  return (
    <article className="card bank-line" aria-label={`Bank line ${formatMoney(line.amount)} on ${formatDay(line.bookingDate)}`}>
      <div className="card-head">
        <h3>
          {line.direction === 'debit' ? '−' : ''}
          {formatMoney(line.amount)} · {formatDay(line.bookingDate)}
        </h3>
        <span className={`status status-${line.state}`}>
          {humanize(line.state)}
          {line.reversal ? ' · reversal' : ''}
        </span>
      </div>
      <p>
        {line.counterparty.name ?? 'Unknown counterparty'}
        {line.counterparty.iban ? ` · ${line.counterparty.iban}` : ''}
      </p>
      <p className="muted">{line.remittance || 'No remittance text'}</p>
      {line.note && <p className="small">Note: {line.note}</p>}
      {line.reverses && line.reverses.paid.length > 0 && (
        <p className="notice notice-warn">
          Reverses a payment already taken: {line.reverses.paid.map((a) => formatMoney(a.amount)).join(', ')}. Settle it with the customer, then ignore this
          line with a note.
        </p>
      )}
      {line.candidates.length > 0 && (
        <ul className="candidates" aria-label="Candidate invoices">
          {line.candidates.map((c) => (
            <li key={c.invoiceId}>
              <strong>{c.number}</strong> (due {formatMoney(c.amountDue)}): {c.reasons.join('; ')}
            </li>
          ))}
        </ul>
      )}
      {line.allocations.length > 0 && (
        <p className="small">
          Allocated {formatMoney(line.allocated)}:{' '}
          {line.allocations.map((a) => `${formatMoney(a.amount)} (${humanize(a.rule)}${a.appliedAt ? '' : ', pending'})`).join(', ')}
        </p>
      )}
      <LineActions line={line} onDone={onDone} />
    </article>
  );
}

export function CashPage() {
  const [state, setState] = useState<BankLineState>('suggested');
  const [imported, setImported] = useState<StatementImport | null>(null);
  const lines = useLoad(() => api.get<{ items: BankLine[] }>('/v1/finance/bank-lines', { state }), [state]);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Cash</h1>
        <button type="button" className="button-secondary" onClick={() => lines.reload()}>
          Refresh
        </button>
      </div>
      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title">Bank statement</h2>
        <StatementUpload
          onImported={(answer) => {
            setImported(answer);
            lines.reload(true);
          }}
        />
        {imported && (
          <div role="status">
            <p>
              Imported {imported.lines} lines: {imported.matched} matched, {imported.suggested} suggested, {imported.unmatched} unmatched, {imported.duplicates}{' '}
              already imported.
            </p>
            {imported.warnings.map((w) => (
              <p key={w} className="notice notice-warn">
                {w}
              </p>
            ))}
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="queue-title">
        <div className="card-head">
          <h2 id="queue-title">Bank lines</h2>
          <label>
            Line state{' '}
            <select value={state} onChange={(e) => setState(e.target.value as BankLineState)}>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {lines.loading && <Loading />}
        {lines.error && <ErrorNotice error={lines.error} onRetry={() => lines.reload()} />}
        {lines.data && lines.data.items.length === 0 && <Empty title={`No ${state} bank lines.`}>Upload a statement, or choose another state.</Empty>}
        {lines.data?.items.map((line) => (
          <LineCard key={`${line.id}-${line.allocated.amount}-${line.state}`} line={line} onDone={() => lines.reload(true)} />
        ))}
      </section>
      <CustomerCredit />
    </div>
  );
}
