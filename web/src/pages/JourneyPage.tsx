// Journey 360 (GET /v1/journeys/{id}): where it stands, what the user may do, its documents,
// emails and timeline. Refreshes itself while the workflow is busy with a stage.
import { useEffect } from 'react';
import { api } from '../api';
import { ActionPanel } from '../components/ActionPanel';
import { AddressCard } from '../components/AddressCard';
import { DocumentsPanel } from '../components/DocumentsPanel';
import { EmailsPanel } from '../components/EmailsPanel';
import { ErrorNotice } from '../components/ErrorNotice';
import { LeadCard } from '../components/LeadCard';
import { OrderAddOns } from '../components/OrderAddOns';
import { canReassign, ReassignPanel } from '../components/ReassignPanel';
import { WaitReasonNote } from '../components/WaitReasonNote';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { StageBadge } from '../components/StageBadge';
import { StatusBadge } from '../components/StatusBadge';
import { Timeline } from '../components/Timeline';
import { ageSince, formatAge, formatDate, formatMoney } from '../format';
import type { JourneyDetail, User } from '../types';
import { useDirectory } from '../useDirectory';
import { useLoad } from '../useLoad';
import { stageLabel } from '../labels';
import { mayOpenWorkflow, reasonLabel } from '../vocabulary';

/** Refreshes while the workflow works on a stage, then once more: its record (timeline, documents) follows the live state. */
const BUSY_POLL_MS = 1_000;
const SETTLE_MS = 1_500;

export function JourneyPage({ id, me }: { id: string; me: User }) {
  const journey = useLoad(() => api.get<JourneyDetail>(`/v1/journeys/${encodeURIComponent(id)}`), [id]);
  const data = journey.data;
  const busy = data?.status === 'running';
  const { reload } = journey;
  const nameOf = useDirectory(me, data?.owner ? [data.owner] : []);

  const loaded = data !== null;
  useEffect(() => {
    if (!loaded) return;
    if (busy) {
      const timer = setInterval(() => reload(true), BUSY_POLL_MS);
      return () => clearInterval(timer);
    }
    const settle = setTimeout(() => reload(true), SETTLE_MS);
    return () => clearTimeout(settle);
  }, [busy, loaded, reload]);

  if (journey.loading && !data) return <Loading label="Loading the journey…" />;
  if (!data) {
    return (
      <div className="page">
        <p>
          <Link href="/pipeline">← Pipeline</Link>
        </p>
        {journey.error && (
          <ErrorNotice
            error={journey.error}
            title={journey.error.status === 404 ? 'This journey does not exist or is not yours to see' : undefined}
            onRetry={() => journey.reload()}
          />
        )}
      </div>
    );
  }

  // The API's amount is the quote total until invoicing, then what is still due.
  const quotes = data.documents.quotes;
  const dealValue = data.documents.order?.total ?? quotes[quotes.length - 1]?.total ?? (data.documents.invoices.length === 0 ? data.amount : null);
  const name = data.lead?.name ?? data.leadSummary.name ?? data.id;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href="/pipeline">← Pipeline</Link>
      </p>
      <div className="page-head journey-head">
        <div>
          <h1>{name}</h1>
          <p className="muted">
            {data.lead?.company ?? data.leadSummary.company ?? ''} · <code>{data.id}</code>
          </p>
        </div>
        <div className="head-badges">
          <StageBadge stage={data.stage} />
          <StatusBadge status={data.status} />
          <button type="button" className="button-secondary" onClick={() => journey.reload(true)}>
            Refresh
          </button>
        </div>
      </div>
      {journey.error && <ErrorNotice error={journey.error} title="Could not refresh" onRetry={() => journey.reload()} />}
      {!data.live && (
        <div className="notice notice-warn" role="status">
          The workflow did not answer; this view shows the last recorded state and no actions.
        </div>
      )}
      {data.waitReason && <WaitReasonNote reason={data.waitReason} />}
      <dl className="summary card">
        <div>
          <dt>Stage</dt>
          <dd data-testid="journey-stage" data-stage={data.stage}>
            {stageLabel(data.stage)}
          </dd>
        </div>
        <div>
          <dt>In stage for</dt>
          <dd>{formatAge(ageSince(data.stageEnteredAt))}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{data.owner?.name ?? data.owner?.id ?? 'Unassigned'}</dd>
        </div>
        <div>
          <dt>Deal value</dt>
          <dd>{formatMoney(dealValue)}</dd>
        </div>
        {data.documents.invoices.length > 0 && (
          <div>
            <dt>Still due</dt>
            <dd>{formatMoney(data.amount)}</dd>
          </div>
        )}
        <div>
          <dt>Process</dt>
          <dd>
            {data.definition.key} v{data.definition.version}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDate(data.createdAt)}</dd>
        </div>
        {data.stuck && (
          <div>
            <dt>Stuck</dt>
            <dd>
              <span className="flag">{reasonLabel(data.stuck.reason)}</span> since {formatDate(data.stuck.since)}
              {data.stuck.hold && <div className="muted small">{data.stuck.hold}</div>}
            </dd>
          </div>
        )}
        {data.temporalUrl && mayOpenWorkflow(me.roles) && (
          <div>
            <dt>Workflow</dt>
            <dd>
              <a href={data.temporalUrl} target="_blank" rel="noreferrer">
                Open in Temporal UI ↗
              </a>
            </dd>
          </div>
        )}
      </dl>
      <div className="journey-grid">
        <div className="journey-main">
          <ActionPanel journey={data} me={me} onDone={() => journey.reload(true)} />
          <DocumentsPanel documents={data.documents} nameOf={nameOf} />
          <OrderAddOns journey={data} onDone={() => journey.reload(true)} />
          <Timeline entries={data.timeline} nameOf={nameOf} />
        </div>
        <div className="journey-side">
          {data.lead && <LeadCard lead={data.lead} />}
          {data.addresses && (
            <AddressCard
              journeyId={data.id}
              addresses={data.addresses}
              shipTo={data.documents.order ? data.documents.order.shipTo : undefined}
              me={me}
              onSaved={() => journey.reload(true)}
            />
          )}
          {canReassign(me.roles) && <ReassignPanel journey={data} me={me} onDone={() => journey.reload(true)} />}
          <EmailsPanel notifications={data.notifications} />
        </div>
      </div>
    </div>
  );
}
