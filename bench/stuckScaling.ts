// `stuck-scaling`: GET /v1/finance/stuck (in-process, app.inject, as finance) over 10,000 and then
// 1,000,000 synthetic projection rows (quick: 10,000 and 200,000), the ratio of their latencies,
// and the plan PostgreSQL chose for the SQL the route ran (captured from knex, not rewritten here).
import { Client, Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { buildApp } from '../api/app';
import type { Db } from '../db/connection';
import { newToken, setUserToken } from '../db/queries/users';
import { prepareDatabase } from './inProcessWorker';
import type { BenchOptions } from './run';
import { percentile, report } from './report';

const SAMPLES = 30;

/**
 * Appends rows `from`..`to` in one statement. The mix is a mature book of business: most journeys
 * closed, some waiting inside their SLA, and 4% stuck (breached SLA or checkpoint, parked, collections).
 */
async function insertJourneys(db: Db, from: number, to: number): Promise<void> {
  await db.raw(
    `insert into journeys (id, workflow_id, definition_key, definition_version, stage, status, stage_entered_at, owner_id,
        lead_name, lead_email, company, amount, currency, pending_role, pending_since, parked_activity, last_error, parked_since, sla_due_at,
        version, created_at, updated_at)
     select 'jrn_bench_' || i, 'journey-jrn_bench_' || i, 'lead-to-cash', 1, s.stage, s.status, s.entered, s.owner,
        'Lead ' || i, 'lead' || i || '@bench.example', 'Company ' || i, (i % 5000) + 100, 'EUR',
        s.pending_role, case when s.pending_role is not null then s.entered end,
        case when s.status = 'parked' then 'issueInvoice' end, case when s.status = 'parked' then 'smtp timeout' end,
        case when s.status = 'parked' then s.entered end,
        case when s.status = 'done' then null when s.bucket < 960 then now() + interval '1 day' else s.entered + interval '1 day' end,
        3, s.entered, s.entered
     from generate_series(?::int, ?::int) as i
     cross join lateral (
       select b.bucket, now() - make_interval(mins => ((i::bigint * 7919) % 525600)::int) as entered,
         (array['usr-dach-1', 'usr-west-1', 'usr-manager', 'usr-finance'])[1 + i % 4] as owner,
         case when b.bucket < 850 then 'closed' when b.bucket < 990 then (array['opportunity', 'quote_sent', 'fulfilment', 'awaiting_payment'])[1 + i % 4]
              when b.bucket < 995 then 'invoicing' else 'collections' end as stage,
         case when b.bucket < 850 then 'done' when b.bucket < 990 then 'awaiting_confirmation' when b.bucket < 995 then 'parked' else 'awaiting_confirmation' end as status,
         case when b.bucket >= 850 and b.bucket < 990 then 'sales_rep' when b.bucket >= 995 then 'finance' end as pending_role
       from (select ((i::bigint * 37) % 1000)::int as bucket) b
     ) s`,
    [from, to],
  );
  await db.raw('analyze journeys');
}

/** Runs the route `SAMPLES` times after a warm-up; returns the latencies and the SQL it ran. */
async function measureRoute(
  db: Db,
  call: () => Promise<{ statusCode: number; body: string }>,
): Promise<{ samples: number[]; sql: { sql: string; bindings: readonly unknown[] }; rows: number }> {
  let captured: { sql: string; bindings: readonly unknown[] } | undefined;
  const listener = (q: { sql: string; bindings?: readonly unknown[] }) => {
    if (q.sql.includes('stuck_reason')) captured = { sql: q.sql, bindings: q.bindings ?? [] };
  };
  db.on('query', listener);
  let rows = 0;
  const samples: number[] = [];
  try {
    for (let i = 0; i < 3 + SAMPLES; i++) {
      const started = performance.now();
      const response = await call();
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`GET /v1/finance/stuck answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      if (i >= 3) samples.push(elapsed);
      rows = (JSON.parse(response.body) as { items: unknown[] }).items.length;
    }
  } finally {
    db.off('query', listener);
  }
  if (!captured) throw new Error('the stuck route ran no query naming stuck_reason');
  return { samples, sql: captured, rows };
}

/** p50 of running the SQL directly, and the ids it returned. */
async function timeSql(db: Db, sql: { sql: string; bindings: readonly unknown[] }): Promise<{ p50: number; ids: string[] }> {
  const text = sql.sql.replace(/\$\d+/g, '?');
  const samples: number[] = [];
  let ids: string[] = [];
  for (let i = 0; i < 3 + SAMPLES; i++) {
    const started = performance.now();
    const result = await db.raw<{ rows: { id: string }[] }>(text, sql.bindings as Knex.RawBinding[]);
    if (i >= 3) samples.push(performance.now() - started);
    ids = result.rows.map((r) => r.id);
  }
  return { p50: percentile(samples, 50), ids };
}

async function explain(db: Db, sql: { sql: string; bindings: readonly unknown[] }): Promise<string[]> {
  // knex reports the query as pg sent it ($1, $2, …, in order); raw() takes `?`.
  const text = sql.sql.replace(/\$\d+/g, '?');
  const result = await db.raw<{ rows: { 'QUERY PLAN': string }[] }>(`explain (analyze, buffers, costs off) ${text}`, sql.bindings as Knex.RawBinding[]);
  return result.rows.map((r) => r['QUERY PLAN']);
}

export async function run(options: BenchOptions): Promise<void> {
  const { stack } = options;
  const small = 10_000;
  const large = options.quick ? 200_000 : 1_000_000;
  const { db } = await prepareDatabase(stack.databaseUrl, 'bench_stuck');
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const temporal = new Client({ connection, namespace: stack.temporalNamespace });
  const app = await buildApp(
    { db, temporal, taskQueue: 'bench-stuck-unused', temporalUiUrl: null, mailboxUrl: null },
    { rateLimit: { max: 1_000_000, windowMs: 60_000 } },
  );
  const token = newToken();
  await setUserToken(db, 'usr-finance', token);
  const call = () => app.inject({ method: 'GET', url: '/v1/finance/stuck', headers: { authorization: `Bearer ${token}` } });

  try {
    const measured: { rows: number; p50: number; p99: number; plan: string[]; items: number; sqlP50: number }[] = [];
    let inserted = 0;
    for (const rows of [small, large]) {
      const started = performance.now();
      await insertJourneys(db, inserted + 1, rows);
      inserted = rows;
      process.stderr.write(`${rows} projection rows (inserted in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      const { samples, sql, rows: items } = await measureRoute(db, call);
      measured.push({
        rows,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        plan: await explain(db, sql),
        items,
        sqlP50: (await timeSql(db, sql)).p50,
      });
    }
    const [s, l] = measured as [(typeof measured)[number], (typeof measured)[number]];
    for (const key of ['p50', 'p99'] as const) {
      report({
        bench: 'stuck-scaling',
        metric: `GET /v1/finance/stuck ${key} (${l.rows} vs ${s.rows} rows, limit 100)`,
        value: l[key],
        unit: 'ms',
        baseline: s[key],
        ratio: l[key] / s[key],
      });
    }
    report({
      bench: 'stuck-scaling',
      metric: `the route's SQL alone p50 (${l.rows} vs ${s.rows} rows)`,
      value: l.sqlP50,
      unit: 'ms',
      baseline: s.sqlP50,
      ratio: l.sqlP50 / s.sqlP50,
    });
    const stuckRows = Number((await db('journeys').where('stuck_from', '<=', new Date().toISOString()).count('* as n'))[0]?.n ?? 0);
    report({ bench: 'stuck-scaling', metric: `stuck rows at ${l.rows} (${l.items} items per page)`, value: stuckRows, unit: 'rows' });
    const index = l.plan.map((line) => /Index (Only )?Scan(?: Backward)? using (\w+) on journeys/.exec(line)?.[2]).find(Boolean);
    report({
      bench: 'stuck-scaling',
      metric: `the route's plan reads journeys by an index (1 yes, 0 no)${index ? `: ${index}` : ''}`,
      value: index ? 1 : 0,
      unit: 'bool',
    });
    process.stderr.write(`\nEXPLAIN (ANALYZE) of the stuck route's query at ${l.rows} rows:\n${l.plan.map((line) => `  ${line}`).join('\n')}\n`);
  } finally {
    await app.close();
    await connection.close();
    await db.destroy();
  }
}
