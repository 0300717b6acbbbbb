// `reports`: GET /v1/reports/kpis for the last year (in-process, app.inject, as finance) over
// 10,000 and then 1,000,000 synthetic journeys with up to 11 stage transitions each (quick:
// 10,000 and 100,000), p50 and p99, the ratio between them, and the plan of every query it ran.
import { loadavg } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { buildApp } from '../api/app';
import type { Db } from '../db/connection';
import { newToken, setUserToken } from '../db/queries/users';
import { prepareDatabase } from './inProcessWorker';
import type { BenchOptions } from './run';
import { percentile, report } from './report';

const SAMPLES = 10;
const WON = `array['lead', 'qualification', 'opportunity', 'quoting', 'quote_sent', 'ordering', 'fulfilment', 'invoicing', 'awaiting_payment', 'paid', 'closed']`;
const LOST = `array['lead', 'qualification', 'opportunity', 'quoting', 'quote_sent', 'quoting', 'quote_sent', 'opportunity', 'quoting', 'quote_sent', 'lost']`;

/** When the k-th transition (from 1) of journey i happened: every three days, give or take two, to the millisecond. */
const instant = (k: string) =>
  `j.start + (${k} - 1) * interval '3 days' + make_interval(hours => (j.i * ${k}) % 48) + make_interval(secs => ((j.i::bigint * 7919 + ${k} * 104729) % 3600000) / 1000.0)`;

/**
 * Journeys `from`..`to` with their transitions, in one statement: started over the past year,
 * 60% on their way to won and closed, 20% to lost after two revisions, 20% to somewhere along the
 * way (11, 11 and 1 to 9 transitions: 10 on average), each cut at now, so the youngest are still
 * moving (some of them today). Amounts from the quote on. Each transition comes with its end (the
 * next one's start), as a finished history has it; the triggers derive the rest.
 */
async function insertHistory(db: Db, from: number, to: number): Promise<void> {
  await db.raw(
    `with planned as (
       select i, 'jrn_bench_' || i as id, b.start, b.amount,
         case when b.bucket < 60 then ${WON} when b.bucket < 80 then ${LOST} else (${WON})[1:1 + i % 9] end as path
       from generate_series(?::int, ?::int) as i
       -- Two days at least before now: the first transition (up to 48 hours after the start) is past.
       cross join lateral (select now() - interval '2 days' - make_interval(mins => ((i::bigint * 7919) % 522720)::int) as start,
         ((i::bigint * 37) % 100)::int as bucket, ((i % 5000) + 100)::numeric(18, 2) as amount) b
     ), j as (
       select j.i, j.id, j.start, j.amount, j.path[1:(select count(*) from generate_series(1, cardinality(j.path)) as k where ${instant('k')} < now())] as path
       from planned j
     ), journeys_in as (
       insert into journeys (id, workflow_id, definition_key, definition_version, stage, status, stage_entered_at, owner_id, lead_name, lead_email, amount, currency, version, created_at)
       select id, 'journey-' || id, 'lead-to-cash', 1, path[cardinality(path)],
         case when path[cardinality(path)] in ('closed', 'lost') then 'done' else 'waiting' end,
         ${instant('cardinality(path)')}, (array['usr-dach-1', 'usr-dach-2', 'usr-west-1', 'usr-west-2'])[1 + i % 4],
         'Lead ' || i, 'lead' || i || '@bench.example', amount, 'EUR', 1, start
       from j
       returning id
     )
     insert into journey_transitions (journey_id, seq, at, left_at, from_stage, to_stage, amount, currency)
     select j.id, k, ${instant('k')}, case when k < cardinality(j.path) then ${instant('(k + 1)')} end,
       case when k > 1 then j.path[k - 1] end, j.path[k], case when k >= 4 then j.amount end, case when k >= 4 then 'EUR' end
     from j cross join lateral generate_series(1, cardinality(j.path)) as k`,
    [from, to],
  );
}

/** Loads journeys `from`..`to` a slice at a time: one statement per slice keeps the triggers' working set small. */
async function loadHistory(db: Db, from: number, to: number): Promise<void> {
  const slice = 50_000;
  for (let first = from; first <= to; first += slice) {
    await insertHistory(db, first, Math.min(first + slice - 1, to));
    if (to - from >= slice) process.stderr.write(`  ${Math.min(first + slice - 1, to)} journeys\n`);
  }
  // As autovacuum would after a load: statistics, and the visibility map index-only scans need.
  for (const table of ['journeys', 'journey_transitions', 'journey_milestones', 'milestones_daily', 'stage_occupancy_daily', 'length_histograms']) {
    await db.raw(`vacuum analyze ${table}`);
  }
}

