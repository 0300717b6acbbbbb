// The finance stuck monitor (GET /v1/finance/stuck): reason, age, amount at risk, owner, last
// error; select many and retry, cancel or reassign (POST /v1/finance/stuck/actions), with the
// result per journey once each has settled (a retried activity may fail again and park).
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { AgingChart } from '../components/AgingChart';
import { Empty } from '../components/Empty';
import { ErrorNotice } from '../components/ErrorNotice';
import { StuckOutcome } from '../components/StuckOutcome';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { StageBadge } from '../components/StageBadge';
import { formatAge, formatMoney, plural } from '../format';
import { journeyPath } from '../routes';
import { outcomeOf, settledJourney, type Outcome } from '../journeyOutcome';
import { activityLabel } from '../labels';
import type { StuckActionAnswer, StuckActionResult, StuckRow, User } from '../types';
import { useLoad } from '../useLoad';
import { canActOnStuck, reasonLabel, ROLE_LABELS, STUCK_REASONS } from '../vocabulary';

const AGES = [
  { value: '', label: 'Any age' },
  { value: 'PT1H', label: 'Over 1 hour' },
  { value: 'PT4H', label: 'Over 4 hours' },
  { value: 'P1D', label: 'Over 1 day' },
  { value: 'P3D', label: 'Over 3 days' },
  { value: 'P7D', label: 'Over 7 days' },
];

type Action = 'retry' | 'cancel' | 'reassign';

