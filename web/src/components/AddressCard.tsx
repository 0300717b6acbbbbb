// The customer's billing and shipping addresses (the account's), and where the order goes once
// confirmed. Sales complete or correct them here; a confirmed order and an issued invoice keep theirs.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { Address, JourneyAddresses, User } from '../types';
import { ErrorNotice } from './ErrorNotice';

const EDITORS = ['sales_rep', 'sales_manager', 'ops', 'admin'];
// Browsers' autofill names (HTML autocomplete tokens), prefixed with billing/shipping.
const FIELDS: { key: keyof Address; label: string; maxLength: number; autoComplete: string }[] = [
  { key: 'line1', label: 'Street and number', maxLength: 200, autoComplete: 'address-line1' },
  { key: 'line2', label: 'Address line 2 (optional)', maxLength: 200, autoComplete: 'address-line2' },
  { key: 'postalCode', label: 'Postal code', maxLength: 16, autoComplete: 'postal-code' },
  { key: 'city', label: 'City', maxLength: 100, autoComplete: 'address-level2' },
  { key: 'region', label: 'Region (optional)', maxLength: 100, autoComplete: 'address-level1' },
  { key: 'country', label: 'Country (ISO code, e.g. DE)', maxLength: 2, autoComplete: 'country' },
];
type Kind = 'billing' | 'shipping';
type Draft = Record<keyof Address, string>;

const draftOf = (a: Address | null): Draft => ({
  line1: a?.line1 ?? '',
  line2: a?.line2 ?? '',
  postalCode: a?.postalCode ?? '',
  city: a?.city ?? '',
  region: a?.region ?? '',
  country: a?.country ?? '',
});

/** A blank form removes the address (null); blank optional lines are left out. */
function addressOf(d: Draft): Address | null {
  const t = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.trim()])) as Draft;
  if (Object.values(t).every((v) => v === '')) return null;
  return {
    line1: t.line1,
    ...(t.line2 ? { line2: t.line2 } : {}),
    postalCode: t.postalCode,
    city: t.city,
    ...(t.region ? { region: t.region } : {}),
    country: t.country.toUpperCase(),
  };
}

function AddressText({ address, empty }: { address: Address | null; empty: string }) {
  if (!address) return <span className="muted">{empty}</span>;
  const lines = [address.line1, address.line2, `${address.postalCode} ${address.city}`, address.region, address.country].filter(Boolean);
  return (
    <address>
      {lines.map((line, i) => (
        <span key={i} className="address-line">
          {line}
        </span>
      ))}
    </address>
  );
}

function AddressFields({ kind, legend, draft, onChange }: { kind: Kind; legend: string; draft: Draft; onChange: (d: Draft) => void }) {
  return (
    <fieldset className="address-fields">
      <legend>{legend}</legend>
      {FIELDS.map((f) => (
        <div className="field" key={f.key}>
          <label htmlFor={`${kind}-${f.key}`}>{f.label}</label>
          <input
            id={`${kind}-${f.key}`}
            value={draft[f.key]}
            maxLength={f.maxLength}
            autoComplete={`${kind} ${f.autoComplete}`}
            onChange={(e) => onChange({ ...draft, [f.key]: e.target.value })}
          />
        </div>
      ))}
    </fieldset>
  );
}

export function AddressCard({
  journeyId,
  addresses,
  shipTo,
  me,
  onSaved,
}: {
  journeyId: string;
  addresses: JourneyAddresses;
  shipTo: Address | null | undefined;
  me: User;
  onSaved: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [billing, setBilling] = useState<Draft>(draftOf(addresses.billing));
  const [shipping, setShipping] = useState<Draft>(draftOf(addresses.shipping));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const mayEdit = me.roles.some((r) => EDITORS.includes(r));

  const open = () => {
    setBilling(draftOf(addresses.billing));
    setShipping(draftOf(addresses.shipping));
    setError(null);
    setEditing(true);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.patch(`/v1/journeys/${encodeURIComponent(journeyId)}/addresses`, { billingAddress: addressOf(billing), shippingAddress: addressOf(shipping) });
      setEditing(false);
      onSaved();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card address-card" aria-labelledby="addresses-title">
      <h2 id="addresses-title">Addresses</h2>
      {!editing && (
        <>
          <dl className="facts">
            <div>
              <dt>Billing</dt>
              <dd data-testid="billing-address">
                <AddressText address={addresses.billing} empty="No billing address" />
              </dd>
            </div>
            <div>
              <dt>Shipping</dt>
              <dd data-testid="shipping-address">
                <AddressText address={addresses.shipping} empty="None: goods go to the billing address" />
              </dd>
            </div>
            {shipTo !== undefined && (
              <div>
                <dt>Order ships to</dt>
                <dd data-testid="order-ship-to">
                  <AddressText address={shipTo} empty="Not fixed yet (at confirmation)" />
                </dd>
              </div>
            )}
          </dl>
          {mayEdit && (
            <button type="button" className="button-secondary" onClick={open}>
              Edit addresses
            </button>
          )}
        </>
      )}
      {editing && (
        <form className="subform" onSubmit={(e) => void save(e)} aria-label="Addresses">
          <AddressFields kind="billing" legend="Billing address" draft={billing} onChange={setBilling} />
          <AddressFields kind="shipping" legend="Shipping address (leave empty to ship to the billing address)" draft={shipping} onChange={setShipping} />
          {error && <ErrorNotice error={error} title="The addresses were not saved" />}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save addresses'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