interface Sql {
  sql: string;
  bindings: readonly unknown[];
}

/** Runs the route `SAMPLES` times after a warm-up; returns the latencies and the SQL it ran. */
async function measureRoute(db: Db, call: () => Promise<{ statusCode: number; body: string }>): Promise<{ samples: number[]; queries: Sql[] }> {
  let queries: Sql[] = [];
  const listener = (q: { sql: string; bindings?: readonly unknown[] }) => {
    if (/journey_transitions|journey_milestones|milestones_daily|stage_occupancy_daily|length_histograms/.test(q.sql))
      queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  db.on('query', listener);
  const samples: number[] = [];
  try {
    for (let i = 0; i < 1 + SAMPLES; i++) {
      queries = [];
      const started = performance.now();
      const response = await call();
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`GET /v1/reports/kpis answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      if (i >= 1) samples.push(elapsed);
    }
  } finally {
    db.off('query', listener);
  }
  return { samples, queries };
}

async function explain(db: Db, sql: Sql): Promise<string[]> {
  // knex reports the query as pg sent it ($1, $2, …, in order); raw() takes `?`.
  const text = sql.sql.replace(/\$\d+/g, '?');
  // As the route runs it: without JIT compilation.
  return db.transaction(async (trx) => {
    await trx.raw('set local jit = off');
    const result = await trx.raw<{ rows: { 'QUERY PLAN': string }[] }>(`explain (analyze, costs off) ${text}`, sql.bindings as Knex.RawBinding[]);
    return result.rows.map((r) => r['QUERY PLAN']);
  });
}

export async function run(options: BenchOptions): Promise<void> {
  const { stack } = options;
  const small = 10_000;
  const large = options.quick ? 100_000 : 1_000_000;
  const { db } = await prepareDatabase(stack.databaseUrl, 'bench_reports');
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const temporal = new Client({ connection, namespace: stack.temporalNamespace });
  const app = await buildApp(
    { db, temporal, taskQueue: 'bench-reports-unused', temporalUiUrl: null, mailboxUrl: null },
    { rateLimit: { max: 1_000_000, windowMs: 60_000 } },
  );
  const token = newToken();
  await setUserToken(db, 'usr-finance', token);
  const call = () => app.inject({ method: 'GET', url: '/v1/reports/kpis', headers: { authorization: `Bearer ${token}` } });

  try {
    const measured: { journeys: number; transitions: number; p50: number; p99: number; plans: string[][] }[] = [];
    let inserted = 0;
    for (const journeys of [small, large]) {
      const started = performance.now();
      await loadHistory(db, inserted + 1, journeys);
      inserted = journeys;
      const transitions = Number((await db('journey_transitions').count('* as n'))[0]?.n ?? 0);
      process.stderr.write(`${journeys} journeys, ${transitions} transitions (inserted in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      const load = () =>
        loadavg()
          .map((l) => l.toFixed(1))
          .join(' ');
      process.stderr.write(`load average before the calls: ${load()}\n`);
      const { samples, queries } = await measureRoute(db, call);
      process.stderr.write(`load average after: ${load()}\n`);
      const plans = [];
      for (const q of queries) plans.push(await explain(db, q));
      measured.push({ journeys, transitions, p50: percentile(samples, 50), p99: percentile(samples, 99), plans });
    }
    const [s, l] = measured as [(typeof measured)[number], (typeof measured)[number]];
    for (const key of ['p50', 'p99'] as const) {
      report({
        bench: 'reports',
        metric: `GET /v1/reports/kpis, a year, ${key} (${l.journeys} vs ${s.journeys} journeys)`,
        value: l[key],
        unit: 'ms',
        baseline: s[key],
        ratio: l[key] / s[key],
      });
    }
    report({ bench: 'reports', metric: `transitions at ${l.journeys} journeys`, value: l.transitions, unit: 'rows' });
    report({ bench: 'reports', metric: `p50 under 1 s at ${l.journeys} journeys (1 yes, 0 no)`, value: l.p50 < 1000 ? 1 : 0, unit: 'bool' });
    l.plans.forEach((plan, i) =>
      process.stderr.write(`\nEXPLAIN (ANALYZE) of the report's query ${i + 1} at ${l.journeys} journeys:\n${plan.map((line) => `  ${line}`).join('\n')}\n`),
    );
  } finally {
    await app.close();
    await connection.close();
    await db.destroy();
  }
}
