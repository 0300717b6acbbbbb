// Migrations for ops (DESIGN.md section 7.2): plan moving the running journeys of one version of a
// process to another, dry-run the plan for a verdict per journey, apply it and follow its progress;
// the plans made before are listed, to come back to one.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { MigrationActions } from '../components/MigrationActions';
import { MigrationJourneys } from '../components/MigrationJourneys';
import { MigrationList } from '../components/MigrationList';
import { MigrationPlanForm } from '../components/MigrationPlanForm';
import type { DefinitionSummary, Migration, MigrationSummary } from '../types';
import { useLoad } from '../useLoad';

const POLL_MS = 2_000;

export function MigrationsPage() {
  const versions = useLoad(() => api.get<{ items: DefinitionSummary[] }>('/v1/process-definitions'), []);
  const [migration, setMigration] = useState<Migration | null>(null);
  // Read again whenever the shown migration changes: a new plan, a dry run, a step of its apply.
  const plans = useLoad(() => api.get<{ items: MigrationSummary[] }>('/v1/migrations'), [migration?.id, migration?.status, migration?.dryRunAt]);
  const [openError, setOpenError] = useState<ApiError | null>(null);
  const [pollError, setPollError] = useState<ApiError | null>(null);
  const applying = migration?.status === 'running' || migration?.status === 'paused';

  // While an apply runs (or waits paused), its progress is read again every 2 s.
  useEffect(() => {
    if (!applying || !migration) return;
    const id = migration.id;
    const timer = setInterval(() => {
      api.get<Migration>(`/v1/migrations/${encodeURIComponent(id)}`).then(
        (view) => {
          setPollError(null);
          setMigration((shown) => (shown?.id === id ? view : shown));
        },
        (e: unknown) => setPollError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e))),
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [applying, migration?.id]);

  const open = (id: string) => {
    setOpenError(null);
    api
      .get<Migration>(`/v1/migrations/${encodeURIComponent(id)}`)
      .then(setMigration, (e: unknown) => setOpenError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e))));
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Migrations</h1>
      </div>
      <section className="card" aria-labelledby="plan-title">
        <h2 id="plan-title">Plan</h2>
        <p className="muted">
          Running journeys keep the version they started on until a migration moves them. Map each stage of the old version to one of the new, dry-run the plan
          to see what would happen to every journey, then apply it.
        </p>
        {versions.loading && !versions.data && <Loading label="Loading versions…" />}
        {versions.error && <ErrorNotice error={versions.error} onRetry={() => versions.reload()} />}
        {versions.data && <MigrationPlanForm versions={versions.data.items} onPlanned={setMigration} />}
      </section>
      <section className="card" aria-labelledby="plans-title">
        <h2 id="plans-title">Migrations planned</h2>
        {plans.loading && !plans.data && <Loading label="Loading migrations…" />}
        {plans.error && <ErrorNotice error={plans.error} onRetry={() => plans.reload()} />}
        {openError && <ErrorNotice error={openError} title="The migration could not be opened" />}
        {plans.data && <MigrationList plans={plans.data.items} shownId={migration?.id ?? null} onOpen={open} />}
      </section>
      {migration && (
        <section key={migration.id} className="card" aria-labelledby="migration-title">
          <h2 id="migration-title">Migration {migration.id}</h2>
          <MigrationActions migration={migration} onChange={setMigration} />
          {pollError && <ErrorNotice error={pollError} title="The progress could not be read" />}
          <h3>Journeys</h3>
          <MigrationJourneys migration={migration} />
        </section>
      )}
    </div>
  );
}
