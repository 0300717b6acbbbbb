// What ops do with a plan: dry-run it, apply it after saying how many journeys will move, and steer
// the apply (pause, resume, cancel act between batches). Each answer is the migration as it is now.
import { useState } from 'react';
import { api, ApiError } from '../api';
import { formatDate, plural } from '../format';
import type { Migration } from '../types';
import { isReadyVerdict, MIGRATION_STATUS_LABELS } from '../vocabulary';
import { ErrorNotice } from './ErrorNotice';

type Action = 'dry-run' | 'apply' | 'pause' | 'resume' | 'cancel';

export function MigrationActions({ migration, onChange }: { migration: Migration; onChange: (next: Migration) => void }) {
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { status } = migration;
  const path = `/v1/migrations/${encodeURIComponent(migration.id)}`;
  const moving = migration.items.filter((i) => isReadyVerdict(i.verdict)).length;
  const results = (result: 'migrated' | 'refused' | 'failed') => migration.items.filter((i) => i.result === result).length;
  const waiting = migration.items.filter((i) => isReadyVerdict(i.verdict) && i.result === null).length;

  const act = async (action: Action) => {
    setBusy(action);
    setError(null);
    try {
      // A dry run answers the verdicts alone; the migration read after it has the counts and targets too.
      if (action === 'dry-run') await api.post(`${path}/dry-run`);
      const answer = action === 'dry-run' ? await api.get<Migration>(path) : await api.post<Migration>(`${path}/${action}`);
      setConfirming(false);
      onChange(answer);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <dl className="summary">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`status status-${status}`} data-testid="migration-status">
              {MIGRATION_STATUS_LABELS[status]}
            </span>
          </dd>
        </div>
        <div>
          <dt>Versions</dt>
          <dd>
            {migration.key} v{migration.fromVersion} → v{migration.toVersion}
          </dd>
        </div>
        <div>
          <dt>Dry run</dt>
          <dd>{migration.dryRunAt ? formatDate(migration.dryRunAt) : 'not yet'}</dd>
        </div>
        {status !== 'planned' && (
          <div>
            <dt>Results</dt>
            <dd data-testid="migration-results">
              {results('migrated')} migrated, {results('refused')} refused, {results('failed')} failed
              {waiting > 0 && status !== 'done' && status !== 'cancelled' ? `, ${waiting} waiting` : ''}
            </dd>
          </div>
        )}
      </dl>

      <div className="actions">
        <button type="button" className="button-secondary" disabled={busy !== null || status !== 'planned'} onClick={() => void act('dry-run')}>
          {busy === 'dry-run' ? 'Judging every journey…' : migration.dryRunAt ? 'Dry run again' : 'Dry run'}
        </button>
        <button type="button" disabled={busy !== null || status !== 'planned' || !migration.dryRunAt || moving === 0} onClick={() => setConfirming(true)}>
          Apply…
        </button>
        <button type="button" className="button-secondary" disabled={busy !== null || status !== 'running'} onClick={() => void act('pause')}>
          Pause
        </button>
        <button type="button" className="button-secondary" disabled={busy !== null || status !== 'paused'} onClick={() => void act('resume')}>
          Resume
        </button>
        <button
          type="button"
          className="button-danger"
          disabled={busy !== null || (status !== 'planned' && status !== 'running' && status !== 'paused')}
          onClick={() => void act('cancel')}
        >
          Cancel migration
        </button>
      </div>

      {confirming && status === 'planned' && (
        <div className="notice notice-warn" role="group" aria-label="Confirm the apply">
          <p className="notice-message">
            {plural(moving, 'journey')} will move from v{migration.fromVersion} to v{migration.toVersion}, each judged again when it moves. The others stay on v
            {migration.fromVersion}.
          </p>
          <div className="actions">
            <button type="button" disabled={busy !== null} onClick={() => void act('apply')}>
              {busy === 'apply' ? 'Starting…' : `Move ${plural(moving, 'journey')}`}
            </button>
            <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => setConfirming(false)}>
              Back
            </button>
          </div>
        </div>
      )}
      {error && <ErrorNotice error={error} title="The migration did not take that step" />}
    </div>
  );
}
