// The answer to a lead capture: where the lead went and by which rule, and a link to its journey
// only when the user may open it (a rep sees their own journeys only).
import { journeyPath } from '../routes';
import type { LeadCreated } from '../types';
import { stageLabel } from '../labels';
import { Link } from './Link';

function whereItWent(created: LeadCreated): string | null {
  const a = created.assignment;
  if (!a) return null;
  const who = a.owner ? (a.owner.name ?? 'a colleague') : a.team ? `the ${a.team} team` : 'nobody yet';
  const team = a.owner && a.team ? ` (team ${a.team})` : '';
  const rule = a.rule ? ` by the response rule “${a.rule}”` : ', as no response rule matched';
  return `It went to ${who}${team}${rule}.`;
}

export function CapturedNotice({ created }: { created: LeadCreated }) {
  const went = whereItWent(created);
  const visible = created.assignment?.visibleToYou ?? true;
  return (
    <div className="notice notice-ok" role="status" data-testid="lead-captured">
      Lead captured{created.duplicateOf ? ' (merged with an earlier lead)' : ''}: the journey is in <strong>{stageLabel(created.stage)}</strong>.{' '}
      {went && <span>{went} </span>}
      {visible ? <Link href={journeyPath(created.journeyId)}>Open the journey</Link> : <span>Its journey is not in your list.</span>}
    </div>
  );
}
