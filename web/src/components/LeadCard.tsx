// Who the journey is for: the lead as captured and enriched, with its score.
import type { Lead } from '../types';

export function LeadCard({ lead }: { lead: Lead }) {
  const rows: [string, string | number | null][] = [
    ['Email', lead.email],
    ['Phone', lead.phone],
    ['Company', lead.company],
    ['Company size', lead.companySize],
    ['Industry', lead.industry],
    ['Country', lead.country],
    ['Interest', lead.productInterest],
    ['Source', lead.source],
    ['Score', lead.score === null ? null : `${lead.score}${lead.grade ? ` (${lead.grade})` : ''}`],
    ['Duplicate of', lead.duplicateOf],
  ];
  return (
    <section className="card lead-card" aria-labelledby="lead-title">
      <h2 id="lead-title">Lead</h2>
      <dl className="facts">
        {rows
          .filter(([, v]) => v !== null && v !== '')
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      {lead.message && <blockquote className="quote">{lead.message}</blockquote>}
    </section>
  );
}
