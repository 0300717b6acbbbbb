// Capture a lead (POST /v1/leads): starts its journey; one Idempotency-Key per submission, so a
// double click does not capture it twice.
import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { LeadCreated } from '../types';
import { humanize } from '../format';
import { ErrorNotice } from './ErrorNotice';
import { CapturedNotice } from './CapturedNotice';

const SOURCES = ['web_form', 'email', 'phone', 'social', 'referral', 'event', 'api', 'import'];
const EMPTY = { name: '', email: '', company: '', companySize: '', country: '', phone: '', productInterest: '', source: 'web_form', message: '' };

export function LeadForm({ onCaptured }: { onCaptured: (created: LeadCreated) => void }) {
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<LeadCreated | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(crypto.randomUUID());

  const field = (name: keyof typeof EMPTY) => ({
    id: `lead-${name}`,
    name,
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { source: form.source, name: form.name.trim(), email: form.email.trim() };
    for (const name of ['company', 'phone', 'productInterest', 'message'] as const) if (form[name].trim()) body[name] = form[name].trim();
    if (form.country.trim()) body.country = form.country.trim().toUpperCase();
    if (form.companySize.trim()) body.companySize = Number(form.companySize);
    try {
      const answer = await api.post<LeadCreated>('/v1/leads', body, { 'idempotency-key': key.current });
      key.current = crypto.randomUUID();
      setCreated(answer);
      setForm(EMPTY);
      onCaptured(answer);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="lead-form" onSubmit={(e) => void submit(e)} aria-labelledby="lead-form-title">
      <h2 id="lead-form-title">Capture a lead</h2>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="lead-name">Name</label>
          <input {...field('name')} required maxLength={200} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="lead-email">Email</label>
          <input {...field('email')} type="email" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="lead-company">Company</label>
          <input {...field('company')} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="lead-companySize">Company size</label>
          <input {...field('companySize')} type="number" min={1} inputMode="numeric" />
        </div>
        <div className="field">
          <label htmlFor="lead-country">Country</label>
          <input {...field('country')} maxLength={2} placeholder="DE" pattern="[A-Za-z]{2}" title="Two letters, e.g. DE" />
        </div>
        <div className="field">
          <label htmlFor="lead-phone">Phone</label>
          <input {...field('phone')} type="tel" maxLength={40} />
        </div>
        <div className="field">
          <label htmlFor="lead-productInterest">Product interest</label>
          <input {...field('productInterest')} maxLength={100} placeholder="cameras" />
        </div>
        <div className="field">
          <label htmlFor="lead-source">Source</label>
          <select {...field('source')}>
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="lead-message">Message</label>
        <textarea {...field('message')} rows={2} maxLength={5000} />
      </div>
      {error && <ErrorNotice error={error} title="The lead was not captured" />}
      {created && !error && <CapturedNotice created={created} />}
      <button type="submit" disabled={busy}>
        {busy ? 'Capturing…' : 'Capture lead'}
      </button>
    </form>
  );
}
