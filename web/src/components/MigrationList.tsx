// The plans made so far, newest first: ops come back to a running apply or read how an earlier one
// ended. Opening one shows it below as if just planned.
import { formatDate } from '../format';
import type { MigrationSummary } from '../types';
import { isReadyVerdict, MIGRATION_STATUS_LABELS, VERDICTS } from '../vocabulary';
import { Empty } from './Empty';

export function MigrationList({ plans, shownId, onOpen }: { plans: MigrationSummary[]; shownId: string | null; onOpen: (id: string) => void }) {
  if (plans.length === 0) return <Empty title="No migration planned yet." />;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Migrations planned">
        <thead>
          <tr>
            <th scope="col">Migration</th>
            <th scope="col">Process</th>
            <th scope="col">Versions</th>
            <th scope="col">Status</th>
            <th scope="col">Journeys to move</th>
            <th scope="col">Planned</th>
          </tr>
        </thead>
        <tbody>
          {plans.map((plan) => (
            <tr key={plan.id} data-migration={plan.id}>
              <td>
                <button type="button" className="link-button" aria-current={plan.id === shownId ? 'true' : undefined} onClick={() => onOpen(plan.id)}>
                  {plan.id}
                </button>
              </td>
              <td>
                <code>{plan.key}</code>
              </td>
              <td>
                {plan.fromVersion} → {plan.toVersion}
              </td>
              <td data-status={plan.status}>{MIGRATION_STATUS_LABELS[plan.status]}</td>
              <td>{plan.dryRunAt ? VERDICTS.filter((v) => isReadyVerdict(v.value)).reduce((n, v) => n + plan.counts[v.value], 0) : 'No dry run yet'}</td>
              <td>{formatDate(plan.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
