// Journeys as rows: who, where, how long, how much, and whether they are stuck. Each column sorts
// the rows shown; on a phone each row is a card.
import { ageSince, formatAge, formatMoney } from '../format';
import { journeyPath } from '../routes';
import type { JourneySummary } from '../types';
import { useSorting } from '../useSorting';
import { reasonLabel, stageRank } from '../vocabulary';
import { Link } from './Link';
import { SortHeader } from './SortHeader';
import { StageBadge } from './StageBadge';
import { StatusBadge } from './StatusBadge';

const SORT_KEYS = {
  lead: (j: JourneySummary) => j.lead.name ?? j.id,
  stage: (j: JourneySummary) => stageRank(j.stage),
  status: (j: JourneySummary) => j.status,
  owner: (j: JourneySummary) => j.owner?.name ?? null,
  // Amounts of one currency together, then by value.
  amount: (j: JourneySummary) => (j.amount ? `${j.amount.currency} ${j.amount.amount.padStart(20, '0')}` : null),
  inStage: (j: JourneySummary) => -new Date(j.stageEnteredAt).getTime(),
  stuck: (j: JourneySummary) => (j.stuck ? reasonLabel(j.stuck.reason) : null),
};

export function JourneyTable({ items }: { items: JourneySummary[] }) {
  const [rows, sorting] = useSorting(items, SORT_KEYS);
  return (
    <div className="table-wrap" id="journey-list" tabIndex={-1} role="region" aria-label="Journey list">
      <table className="table cards-on-phone">
        <thead>
          <tr>
            <SortHeader column="lead" sorting={sorting}>
              Lead
            </SortHeader>
            <SortHeader column="stage" sorting={sorting}>
              Stage
            </SortHeader>
            <SortHeader column="status" sorting={sorting}>
              Status
            </SortHeader>
            <SortHeader column="owner" sorting={sorting} className="optional">
              Owner
            </SortHeader>
            <SortHeader column="amount" sorting={sorting} className="num">
              Amount
            </SortHeader>
            <SortHeader column="inStage" sorting={sorting} className="optional">
              In stage
            </SortHeader>
            <SortHeader column="stuck" sorting={sorting}>
              Stuck
            </SortHeader>
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => (
            <tr key={j.id} data-journey={j.id}>
              <td data-label="Lead">
                <Link href={journeyPath(j.id)} className="row-title">
                  {j.lead.name ?? j.id}
                </Link>
                <div className="muted small">{j.lead.company ?? j.lead.email ?? ''}</div>
              </td>
              <td data-label="Stage">
                <StageBadge stage={j.stage} />
              </td>
              <td data-label="Status">
                <StatusBadge status={j.status} />
              </td>
              <td data-label="Owner" className="optional">
                {j.owner?.name ?? <span className="muted">{j.owner ? 'Someone outside your view' : 'Unassigned'}</span>}
              </td>
              <td data-label="Amount" className="num">
                {formatMoney(j.amount)}
              </td>
              <td data-label="In stage" className="optional nowrap">
                {formatAge(ageSince(j.stageEnteredAt))}
              </td>
              <td data-label="Stuck">
                {j.stuck ? (
                  <span className="flag" title={j.stuck.lastError ?? undefined}>
                    {reasonLabel(j.stuck.reason)}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
