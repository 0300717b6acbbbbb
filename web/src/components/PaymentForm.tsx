// PAYMENT_RECEIVED: amount (a decimal string), currency and the bank reference; partial and
// over-payments are allowed, the open amount is suggested.
import { useState, type FormEvent } from 'react';
import type { Money } from '../types';

export function PaymentForm({
  due,
  busy,
  onSubmit,
  onCancel,
}: {
  due: Money | null;
  busy: boolean;
  onSubmit: (data: { amount: string; currency: string; reference: string }) => void;
  onCancel: () => void;
}) {
  const [amount, setAmount] = useState(due?.amount ?? '');
  const [currency, setCurrency] = useState(due?.currency ?? 'EUR');
  const [reference, setReference] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ amount: amount.trim(), currency: currency.trim().toUpperCase(), reference: reference.trim() });
  };
  return (
    <form className="subform" onSubmit={submit} aria-label="Payment">
      <div className="grid-3">
        <div className="field">
          <label htmlFor="pay-amount">Amount</label>
          <input
            id="pay-amount"
            inputMode="decimal"
            pattern="\d+(\.\d{1,2})?"
            title="A decimal amount such as 1250.00"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="pay-currency">Currency</label>
          <input id="pay-currency" maxLength={3} pattern="[A-Za-z]{3}" value={currency} onChange={(e) => setCurrency(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="pay-reference">Reference</label>
          <input id="pay-reference" value={reference} onChange={(e) => setReference(e.target.value)} required maxLength={100} placeholder="Bank reference" />
        </div>
      </div>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Record payment'}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
