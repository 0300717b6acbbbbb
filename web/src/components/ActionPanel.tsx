// What the signed-in user may do now: the pending checkpoint (approve/reject as confirmations) and
// the events in `allowedEvents`, with forms for the events that carry data. A refusal shows the
// API's message and, on 409, the events allowed instead; an accepted action reports what happened
// once the journey rests (moved on, waiting for someone, or parked again and why).
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { formatDate } from '../format';
import { describeOutcome, settledJourney, type Outcome } from '../journeyOutcome';
import type { JourneyDetail, JourneyState, Product, User } from '../types';
import { activityLabel, eventLabel, roleNoun, stageLabel, stageSubject } from '../labels';
import { DESTRUCTIVE_EVENTS, EVENTS_WITH_DATA } from '../vocabulary';
import { ErrorNotice } from './ErrorNotice';
import { LinesForm, type LineInput } from './LinesForm';
import { PaymentForm } from './PaymentForm';
import { ShipmentForm } from './ShipmentForm';

/** "A sales manager": who decides, at the start of a sentence. */
const decider = (role: string | null) => {
  const noun = roleNoun(role);
  return noun.charAt(0).toUpperCase() + noun.slice(1);
};

type Open = { kind: 'form'; event: string } | { kind: 'sure'; event: string; decision?: 'reject' } | null;

function latestLines(journey: JourneyDetail): LineInput[] {
  const quote = journey.documents.quotes[journey.documents.quotes.length - 1];
  return quote
    ? quote.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, ...(Number(l.discountPct) > 0 ? { discountPct: Number(l.discountPct) } : {}) }))
    : [];
}

