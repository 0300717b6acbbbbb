// Web forms (ops, admin): the form keys a company's web pages post leads to, each with the origins
// allowed to post, and the HTML snippet to paste into the page.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Empty } from '../components/Empty';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { formatDay } from '../format';
import { formSnippet } from '../formSnippet';
import type { LeadForm } from '../types';
import { useLoad } from '../useLoad';

function NewForm({ onMade }: { onMade: (form: LeadForm) => void }) {
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const allowedOrigins = origins
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onMade(await api.post<LeadForm>('/v1/forms', { name, allowedOrigins }, { 'idempotency-key': crypto.randomUUID() }));
      setName('');
      setOrigins('');
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="new-form-title">
      <h2 id="new-form-title">New web form</h2>
      <form className="filters" onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Allowed origins (one per line, e.g. https://www.example.com)
          <textarea value={origins} onChange={(e) => setOrigins(e.target.value)} rows={3} required />
        </label>
        <button type="submit" disabled={busy || !name.trim() || allowedOrigins.length === 0}>
          {busy ? 'Creating…' : 'Create form'}
        </button>
      </form>
      {error && <ErrorNotice error={error} title="The form was not created" />}
    </section>
  );
}

function FormCard({ form }: { form: LeadForm }) {
  const snippetId = `snippet-${form.formKey}`;
  return (
    <article className="card" aria-label={`Web form ${form.name}`}>
      <div className="card-head">
        <h3>{form.name}</h3>
        <span className="muted small">created {formatDay(form.createdAt)}</span>
      </div>
      <dl className="facts">
        <dt>Form key</dt>
        <dd>
          <code>{form.formKey}</code>
        </dd>
        <dt>Allowed origins</dt>
        <dd>{form.allowedOrigins.join(', ')}</dd>
      </dl>
      <h4 id={snippetId}>HTML for the page</h4>
      <pre className="snippet" aria-labelledby={snippetId} tabIndex={0}>
        <code>{formSnippet(window.location.origin, form.formKey)}</code>
      </pre>
    </article>
  );
}

export function FormsPage() {
  const forms = useLoad(() => api.get<LeadForm[]>('/v1/forms'), []);
  const [made, setMade] = useState<LeadForm | null>(null);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Web forms</h1>
      </div>
      <div role="status">{made && <p>Created the web form {made.name}: paste its HTML into the page.</p>}</div>
      <NewForm
        onMade={(form) => {
          setMade(form);
          forms.reload(true);
        }}
      />
      <section className="card" aria-labelledby="forms-title">
        <h2 id="forms-title">Forms</h2>
        {forms.loading && <Loading />}
        {forms.error && <ErrorNotice error={forms.error} onRetry={() => forms.reload()} />}
        {forms.data && forms.data.length === 0 && <Empty title="No web forms yet.">Create one above for each page that takes inquiries.</Empty>}
        {forms.data?.map((form) => (
          <FormCard key={form.formKey} form={form} />
        ))}
      </section>
    </div>
  );
}
