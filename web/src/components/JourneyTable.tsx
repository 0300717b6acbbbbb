// Journeys as rows: who, where, how long, how much, and whether they are stuck.
import { ageSince, formatAge, formatMoney } from '../format';
import { journeyPath } from '../routes';
import type { JourneySummary } from '../types';
import { reasonLabel } from '../vocabulary';
import { Link } from './Link';
import { StageBadge } from './StageBadge';
import { StatusBadge } from './StatusBadge';

export function JourneyTable({ items }: { items: JourneySummary[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Lead</th>
            <th scope="col">Stage</th>
            <th scope="col">Status</th>
            <th scope="col" className="optional">
              Owner
            </th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col" className="optional">
              In stage
            </th>
            <th scope="col">Stuck</th>
          </tr>
        </thead>
        <tbody>
          {items.map((j) => (
            <tr key={j.id} data-journey={j.id}>
              <td>
                <Link href={journeyPath(j.id)} className="row-title">
                  {j.lead.name ?? j.id}
                </Link>
                <div className="muted small">{j.lead.company ?? j.lead.email ?? ''}</div>
              </td>
              <td>
                <StageBadge stage={j.stage} />
              </td>
              <td>
                <StatusBadge status={j.status} />
              </td>
              <td className="optional">{j.owner?.name ?? j.owner?.id ?? <span className="muted">Unassigned</span>}</td>
              <td className="num">{formatMoney(j.amount)}</td>
              <td className="optional nowrap">{formatAge(ageSince(j.stageEnteredAt))}</td>
              <td>
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
