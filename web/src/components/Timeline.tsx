// The audit trail: every transition, confirmation and event with who and when; automatic
// activity steps on request.
import { useState } from 'react';
import { formatDate, humanize } from '../format';
import { activityLabel, eventLabel, stageLabel, stageSubject } from '../labels';
import type { TimelineEntry } from '../types';
import { Empty } from './Empty';

function describe(e: TimelineEntry): string {
  const d = e.detail;
  switch (e.type) {
    case 'transition': {
      const move = `${stageLabel(String(d.from ?? '?'))} → ${stageLabel(String(d.to ?? e.stage))}`;
      return e.event && !INTERNAL_EVENTS.has(e.event) ? `${eventLabel(e.event)}: ${move}` : `${move} (automatic)`;
    }
    case 'confirmation':
      return `${d.decision === 'reject' ? 'Rejected' : 'Approved'} ${stageSubject(e.stage)}${d.auto ? ' automatically' : ''} (${stageLabel(e.stage).toLowerCase()})`;
    case 'parked': {
      const error = d.error as { message?: string } | undefined;
      return `${d.activity ? activityLabel(String(d.activity)) : 'An activity'} failed and parked: ${error?.message ?? 'no message'}`;
    }
    case 'activity':
      return `${d.activity ? activityLabel(String(d.activity)) : 'An activity'}: done`;
    case 'timer':
      return `Timer ${String(d.timer ?? '')} fired`;
    case 'sla_breached': {
      const what = d.scope === 'checkpoint' ? `The decision on ${stageSubject(e.stage)}` : `${stageLabel(e.stage)}`;
      return `SLA breached: ${what} passed its SLA of ${String(d.sla ?? '?')} (due ${typeof d.deadline === 'string' ? formatDate(d.deadline) : '?'})`;
    }
    case 'reassigned':
      return 'Reassigned to a new owner';
    case 'form_submitted':
      return `Lead sent with the web form ${String(d.formName ?? d.formKey ?? '')}${d.origin ? ` from ${String(d.origin)}` : ''}`;
    case 'email_received':
      return `${d.kind === 'reply' ? 'Reply' : 'Mail'} from ${String(d.fromName ?? d.from ?? '?')}: ${String(d.subject ?? '')}`;
    case 'event': {
      const data = d.data as Record<string, unknown> | undefined;
      const summary = data
        ? Object.entries(data)
            .filter(([, v]) => typeof v !== 'object')
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(', ')
        : '';
      return `${eventLabel(e.event ?? 'event')}${summary ? ` (${summary})` : ''}`;
    }
    default:
      return `${humanize(e.type)}${e.event ? ` ${eventLabel(e.event)}` : ''}`;
  }
}

const AUTOMATIC = new Set(['activity', 'timer']);
/** Events the workflow sends itself; a transition on one of them happened without a person. */
const INTERNAL_EVENTS = new Set(['ACTIVITY_DONE', 'ACTIVITY_FAILED', 'TIMER_FIRED']);

export function Timeline({ entries, nameOf }: { entries: TimelineEntry[]; nameOf: (id: string | null, knownName?: string | null) => string }) {
  const [showSteps, setShowSteps] = useState(false);
  const shown = [...entries].reverse().filter((e) => showSteps || !AUTOMATIC.has(e.type));
  return (
    <section className="card timeline-card" aria-labelledby="timeline-title">
      <div className="card-head">
        <h2 id="timeline-title">Timeline</h2>
        <label className="inline">
          <input type="checkbox" checked={showSteps} onChange={(e) => setShowSteps(e.target.checked)} /> Show activity steps
        </label>
      </div>
      {shown.length === 0 ? (
        <Empty title="Nothing recorded yet." />
      ) : (
        <ol className="timeline">
          {shown.map((e, i) => (
            <li key={i} className={`timeline-entry timeline-${e.type}`}>
              <span className="timeline-dot" aria-hidden="true" />
              <div>
                <div className="timeline-what">{describe(e)}</div>
                <div className="muted small">
                  {formatDate(e.at)} · <span>{nameOf(e.actor, e.actorName)}</span>
                  {typeof e.detail.note === 'string' ? ` · “${e.detail.note}”` : ''}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
