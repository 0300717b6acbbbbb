// Which process a new lead starts on, edited by ops: rules on the lead's source, country and
// product interest, each naming a process key (first match wins), and the default key. Only keys
// with a published version can be chosen; the API checks it again when the routing is saved.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { DefinitionSummary, LeadSource, ProcessRouting } from '../types';
import { useLoad } from '../useLoad';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

const SOURCES: LeadSource[] = ['web_form', 'email', 'phone', 'social', 'import', 'api', 'referral', 'event'];

interface RuleRow {
  source: string;
  country: string;
  productInterest: string;
  key: string;
}

const toRows = (routing: ProcessRouting): RuleRow[] =>
  routing.rules.map((r) => ({ source: r.when.source ?? '', country: r.when.country ?? '', productInterest: r.when.productInterest ?? '', key: r.key }));

/** The body of PUT /v1/process-routing: empty conditions are left out. */
function toRouting(defaultKey: string, rows: RuleRow[]): Pick<ProcessRouting, 'default' | 'rules'> {
  return {
    default: defaultKey,
    rules: rows.map((r) => ({
      when: {
        ...(r.source ? { source: r.source as LeadSource } : {}),
        ...(r.country.trim() ? { country: r.country.trim().toUpperCase() } : {}),
        ...(r.productInterest.trim() ? { productInterest: r.productInterest.trim() } : {}),
      },
      key: r.key,
    })),
  };
}

export function RoutingEditor({ versions }: { versions: DefinitionSummary[] }) {
  const routing = useLoad(() => api.get<ProcessRouting>('/v1/process-routing'), []);
  const keys = [...new Set(versions.filter((v) => v.active).map((v) => v.key))].sort();
  const [defaultKey, setDefaultKey] = useState('');
  const [rows, setRows] = useState<RuleRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  useEffect(() => {
    if (!routing.data) return;
    setDefaultKey(routing.data.default);
    setRows(toRows(routing.data));
  }, [routing.data]);

  const change = (i: number, patch: Partial<RuleRow>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) =>
    setRows((all) => {
      const next = [...all];
      const [row] = next.splice(i, 1);
      next.splice(i + by, 0, row!);
      return next;
    });
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const answer = await api.put<ProcessRouting>('/v1/process-routing', toRouting(defaultKey, rows));
      setSaved(answer.version);
      routing.reload(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="routing-title">
      <h2 id="routing-title">Routing of new leads</h2>
      <p className="muted">
        A new lead starts on the current version of the process its first matching rule names, else on the default. Empty conditions match any lead.
      </p>
      {routing.loading && !routing.data && <Loading label="Loading the routing…" />}
      {routing.error && <ErrorNotice error={routing.error} onRetry={() => routing.reload()} />}
      {routing.data && (
        <form onSubmit={(e) => void save(e)} aria-label="Routing of new leads">
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Source</th>
                  <th scope="col">Country</th>
                  <th scope="col">Product interest</th>
                  <th scope="col">Process</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td>
                      <select aria-label={`Rule ${i + 1} source`} value={r.source} onChange={(e) => change(i, { source: e.target.value })}>
                        <option value="">Any source</option>
                        {SOURCES.map((s) => (
                          <option key={s} value={s}>
                            {s.replace('_', ' ')}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        aria-label={`Rule ${i + 1} country`}
                        value={r.country}
                        maxLength={2}
                        size={4}
                        placeholder="DE"
                        onChange={(e) => change(i, { country: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Rule ${i + 1} product interest`}
                        value={r.productInterest}
                        maxLength={100}
                        placeholder="Any"
                        onChange={(e) => change(i, { productInterest: e.target.value })}
                      />
                    </td>
                    <td>
                      <select aria-label={`Rule ${i + 1} process`} value={r.key} onChange={(e) => change(i, { key: e.target.value })}>
                        {!keys.includes(r.key) && <option value={r.key}>{r.key}</option>}
                        {keys.map((k) => (
                          <option key={k} value={k}>
                            {k}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="row-actions">
                      <button type="button" className="button-link" disabled={i === 0} onClick={() => move(i, -1)}>
                        Move rule {i + 1} up
                      </button>
                      <button type="button" className="button-link" disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
                        Move rule {i + 1} down
                      </button>
                      <button type="button" className="button-link" onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
                        Remove rule {i + 1}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="filters">
            <button
              type="button"
              className="button-secondary"
              onClick={() => setRows((all) => [...all, { source: '', country: '', productInterest: '', key: keys[0] ?? defaultKey }])}
            >
              Add a rule
            </button>
            <label>
              Default process
              <select value={defaultKey} onChange={(e) => setDefaultKey(e.target.value)}>
                {!keys.includes(defaultKey) && <option value={defaultKey}>{defaultKey}</option>}
                {keys.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save routing'}
            </button>
          </div>
          {saved !== null && (
            <p role="status" className="notice notice-ok">
              Routing version {saved} saved: new leads follow it from now on.
            </p>
          )}
          {error && <ErrorNotice error={error} title="The routing was not saved" />}
        </form>
      )}
    </section>
  );
}
