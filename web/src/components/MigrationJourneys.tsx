// The journeys a migration covers: the dry run's verdict for each, with its reason and target
// stage, the counts per verdict, and once applied what happened to each journey.
import { useState } from 'react';
import { journeyPath } from '../routes';
import type { Migration, MigrationVerdict } from '../types';
import { isReadyVerdict, RESULT_LABELS, verdictLabel, VERDICTS } from '../vocabulary';
import { Empty } from './Empty';
import { Link } from './Link';

export function MigrationJourneys({ migration }: { migration: Migration }) {
  const [verdict, setVerdict] = useState<MigrationVerdict | ''>('');
  const applied = migration.status !== 'planned';
  const shown = migration.items.filter((i) => verdict === '' || i.verdict === verdict);

  if (!migration.dryRunAt) return <Empty title="No dry run yet: run one to see a verdict for every journey." />;
  return (
    <>
      <dl className="summary">
        {VERDICTS.map((v) => (
          <div key={v.value}>
            <dt>{v.label}</dt>
            <dd data-verdict-count={v.value}>{migration.counts[v.value]}</dd>
          </div>
        ))}
      </dl>
      <div className="filters">
        <label>
          Verdict
          <select value={verdict} onChange={(e) => setVerdict(e.target.value as MigrationVerdict | '')}>
            <option value="">All verdicts ({migration.items.length})</option>
            {VERDICTS.map((v) => (
              <option key={v.value} value={v.value}>
                {v.label} ({migration.counts[v.value]})
              </option>
            ))}
          </select>
        </label>
      </div>
      {shown.length === 0 ? (
        <Empty title="No journey has this verdict." />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Journeys and their verdicts">
            <thead>
              <tr>
                <th scope="col">Journey</th>
                <th scope="col">Stage</th>
                <th scope="col">Verdict</th>
                <th scope="col">Reason</th>
                <th scope="col">New stage</th>
                {applied && <th scope="col">Result</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((item) => (
                <tr key={item.journeyId} data-journey={item.journeyId}>
                  <td>
                    <Link href={journeyPath(item.journeyId)} className="row-title">
                      {item.journeyId}
                    </Link>
                  </td>
                  <td>
                    <code>{item.stage}</code>
                  </td>
                  <td>{verdictLabel(item.verdict)}</td>
                  <td>{item.reason ?? '—'}</td>
                  <td>{item.target ? <code>{item.target}</code> : '—'}</td>
                  {applied && (
                    <td data-result={item.result ?? ''}>
                      {item.result
                        ? `${RESULT_LABELS[item.result]}${item.resultDetail ? ` (${item.resultDetail})` : ''}`
                        : isReadyVerdict(item.verdict) && migration.status !== 'done' && migration.status !== 'cancelled'
                          ? 'Waiting'
                          : 'Not moved'}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
