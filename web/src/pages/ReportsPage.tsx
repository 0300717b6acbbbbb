// Reports for sales managers and finance (GET /v1/reports/kpis): the pipeline weighted by stage,
// conversion, time in stage, receivables ageing and the headline figures of a period, each chart
// with its numbers beside it, filtered as the API is (from, to, groupBy), and the CSV export.
import { useEffect, useState } from 'react';
import { api, ApiError, withQuery } from '../api';
import { BarChart } from '../components/BarChart';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { NumbersTable } from '../components/NumbersTable';
import { formatMoney } from '../format';
import { stageLabel } from '../labels';
import { getToken } from '../session';
import type { KpiFigures, KpiReport, Money } from '../types';
import { useLoad } from '../useLoad';

interface ReportFilters {
  from: string;
  to: string;
  groupBy: string;
}

const BLUE = '#1d4ed8';
const AMBER = '#b45309';
const GREEN = '#047857';

const amount = (m: Money | null) => (m ? Number(m.amount) : 0);
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`);
const number = (n: number | null, unit: string) => (n === null ? '—' : `${n} ${unit}`);
const AGEING: [keyof KpiFigures['receivables']['ageing'], string][] = [
  ['current', 'Not yet due'],
  ['d1_30', '1–30 days'],
  ['d31_60', '31–60 days'],
  ['d61_90', '61–90 days'],
  ['d90_plus', 'Over 90 days'],
];

function filtersFromAddress(): ReportFilters {
  const params = new URLSearchParams(location.search);
  return { from: params.get('from') ?? '', to: params.get('to') ?? '', groupBy: params.get('groupBy') ?? '' };
}

function Headline({ figures }: { figures: KpiFigures }) {
  return (
    <dl className="summary">
      <div>
        <dt>Win rate (count)</dt>
        <dd>{percent(figures.winRate.count)}</dd>
      </div>
      <div>
        <dt>Win rate (value)</dt>
        <dd>{percent(figures.winRate.value)}</dd>
      </div>
      <div>
        <dt>Average deal size</dt>
        <dd>{formatMoney(figures.averageDealSize)}</dd>
      </div>
      <div>
        <dt>Sales cycle (median / p80)</dt>
        <dd>
          {number(figures.cycleTimeDays.median, 'd')} / {number(figures.cycleTimeDays.p80, 'd')}
        </dd>
      </div>
      <div>
        <dt>Order to cash (median)</dt>
        <dd>{number(figures.orderToCashDays.median, 'd')}</dd>
      </div>
      <div>
        <dt>DSO</dt>
        <dd>{number(figures.receivables.dsoDays, 'days')}</dd>
      </div>
    </dl>
  );
}

function Charts({ figures }: { figures: KpiFigures }) {
  const stages = figures.pipeline.byStage;
  const steps = figures.conversion;
  return (
    <div className="report-grid">
      <section className="card" aria-labelledby="pipeline-title">
        <h2 id="pipeline-title">Open pipeline</h2>
        <div className="chart-with-numbers">
          <BarChart
            labels={stages.map((s) => stageLabel(s.stage))}
            series={[
              { label: 'Amount', values: stages.map((s) => amount(s.amount)), color: BLUE },
              { label: 'Weighted', values: stages.map((s) => amount(s.weighted)), color: AMBER },
            ]}
            description="Bar chart of the open pipeline per stage, amount and weighted amount; the numbers are in the table beside it."
          />
          <NumbersTable
            caption={`Total ${formatMoney(figures.pipeline.total)}, weighted ${formatMoney(figures.pipeline.weighted)}`}
            head={['Stage', 'Journeys', 'Amount', 'Weighted']}
            rows={stages.map((s) => [stageLabel(s.stage), s.count, formatMoney(s.amount), formatMoney(s.weighted)])}
          />
        </div>
      </section>
      <section className="card" aria-labelledby="conversion-title">
        <h2 id="conversion-title">Conversion</h2>
        <div className="chart-with-numbers">
          <BarChart
            labels={steps.map((c) => `${stageLabel(c.from)} → ${stageLabel(c.to)}`)}
            series={[{ label: 'Rate (%)', values: steps.map((c) => (c.rate ?? 0) * 100), color: GREEN }]}
            description="Bar chart of the conversion rate of each step, in percent; the numbers are in the table beside it."
          />
          <NumbersTable
            caption="Of the journeys started in the period"
            head={['Step', 'Rate']}
            rows={steps.map((c) => [`${stageLabel(c.from)} → ${stageLabel(c.to)}`, percent(c.rate)])}
          />
        </div>
      </section>
      <section className="card" aria-labelledby="stage-time-title">
        <h2 id="stage-time-title">Time in stage</h2>
        <div className="chart-with-numbers">
          <BarChart
            horizontal
            labels={figures.timeInStage.map((s) => stageLabel(s.stage))}
            series={[
              { label: 'Median (h)', values: figures.timeInStage.map((s) => s.medianHours), color: BLUE },
              { label: 'p90 (h)', values: figures.timeInStage.map((s) => s.p90Hours), color: AMBER },
            ]}
            description="Bar chart of the hours spent in each stage, median and 90th percentile; the numbers are in the table beside it."
          />
          <NumbersTable
            caption="Hours, over stays that ended in the period"
            head={['Stage', 'Median', 'p90']}
            rows={figures.timeInStage.map((s) => [stageLabel(s.stage), s.medianHours, s.p90Hours])}
          />
        </div>
      </section>
      <section className="card" aria-labelledby="ageing-title">
        <h2 id="ageing-title">Receivables ageing</h2>
        <div className="chart-with-numbers">
          <BarChart
            labels={AGEING.map(([, label]) => label)}
            series={[{ label: 'Due', values: AGEING.map(([key]) => amount(figures.receivables.ageing[key])), color: AMBER }]}
            description="Bar chart of what is still due by days past the due date; the numbers are in the table beside it."
          />
          <NumbersTable
            caption={`DSO ${number(figures.receivables.dsoDays, 'days')}`}
            head={['Past due', 'Amount']}
            rows={AGEING.map(([key, label]) => [label, formatMoney(figures.receivables.ageing[key])])}
          />
        </div>
      </section>
    </div>
  );
}

function Groups({ report }: { report: KpiReport }) {
  const groups = report.groups ?? [];
  const name = (g: (typeof groups)[number]) => g.label ?? g.group ?? 'None';
  return (
    <section className="card" aria-labelledby="groups-title">
      <h2 id="groups-title">Per group</h2>
      <div className="chart-with-numbers">
        <BarChart
          labels={groups.map(name)}
          series={[{ label: 'Weighted pipeline', values: groups.map((g) => amount(g.pipeline.weighted)), color: AMBER }]}
          description="Bar chart of the weighted open pipeline per group; the numbers are in the table beside it."
        />
        <NumbersTable
          caption="The same figures per group"
          head={['Group', 'Weighted pipeline', 'Win rate', 'Average deal', 'DSO']}
          rows={groups.map((g) => [
            name(g),
            formatMoney(g.pipeline.weighted),
            percent(g.winRate.count),
            formatMoney(g.averageDealSize),
            number(g.receivables.dsoDays, 'days'),
          ])}
        />
      </div>
    </section>
  );
}

export function ReportsPage() {
  const [filters, setFilters] = useState<ReportFilters>(filtersFromAddress);
  const [csvError, setCsvError] = useState<ApiError | null>(null);
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));

  useEffect(() => {
    const search = new URLSearchParams(query).toString();
    history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
  }, [JSON.stringify(query)]);

  const report = useLoad(() => api.get<KpiReport>('/v1/reports/kpis', query), [JSON.stringify(query)]);

  const downloadCsv = async () => {
    setCsvError(null);
    const response = await fetch(withQuery('/v1/reports/kpis', query), { headers: { accept: 'text/csv', authorization: `Bearer ${getToken() ?? ''}` } });
    if (!response.ok) {
      setCsvError(new ApiError(response.status, 'http_error', `The server answered ${response.status}.`));
      return;
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = 'kpis.csv';
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Reports</h1>
        <button type="button" className="button-secondary" onClick={() => void downloadCsv()}>
          Download CSV
        </button>
      </div>
      <form className="report-filters card" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        </label>
        <label>
          Group by
          <select value={filters.groupBy} onChange={(e) => setFilters({ ...filters, groupBy: e.target.value })}>
            <option value="">Nothing</option>
            <option value="owner">Owner</option>
            <option value="team">Team</option>
            <option value="month">Month</option>
          </select>
        </label>
        <p className="muted small">Default: the last 365 days. Pipeline and receivables are as they stood at the end of the period.</p>
      </form>
      {csvError && <ErrorNotice error={csvError} />}
      {report.loading && !report.data && <Loading label="Loading reports…" />}
      {report.error && <ErrorNotice error={report.error} onRetry={() => report.reload()} />}
      {report.data && (
        <>
          <section className="card" aria-labelledby="headline-title">
            <h2 id="headline-title">The period in figures</h2>
            <Headline figures={report.data} />
          </section>
          <Charts figures={report.data} />
          {report.data.groups && <Groups report={report.data} />}
        </>
      )}
    </div>
  );
}
