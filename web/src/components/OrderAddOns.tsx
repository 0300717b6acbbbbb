// The accessories and substitutes suggested for the order, each with an Add button while the order
// waits for its confirmation (ADD_LINES): the order is priced again and its new total shown.
import { useState } from 'react';
import { api, ApiError } from '../api';
import { formatMoney } from '../format';
import type { JourneyDetail, JourneyState, OrderSuggestion } from '../types';
import { ErrorNotice } from './ErrorNotice';

export function OrderAddOns({ journey, onDone }: { journey: JourneyDetail; onDone: () => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const order = journey.documents.order;
  if (!order || order.suggestions.length === 0) return null;
  const mayAdd = journey.allowedEvents.includes('ADD_LINES');

  const add = async (suggestion: OrderSuggestion) => {
    setBusy(suggestion.sku);
    setError(null);
    try {
      // One key per click: a resent request (a flaky network) adds the line once.
      const key = `add-${journey.id}-${suggestion.sku}-${crypto.randomUUID()}`;
      await api.post<JourneyState>(
        `/v1/journeys/${encodeURIComponent(journey.id)}/events`,
        { type: 'ADD_LINES', expectedStage: journey.stage, data: { lines: [{ sku: suggestion.sku, quantity: 1 }] } },
        { 'idempotency-key': key },
      );
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
      onDone();
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby="add-ons-title">
      <h2 id="add-ons-title">Suggested for order {order.number}</h2>
      {error && <ErrorNotice error={error} title="Could not add the line" />}
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Why</th>
            <th scope="col" className="num">
              Unit price
            </th>
            <th scope="col">
              <span className="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {order.suggestions.map((s) => (
            <tr key={s.sku} data-suggestion={s.sku}>
              <td>
                {s.name} <code>{s.sku}</code>
              </td>
              <td>{s.reason === 'accessory' ? `goes with ${s.forSku}` : `in stock instead of ${s.forSku}`}</td>
              <td className="num">{formatMoney(s.unitPrice)}</td>
              <td>
                {s.onOrder ? (
                  <span className="muted small">On the order</span>
                ) : (
                  mayAdd && (
                    <button type="button" disabled={busy !== null} onClick={() => void add(s)} aria-label={`Add ${s.name} to the order`}>
                      {busy === s.sku ? 'Adding…' : 'Add'}
                    </button>
                  )
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
