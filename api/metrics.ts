// Prometheus metrics in the text exposition format (version 0.0.4), written by hand: request
// latency as a histogram per method, route and status class; journeys by stage; stuck journeys
// by reason. Journey figures are read from the projection at most once per FIGURES_INTERVAL_MS,
// however often anyone scrapes (the route is public).
import type { FastifyInstance } from 'fastify';
import { cachedFor, FIGURES_INTERVAL_MS } from './cached';
import type { ApiDeps } from './deps';
import { STUCK_REASONS } from './stuck';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: string;
  counts: number[];
  sum: number;
  count: number;
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function labels(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
}

class LatencyHistogram {
  private readonly series = new Map<string, Series>();

  observe(pairs: Record<string, string>, seconds: number): void {
    const key = labels(pairs);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: key, counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += seconds;
    s.count += 1;
  }

  render(name: string, help: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    for (const s of this.series.values()) {
      const sep = s.labels ? ',' : '';
      BUCKETS.forEach((le, i) => lines.push(`${name}_bucket{${s.labels}${sep}le="${le}"} ${s.counts[i] ?? 0}`));
      lines.push(`${name}_bucket{${s.labels}${sep}le="+Inf"} ${s.count}`);
      lines.push(`${name}_sum{${s.labels}} ${s.sum}`);
      lines.push(`${name}_count{${s.labels}} ${s.count}`);
    }
    return lines.join('\n');
  }
}

export function installMetrics(app: FastifyInstance, deps: ApiDeps): void {
  const latency = new LatencyHistogram();
  app.addHook('onResponse', async (request, reply) => {
    // Unknown paths share one label so a scanner cannot blow up the series count.
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe({ method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
  });

  const journeyFigures = cachedFor(FIGURES_INTERVAL_MS, async () => {
    const now = deps.now?.() ?? new Date();
    const [byStage, stuck] = await Promise.all([
      deps.db('journeys').select('stage').count('* as count').groupBy('stage').orderBy('stage'),
      deps.db('journeys').select('stuck_kind').count('* as count').where('stuck_from', '<=', now.toISOString()).groupBy('stuck_kind'),
    ]);
    return { byStage: byStage as { stage: string; count: string }[], stuck: stuck as { stuck_kind: string; count: string }[] };
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const { byStage, stuck } = await journeyFigures();
    const stuckCount = (reason: string) => Number(stuck.find((r) => r.stuck_kind === reason)?.count ?? 0);
    const text = [
      latency.render('l2c_http_request_duration_seconds', 'HTTP request latency by method, route and status class.'),
      '# HELP l2c_journeys Journeys by current stage (from the projection).',
      '# TYPE l2c_journeys gauge',
      ...byStage.map((r) => `l2c_journeys{${labels({ stage: r.stage })}} ${Number(r.count)}`),
      '# HELP l2c_journeys_stuck Stuck journeys by reason.',
      '# TYPE l2c_journeys_stuck gauge',
      ...STUCK_REASONS.map((reason) => `l2c_journeys_stuck{${labels({ reason })}} ${stuckCount(reason)}`),
      '# HELP l2c_journeys_stuck_total Stuck journeys, all reasons.',
      '# TYPE l2c_journeys_stuck_total gauge',
      `l2c_journeys_stuck_total ${STUCK_REASONS.reduce((n, r) => n + stuckCount(r), 0)}`,
      '',
    ].join('\n');
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });
}