export function StuckPage({ me }: { me: User }) {
  const [reason, setReason] = useState('');
  const [olderThan, setOlderThan] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [ownerId, setOwnerId] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<{ answer: StuckActionAnswer; names: Map<string, string>; settled: Map<string, Outcome> | null } | null>(null);
  const mayAct = canActOnStuck(me.roles);

  const stuck = useLoad(() => api.get<{ items: StuckRow[] }>('/v1/finance/stuck', { reason, olderThan }), [reason, olderThan]);
  const users = useLoad(() => (mayAct ? api.get<User[]>('/v1/users') : Promise.resolve([])), [mayAct]);
  const rows = stuck.data?.items ?? [];

  // Selection follows the rows on screen.
  useEffect(() => setSelected((s) => new Set([...s].filter((id) => rows.some((r) => r.journeyId === id)))), [stuck.data]);

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.journeyId));

  const run = async (action: Action) => {
    setBusy(action);
    setError(null);
    const ids = rows.filter((r) => selected.has(r.journeyId)).map((r) => r.journeyId);
    const names = new Map(rows.map((r) => [r.journeyId, r.lead.name ?? r.journeyId]));
    try {
      const answer = await api.post<StuckActionAnswer>('/v1/finance/stuck/actions', { action, journeyIds: ids, ...(action === 'reassign' ? { ownerId } : {}) });
      setOutcome({ answer, names, settled: action === 'reassign' ? new Map() : null });
      setSelected(new Set(answer.results.filter((r) => !r.ok).map((r) => r.journeyId)));
      stuck.reload(true);
      if (action !== 'reassign') {
        const accepted = answer.results.filter((r) => r.ok).map((r) => r.journeyId);
        const settled = await Promise.all(
          accepted.map(async (id) => [id, outcomeOf(await settledJourney(id).catch(() => null), { retried: action === 'retry' })] as const),
        );
        setOutcome({ answer, names, settled: new Map(settled) });
        stuck.reload(true);
      }
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(null);
    }
  };

  const resultOf = (id: string): StuckActionResult | undefined => outcome?.answer.results.find((r) => r.journeyId === id);
  const assignable = (users.data ?? []).filter((u) => u.roles.some((r) => r === 'sales_rep' || r === 'sales_manager'));

  return (
    <div className="page">
      <div className="page-head">
        <h1>Stuck monitor</h1>
        <button type="button" className="button-secondary" onClick={() => stuck.reload()}>
          Refresh
        </button>
      </div>
      <div className="split">
        <section className="card" aria-labelledby="aging-title">
          <h2 id="aging-title">Aging</h2>
          {stuck.data && rows.length > 0 ? <AgingChart rows={rows} /> : <p className="muted">No stuck journeys to chart.</p>}
        </section>
        <section className="card" aria-labelledby="stuck-filters-title">
          <h2 id="stuck-filters-title">Filters</h2>
          <form className="filters filters-stacked" onSubmit={(e) => e.preventDefault()} aria-label="Filter stuck journeys">
            <label>
              Reason
              <select value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="">Any reason</option>
                {STUCK_REASONS.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Stuck for
              <select value={olderThan} onChange={(e) => setOlderThan(e.target.value)}>
                {AGES.map((a) => (
                  <option key={a.value} value={a.value}>
                    {a.label}
                  </option>
                ))}
              </select>
            </label>
          </form>
          <p className="muted small">
            {rows.length} stuck · {plural(rows.filter((r) => r.reason === 'activity_failing').length, 'failing activity', 'failing activities')} ·{' '}
            {rows.filter((r) => r.reason === 'payment_overdue').length} in collections
          </p>
        </section>
      </div>

      <section className="card" aria-labelledby="stuck-title">
        <h2 id="stuck-title">Stuck journeys</h2>
        {mayAct && (
          <div className="bulkbar" role="toolbar" aria-label="Act on the selected journeys">
            <span className="muted">{selected.size} selected</span>
            <button type="button" disabled={selected.size === 0 || busy !== null} onClick={() => void run('retry')}>
              {busy === 'retry' ? 'Retrying…' : 'Retry'}
            </button>
            <button type="button" className="button-danger" disabled={selected.size === 0 || busy !== null} onClick={() => void run('cancel')}>
              {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
            </button>
            <label className="inline">
              <span className="sr-only">New owner</span>
              <select value={ownerId} onChange={(e) => setOwnerId(e.target.value)} aria-label="New owner">
                <option value="">Reassign to…</option>
                {assignable.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.roles.map((r) => ROLE_LABELS[r]).join(', ')})
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button-secondary" disabled={selected.size === 0 || !ownerId || busy !== null} onClick={() => void run('reassign')}>
              {busy === 'reassign' ? 'Reassigning…' : 'Reassign'}
            </button>
          </div>
        )}
        {error && <ErrorNotice error={error} title="The action was refused" />}
        {outcome && (
          <StuckOutcome
            answer={outcome.answer}
            names={outcome.names}
            settled={outcome.settled}
            userName={(id) => users.data?.find((u) => u.id === id)?.name ?? id}
          />
        )}
        {stuck.loading && !stuck.data && <Loading label="Loading stuck journeys…" />}
        {stuck.error && <ErrorNotice error={stuck.error} onRetry={() => stuck.reload()} />}
        {stuck.data && rows.length === 0 && <Empty title={reason || olderThan ? 'Nothing stuck matches these filters.' : 'Nothing is stuck. 🎉'} />}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  {mayAct && (
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label="Select all"
                        checked={allSelected}
                        onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.journeyId)))}
                      />
                    </th>
                  )}
                  <th scope="col">Journey</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Age</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Owner</th>
                  <th scope="col">Last error</th>
                  {outcome && <th scope="col">Result</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const result = resultOf(r.journeyId);
                  const name = r.lead.name ?? r.journeyId;
                  return (
                    <tr key={r.journeyId} data-journey={r.journeyId} className={selected.has(r.journeyId) ? 'selected' : ''}>
                      {mayAct && (
                        <td>
                          <input type="checkbox" aria-label={`Select ${name}`} checked={selected.has(r.journeyId)} onChange={() => toggle(r.journeyId)} />
                        </td>
                      )}
                      <td>
                        <Link href={journeyPath(r.journeyId)} className="row-title">
                          {name}
                        </Link>
                        <div className="muted small">
                          {r.lead.company ?? ''} <StageBadge stage={r.stage} />
                        </div>
                      </td>
                      <td>
                        <span className="flag">{reasonLabel(r.reason)}</span>
                        <div className="muted small">
                          {r.hold
                            ? r.hold
                            : r.parkedActivity
                              ? activityLabel(r.parkedActivity)
                              : r.pendingRole
                                ? `waits on ${ROLE_LABELS[r.pendingRole as keyof typeof ROLE_LABELS] ?? r.pendingRole}`
                                : ''}
                        </div>
                      </td>
                      <td className="nowrap">{formatAge(r.ageSeconds)}</td>
                      <td className="num">{formatMoney(r.amount)}</td>
                      <td>{r.owner?.name ?? r.owner?.id ?? <span className="muted">Unassigned</span>}</td>
                      <td className="error-cell">{r.lastError ?? <span className="muted">—</span>}</td>
                      {outcome && (
                        <td>{result ? result.ok ? <span className="ok">✓ done</span> : <span className="failed">✗ {result.error?.message}</span> : ''}</td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