export function ActionPanel({ journey, me, onDone }: { journey: JourneyDetail; me: User; onDone: () => void }) {
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<Outcome | null>(null);
  const [products, setProducts] = useState<Product[] | null>(null);
  const [productError, setProductError] = useState<ApiError | null>(null);

  const needsProducts = open?.kind === 'form' && (open.event === 'PROPOSE' || open.event === 'REVISE');
  useEffect(() => {
    if (!needsProducts || products) return;
    api.get<Product[]>('/v1/products').then(setProducts, (e: unknown) => setProductError(e as ApiError));
  }, [needsProducts, products]);

  // A new stage or a new set of events closes whatever form was open.
  useEffect(() => setOpen(null), [journey.stage, journey.allowedEvents.join()]);

  const act = async (label: string, call: () => Promise<JourneyState>, retried = false) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const state = await call();
      setOpen(null);
      setDone({ ok: true, text: `${label}: sent; waiting for the journey to settle in ${stageLabel(state.stage)}…` });
      onDone();
      setDone(describeOutcome(label, await settledJourney(journey.id), { retried }));
      onDone();
    } catch (e) {
      const apiError = e instanceof ApiError ? e : new ApiError(0, 'client', String(e));
      setError(apiError);
      // A 409 means this view is stale: show where the journey is now, beside the refusal.
      if (apiError.status === 409) onDone();
    } finally {
      setBusy(false);
    }
  };
  // Both name the stage this view shows, so a stale view gets a 409 instead of acting on the next stage.
  const send = (type: string, data?: unknown) =>
    void act(
      eventLabel(type),
      () =>
        api.post<JourneyState>(`/v1/journeys/${encodeURIComponent(journey.id)}/events`, {
          type,
          expectedStage: journey.stage,
          ...(data === undefined ? {} : { data }),
        }),
      type === 'RETRY',
    );
  const confirm = (decision: 'approve' | 'reject', label: string) =>
    void act(label, () =>
      api.post<JourneyState>(`/v1/journeys/${encodeURIComponent(journey.id)}/confirmations`, {
        stage: journey.pendingCheckpoint?.stage ?? journey.stage,
        decision,
      }),
    );

  const checkpoint = journey.pendingCheckpoint;
  const mayConfirm = Boolean(checkpoint && !EVENTS_WITH_DATA.has(checkpoint.approveEvent) && me.roles.some((r) => r === 'admin' || r === checkpoint.role));
  const asConfirmation = new Set(mayConfirm && checkpoint ? [checkpoint.approveEvent, checkpoint.rejectEvent ?? ''] : []);
  // Lines are added from the order's suggestions (OrderAddOns), next to the order.
  const events = journey.allowedEvents.filter((e) => !asConfirmation.has(e) && e !== 'ADD_LINES');
  const primary = events.filter((e) => !DESTRUCTIVE_EVENTS.has(e));
  const secondary = events.filter((e) => DESTRUCTIVE_EVENTS.has(e));
  const openInvoice = journey.documents.invoices.find((i) => i.status !== 'paid') ?? journey.documents.invoices[journey.documents.invoices.length - 1];

  const eventButton = (event: string) => (
    <button
      key={event}
      type="button"
      className={DESTRUCTIVE_EVENTS.has(event) ? 'button-danger' : ''}
      disabled={busy}
      aria-expanded={EVENTS_WITH_DATA.has(event) ? open?.event === event : undefined}
      onClick={() => {
        setError(null);
        if (EVENTS_WITH_DATA.has(event)) setOpen({ kind: 'form', event });
        else if (DESTRUCTIVE_EVENTS.has(event)) setOpen({ kind: 'sure', event });
        else send(event);
      }}
    >
      {eventLabel(event)}
    </button>
  );

  const nothing = !checkpoint && events.length === 0;
  return (
    <section className="card actions-card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      {journey.status === 'running' && (
        <p className="muted" role="status">
          Working on this stage…
        </p>
      )}
      {journey.parked && (
        <div className="notice notice-warn" role="alert">
          <strong>{activityLabel(journey.parked.activity)} failed and is parked</strong>
          <p className="notice-message">{journey.parked.error.message}</p>
          <p className="muted small">Since {formatDate(journey.parked.since)}. Fix the cause, then retry; or skip it.</p>
        </div>
      )}
      {checkpoint && (
        <div className="checkpoint">
          <p data-testid="checkpoint">
            <strong>
              {decider(checkpoint.role)} decides on {stageSubject(checkpoint.stage)}
            </strong>
            : {checkpoint.rejectEvent ? `${eventLabel(checkpoint.approveEvent)} or ${eventLabel(checkpoint.rejectEvent)}` : eventLabel(checkpoint.approveEvent)}
            . Waiting since {formatDate(checkpoint.since)}.
          </p>
          {mayConfirm && (
            <div className="actions">
              <button type="button" disabled={busy} onClick={() => confirm('approve', eventLabel(checkpoint.approveEvent))}>
                {eventLabel(checkpoint.approveEvent)}
              </button>
              {checkpoint.rejectEvent && (
                <button
                  type="button"
                  className="button-danger"
                  disabled={busy}
                  onClick={() => setOpen({ kind: 'sure', event: checkpoint.rejectEvent ?? '', decision: 'reject' })}
                >
                  {eventLabel(checkpoint.rejectEvent)}
                </button>
              )}
            </div>
          )}
        </div>
      )}
      {events.length > 0 && (
        <div className="actions" role="group" aria-label="Events you may send">
          {primary.map(eventButton)}
          {secondary.map(eventButton)}
        </div>
      )}
      {nothing && <p className="muted">{journey.status === 'done' ? 'This journey has ended.' : 'Nothing for you to do here right now.'}</p>}

      {open?.kind === 'sure' && (
        <div className="notice notice-warn" role="alertdialog" aria-label={`Confirm ${eventLabel(open.event)}`}>
          <p>{eventLabel(open.event)} this journey? This cannot be undone.</p>
          <div className="actions">
            <button
              type="button"
              className="button-danger"
              disabled={busy}
              onClick={() => (open.decision ? confirm('reject', eventLabel(open.event)) : send(open.event))}
            >
              Yes, {eventLabel(open.event).toLowerCase()}
            </button>
            <button type="button" className="button-secondary" onClick={() => setOpen(null)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {open?.kind === 'form' && (open.event === 'PROPOSE' || open.event === 'REVISE') && (
        <>
          {productError && <ErrorNotice error={productError} title="Could not load the products" />}
          {!products && !productError && <p className="muted">Loading products…</p>}
          {products && (
            <LinesForm
              products={products}
              pricing={journey.pricing}
              initial={latestLines(journey)}
              submitLabel={open.event === 'PROPOSE' ? 'Send proposal' : 'Send revision'}
              busy={busy}
              onSubmit={(lines) => send(open.event, { lines })}
              onCancel={() => setOpen(null)}
            />
          )}
        </>
      )}
      {open?.kind === 'form' && open.event === 'SHIPPED' && (
        <ShipmentForm busy={busy} onSubmit={(data) => send('SHIPPED', data)} onCancel={() => setOpen(null)} />
      )}
      {open?.kind === 'form' && open.event === 'PAYMENT_RECEIVED' && (
        <PaymentForm due={openInvoice?.amountDue ?? null} busy={busy} onSubmit={(data) => send('PAYMENT_RECEIVED', data)} onCancel={() => setOpen(null)} />
      )}
      {error && (
        <ErrorNotice error={error} title={error.status === 409 ? 'Not allowed now' : error.status === 403 ? 'Not allowed for you' : 'The action failed'} />
      )}
      {done && !error && (
        <p className={done.ok ? 'notice notice-ok' : 'notice notice-warn'} role={done.ok ? 'status' : 'alert'} data-testid="action-outcome">
          {done.text}
        </p>
      )}
    </section>
  );
}
