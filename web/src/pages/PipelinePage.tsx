// Pipeline: the funnel per stage (GET /v1/pipeline), the journeys with filters (GET /v1/journeys,
// filters kept in the address so a view can be shared), and lead capture for sales.
import { useEffect, useState } from 'react';
import { api } from '../api';
import { Empty } from '../components/Empty';
import { ErrorNotice } from '../components/ErrorNotice';
import { FunnelChart } from '../components/FunnelChart';
import { JourneyFilters, NO_FILTERS, type Filters } from '../components/JourneyFilters';
import { JourneyTable } from '../components/JourneyTable';
import { LeadForm } from '../components/LeadForm';
import { Loading } from '../components/Loading';
import { formatAmounts, plural } from '../format';
import type { JourneyPage, JourneySummary, Pipeline, PipelineTotal, User } from '../types';
import { useDebounced } from '../useDebounced';
import { useLoad } from '../useLoad';
import { canCaptureLeads } from '../vocabulary';

function filtersFromAddress(): Filters {
  const params = new URLSearchParams(location.search);
  const pick = (k: keyof Filters) => params.get(k) ?? '';
  return { q: pick('q'), stage: pick('stage'), status: pick('status'), stuck: pick('stuck'), owner: pick('owner') };
}

function writeAddress(filters: Filters): void {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
  const search = params.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
}

/** The two totals, each saying what it counts. */
function PipelineTotals({ pipeline }: { pipeline: Pipeline }) {
  const figure = (t: PipelineTotal) => `${plural(t.count, 'journey')}${t.amounts.length ? ` · ${formatAmounts(t.amounts)}` : ''}`;
  return (
    <dl className="summary pipeline-totals">
      <div data-total="openPipeline">
        <dt>Open pipeline</dt>
        <dd>{figure(pipeline.openPipeline)}</dd>
        <dd className="muted small">Journeys still under way: quote totals, or what is still due once invoiced.</dd>
      </div>
      <div data-total="won">
        <dt>Won</dt>
        <dd>{figure(pipeline.won)}</dd>
        <dd className="muted small">Paid and closed journeys: what was invoiced.</dd>
      </div>
    </dl>
  );
}

export function PipelinePage({ me }: { me: User }) {
  const [filters, setFilters] = useState<Filters>(filtersFromAddress);
  const settled = useDebounced(filters, 250);
  const [more, setMore] = useState<{ items: JourneySummary[]; cursor: string | null; loading: boolean }>({ items: [], cursor: null, loading: false });

  useEffect(() => writeAddress(filters), [filters]);

  const pipeline = useLoad(() => api.get<Pipeline>('/v1/pipeline'), []);
  const journeys = useLoad(() => api.get<JourneyPage>('/v1/journeys', { ...settled, limit: 25 }), [JSON.stringify(settled)]);

  useEffect(() => setMore({ items: [], cursor: journeys.data?.nextCursor ?? null, loading: false }), [journeys.data]);

  const loadMore = async () => {
    if (!more.cursor) return;
    setMore((m) => ({ ...m, loading: true }));
    const page = await api.get<JourneyPage>('/v1/journeys', { ...settled, limit: 25, cursor: more.cursor });
    setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor, loading: false }));
  };

  const refresh = () => {
    pipeline.reload(true);
    journeys.reload(true);
  };

  const items = [...(journeys.data?.items ?? []), ...more.items];
  const filtered = JSON.stringify(settled) !== JSON.stringify(NO_FILTERS);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Pipeline</h1>
        {/* The list is the daily work: one Tab and Enter from the heading past the funnel and the lead form. */}
        <a className="jump-link" href="#journey-list">
          Go to the journey list
        </a>
        <button type="button" className="button-secondary" onClick={refresh}>
          Refresh
        </button>
      </div>
      <div className={canCaptureLeads(me.roles) ? 'split' : ''}>
        <section className="card" aria-labelledby="funnel-title">
          <div className="card-head">
            <h2 id="funnel-title">Journeys per stage</h2>
            {pipeline.data && <span className="muted">{plural(pipeline.data.total.count, 'journey')}</span>}
          </div>
          {pipeline.data && pipeline.data.total.count > 0 && <PipelineTotals pipeline={pipeline.data} />}
          {pipeline.loading && !pipeline.data && <Loading />}
          {pipeline.error && <ErrorNotice error={pipeline.error} onRetry={() => pipeline.reload()} />}
          {pipeline.data && pipeline.data.total.count === 0 && <Empty title="No journeys yet.">Capture a lead to start one.</Empty>}
          {pipeline.data && pipeline.data.total.count > 0 && (
            <>
              <FunnelChart pipeline={pipeline.data} selected={filters.stage || null} onSelect={(stage) => setFilters({ ...filters, stage: stage ?? '' })} />
              <p className="muted small">
                Stage amounts are quote totals until invoicing, then what is still due; paid and closed show what was invoiced. Disqualified, lost, cancelled
                and written-off journeys are listed last and counted in neither total. Select a stage to list its journeys.
              </p>
            </>
          )}
        </section>
        {canCaptureLeads(me.roles) && (
          <section className="card">
            <LeadForm onCaptured={refresh} />
          </section>
        )}
      </div>
      <section className="card" aria-labelledby="journeys-title">
        <div className="card-head">
          <h2 id="journeys-title">Journeys</h2>
        </div>
        <JourneyFilters value={filters} onChange={setFilters} />
        {journeys.loading && !journeys.data && <Loading label="Loading journeys…" />}
        {journeys.error && <ErrorNotice error={journeys.error} onRetry={() => journeys.reload()} />}
        {journeys.data && items.length === 0 && <Empty title={filtered ? 'No journey matches these filters.' : 'No journeys yet.'} />}
        {items.length > 0 && <JourneyTable items={items} />}
        {more.cursor && (
          <button type="button" className="button-secondary" disabled={more.loading} onClick={() => void loadMore()}>
            {more.loading ? 'Loading…' : 'Load more'}
          </button>
        )}
      </section>
    </div>
  );
}
