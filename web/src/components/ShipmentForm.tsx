// SHIPPED: carrier and tracking number; the customer gets a shipment email.
import { useState, type FormEvent } from 'react';

const CARRIERS = ['DHL', 'DPD', 'UPS', 'FedEx', 'GLS', 'Hermes'];

export function ShipmentForm({
  busy,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  onSubmit: (data: { carrier: string; trackingNumber: string }) => void;
  onCancel: () => void;
}) {
  const [carrier, setCarrier] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ carrier: carrier.trim(), trackingNumber: trackingNumber.trim() });
  };
  return (
    <form className="subform" onSubmit={submit} aria-label="Shipment">
      <div className="grid-2">
        <div className="field">
          <label htmlFor="ship-carrier">Carrier</label>
          <input id="ship-carrier" list="carriers" value={carrier} onChange={(e) => setCarrier(e.target.value)} required maxLength={100} />
          <datalist id="carriers">
            {CARRIERS.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="ship-tracking">Tracking number</label>
          <input id="ship-tracking" value={trackingNumber} onChange={(e) => setTrackingNumber(e.target.value)} required maxLength={100} />
        </div>
      </div>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Mark shipped'}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
