// The plan of a migration: which versions of a process, the timer policy, and the stage map the API
// prefills with the stages both versions have. Ops edit the map and plan again (each plan is a new
// one); a refused plan's issues show beside the stages they name.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { DefinitionDetail, DefinitionSummary, Migration } from '../types';
import { useLoad } from '../useLoad';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

type StageMap = Record<string, string>;

const NOT_MAPPED = '';
const detailPath = (key: string, version: number) => `/v1/process-definitions/${encodeURIComponent(key)}/versions/${version}`;
const stagesOf = (detail: DefinitionDetail) => Object.keys(detail.definition.stages as Record<string, unknown>);
const issuePath = (stage: string) => `body.stageMap.${stage}`;

/** The pair a plan usually wants: from the newest version below the current one, to the current one. */
function defaultVersions(published: DefinitionSummary[], key: string): { from: number; to: number } {
  const numbers = published.filter((v) => v.key === key).map((v) => v.version);
  const to = published.find((v) => v.key === key && v.active)?.version ?? Math.max(...numbers);
  const older = numbers.filter((n) => n < to);
  return { from: older.length > 0 ? Math.max(...older) : (numbers.find((n) => n !== to) ?? to), to };
}

/** What the API prefills: every stage of the old version the new one has too, mapped to itself. */
function prefilled(fromStages: string[], toStages: string[]): StageMap {
  return Object.fromEntries(fromStages.filter((s) => toStages.includes(s)).map((s) => [s, s]));
}

export function MigrationPlanForm({ versions, onPlanned }: { versions: DefinitionSummary[]; onPlanned: (plan: Migration | null) => void }) {
  const published = versions.filter((v) => v.status === 'published');
  const keys = [...new Set(published.map((v) => v.key))].sort();
  const [key, setKey] = useState(() => (keys.includes('lead-to-cash') ? 'lead-to-cash' : (keys[0] ?? '')));
  const [{ from, to }, setPair] = useState(() => defaultVersions(published, key));
  const [timers, setTimers] = useState<'keep' | 'restart'>('keep');
  const [map, setMap] = useState<StageMap | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const numbers = published
    .filter((v) => v.key === key)
    .map((v) => v.version)
    .sort((a, b) => a - b);
  const definitions = useLoad(
    () => Promise.all([api.get<DefinitionDetail>(detailPath(key, from)), api.get<DefinitionDetail>(detailPath(key, to))]),
    [key, from, to],
  );
  const fromStages = definitions.data ? stagesOf(definitions.data[0]) : [];
  const toStages = definitions.data ? stagesOf(definitions.data[1]) : [];

  // Another process or version pair starts over: the map and any plan shown belong to the old pair.
  const choose = (next: { key?: string; from?: number; to?: number }) => {
    const nextKey = next.key ?? key;
    setKey(nextKey);
    setPair(next.key === undefined ? { from: next.from ?? from, to: next.to ?? to } : defaultVersions(published, nextKey));
    setMap(null);
    setError(null);
    onPlanned(null);
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const stageMap = map && Object.fromEntries(Object.entries(map).filter(([, target]) => target !== NOT_MAPPED));
    try {
      const plan = await api.post<Migration>('/v1/migrations', { key, fromVersion: from, toVersion: to, timers, ...(stageMap ? { stageMap } : {}) });
      setMap(plan.stageMap);
      onPlanned(plan);
    } catch (e) {
      const refused = e instanceof ApiError ? e : new ApiError(0, 'client', String(e));
      setError(refused);
      // A refused first plan still shows its map, so the issues have rows to stand beside.
      if (refused.code === 'invalid_plan') setMap((current) => current ?? prefilled(fromStages, toStages));
      onPlanned(null);
    } finally {
      setBusy(false);
    }
  };

  const issues = error?.code === 'invalid_plan' ? error.issues : [];
  const rowIssues = (stage: string) => issues.filter((i) => i.path === issuePath(stage));
  const otherIssues = issues.filter((i) => !fromStages.some((s) => i.path === issuePath(s)));
  const onRows = issues.length - otherIssues.length;

  return (
    <form onSubmit={(e) => void create(e)} aria-label="Migration plan">
      <div className="filters">
        <label>
          Process
          <select value={key} onChange={(e) => choose({ key: e.target.value })}>
            {keys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          From version
          <select value={from} onChange={(e) => choose({ from: Number(e.target.value) })}>
            {numbers.map((n) => (
              <option key={n} value={n}>
                v{n}
              </option>
            ))}
          </select>
        </label>
        <label>
          To version
          <select value={to} onChange={(e) => choose({ to: Number(e.target.value) })}>
            {numbers.map((n) => (
              <option key={n} value={n}>
                v{n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Timers
          <select value={timers} onChange={(e) => setTimers(e.target.value === 'restart' ? 'restart' : 'keep')}>
            <option value="keep">Keep their deadlines</option>
            <option value="restart">Restart from the new durations</option>
          </select>
        </label>
        <button type="submit" disabled={busy || !definitions.data}>
          {busy ? 'Planning…' : map ? 'Create a new plan with this map' : 'Create plan'}
        </button>
      </div>
      {definitions.loading && !definitions.data && <Loading label="Loading both versions…" />}
      {definitions.error && <ErrorNotice error={definitions.error} title="The versions could not be loaded" onRetry={() => definitions.reload()} />}

      {error && error.code !== 'invalid_plan' && <ErrorNotice error={error} title="The plan was not made" />}
      {error?.code === 'invalid_plan' && (
        <div className="notice notice-error" role="alert">
          <strong>The plan was refused</strong>
          <p className="notice-message">
            {onRows === 0
              ? error.message
              : `${onRows === 1 ? 'The stage marked below' : `The ${onRows} stages marked below`} would strand journeys: map ${onRows === 1 ? 'it' : 'them'} elsewhere and plan again.`}
          </p>
          {otherIssues.length > 0 && (
            <ul className="issues">
              {otherIssues.map((issue) => (
                <li key={issue.path}>
                  <code>{issue.path}</code> {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {map && definitions.data && (
        <div className="table-wrap">
          <table className="table" aria-label="Stage map">
            <thead>
              <tr>
                <th scope="col">Stage in v{from}</th>
                <th scope="col">Stage in v{to}</th>
              </tr>
            </thead>
            <tbody>
              {fromStages.map((stage) => {
                const wrong = rowIssues(stage);
                return (
                  <tr key={stage} data-stage={stage}>
                    <th scope="row">
                      <code>{stage}</code>
                    </th>
                    <td>
                      <select
                        aria-label={`New stage for ${stage}`}
                        aria-invalid={wrong.length > 0}
                        aria-describedby={wrong.length > 0 ? `stage-issue-${stage}` : undefined}
                        value={map[stage] ?? NOT_MAPPED}
                        onChange={(e) => setMap({ ...map, [stage]: e.target.value })}
                      >
                        <option value={NOT_MAPPED}>Not mapped</option>
                        {toStages.map((s) => (
                          <option key={s} value={s}>
                            {s}
                          </option>
                        ))}
                      </select>
                      {wrong.length > 0 && (
                        <p id={`stage-issue-${stage}`} className="error-cell">
                          {wrong.map((i) => i.message).join(' ')}
                        </p>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted small">A stage both versions have stays mapped to itself unless you map it to another stage.</p>
        </div>
      )}
    </form>
  );
}
