// Filters of the journey list; each maps to a query parameter of GET /v1/journeys.
import { humanize } from '../format';
import { stageLabel } from '../labels';
import { STAGES, STATUSES, STUCK_REASONS } from '../vocabulary';

export interface Filters {
  q: string;
  stage: string;
  status: string;
  stuck: string;
  owner: string;
}

export const NO_FILTERS: Filters = { q: '', stage: '', status: '', stuck: '', owner: '' };

export function JourneyFilters({ value, onChange }: { value: Filters; onChange: (next: Filters) => void }) {
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value });
  return (
    <form className="filters" role="search" aria-label="Filter journeys" onSubmit={(e) => e.preventDefault()}>
      <label>
        Search
        <input type="search" placeholder="Name, company, order, invoice or payment reference" value={value.q} onChange={set('q')} />
      </label>
      <label>
        Stage
        <select value={value.stage} onChange={set('stage')}>
          <option value="">Any stage</option>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {stageLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select value={value.status} onChange={set('status')}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Stuck
        <select value={value.stuck} onChange={set('stuck')}>
          <option value="">Stuck or not</option>
          <option value="true">Stuck (any reason)</option>
          <option value="false">Not stuck</option>
          {STUCK_REASONS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Owner
        <select value={value.owner} onChange={set('owner')}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
        </select>
      </label>
      {JSON.stringify(value) !== JSON.stringify(NO_FILTERS) && (
        <button type="button" className="button-link" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
