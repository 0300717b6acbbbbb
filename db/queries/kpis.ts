// The SQL behind the KPI report (DESIGN.md section 7.4). It reads what PostgreSQL derives from the
// stage transitions as they are written: each journey's milestones and current stage, when each
// stay ended (migration 0111), and daily roll-ups of what they count for (0119). Over every journey
// a figure reads the roll-ups before today and the journeys that moved today; over some journeys (a
// rep's, a team's) it reads those journeys. Every figure counts only transitions before `asOf`, so
// a report of a past period sees the history as it stood then.
import type { Knex } from 'knex';

/** The milestones the figures count, as stage names of the process (migration 0111 derives them). */
export const MILESTONES = {
  opportunity: 'opportunity',
  order: 'ordering',
  /** Entered when the invoice is issued: its amount is the invoiced total. */
  invoiced: 'awaiting_payment',
  won: ['paid', 'closed'],
  /** Ended after a sale was in reach, without being paid. */
  notWon: ['lost', 'cancelled', 'written_off'],
  receivable: ['awaiting_payment', 'collections'],
} as const;

/** The journeys a report covers: the ids a caller may see, and whether that is every journey. */
export interface JourneySet {
  ids: Knex.QueryBuilder;
  /** Every journey: the roll-up over all of them serves, and no id list needs reading. */
  every: boolean;
}

export interface KpiWindow {
  from: Date;
  /** The end of the period, or now when that is earlier: the instant states are read at. */
  asOf: Date;
  currency: string;
}

export interface StageStateRow {
  definition_key: string;
  definition_version: number;
  stage: string;
  count: string;
  /** Sum of the amounts in the report's currency; null when none. */
  amount: string | null;
}

/**
 * Each journey's last transition before `asOf`: its current stage when that was entered before,
 * else the stay that spans `asOf` (entered before, left at or after it). `invoiced_at` is the
 * latest invoicing when the current stage is the one (null otherwise: look it up).
 */
const STATES_AT = `states as (
  select m.journey_id, m.definition_key, m.definition_version, m.stage, m.amount, m.currency, m.last_invoiced_at as invoiced_at
  from journey_milestones m where m.stage_at < :asOf
  union all
  select t.journey_id, m.definition_key, m.definition_version, t.to_stage, t.amount, t.currency, null
  from journey_transitions t join journey_milestones m on m.journey_id = t.journey_id where t.left_at >= :asOf and t.at < :asOf
)`;

const DAY_MS = 86_400_000;
const floorDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
const monthStart = (d: Date, add = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
const dateOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Runs a report query with JIT compilation off: over many rows its estimated cost makes PostgreSQL
 * compile it, which takes seconds, far longer than the query itself.
 */
async function reportRows<T>(db: Knex, sql: string, bindings: Record<string, unknown>): Promise<T[]> {
  return db.transaction(async (trx) => {
    await trx.raw('set local jit = off');
    return ((await trx.raw(sql, bindings as Knex.ValueDict)) as { rows: T[] }).rows;
  });
}

/**
 * Where each journey stood at `asOf`: count and amount per definition and stage. Over every journey,
 * the sum of the daily entries minus exits before today, and today's transitions themselves.
 */
export async function stageStates(db: Knex, journeys: JourneySet, w: KpiWindow): Promise<StageStateRow[]> {
  if (journeys.every) {
    const asOfDay = await rollUpEnd(db, w.asOf);
    return reportRows<StageStateRow>(
      db,
      `select definition_key, definition_version, stage, sum(journeys)::text as count, sum(amount) filter (where currency = :currency)::text as amount
       from (
         select definition_key, definition_version, stage, currency, journeys, amount from stage_occupancy_daily where day < :asOfDate::date
         union all
         select m.definition_key, m.definition_version, t.to_stage, coalesce(t.currency, ''), e.n, e.n * coalesce(t.amount, 0)
         from journey_transitions t join journey_milestones m on m.journey_id = t.journey_id
         cross join lateral (values (t.at, 1), (t.left_at, -1)) as e (at, n)
         where ((t.at >= :asOfDay and t.at < :asOf) or (t.left_at >= :asOfDay and t.left_at < :asOf)) and e.at >= :asOfDay and e.at < :asOf
       ) moves
       group by 1, 2, 3
       having sum(journeys) <> 0`,
      { asOf: w.asOf, asOfDay, asOfDate: dateOf(asOfDay), currency: w.currency },
    );
  }
  return reportRows<StageStateRow>(
    db,
    `with ${STATES_AT}
     select s.definition_key, s.definition_version, s.stage, count(*)::text as count,
       sum(s.amount) filter (where s.currency = :currency)::text as amount
     from states s
     where s.journey_id in :journeys
     group by 1, 2, 3`,
    { journeys: journeys.ids, asOf: w.asOf, currency: w.currency },
  );
}

/**
 * Where the roll-ups stop and the journeys themselves are read, up to `asOf`: the start of its day,
 * or the next day when nothing happened at or after `asOf` (then today's roll-up rows hold exactly
 * what came before it; the usual case, a report up to now).
 */
async function rollUpEnd(db: Knex, asOf: Date): Promise<Date> {
  const day = floorDay(asOf);
  if (day.getTime() === asOf.getTime()) return day;
  const later = (await db('journey_transitions').where('at', '>=', asOf).first(db.raw('1 as later'))) as unknown;
  return later ? day : new Date(day.getTime() + DAY_MS);
}

/**
 * How a window splits for the roll-ups: whole months, the whole days around them, and the part
 * [asOfDay, asOf) read from the journeys themselves (see rollUpEnd). `from` is the start of a UTC
 * day (periods are whole days); a window that ends before it begins is empty.
 */
async function splitWindow(db: Knex, w: KpiWindow) {
  if (w.from.getTime() % DAY_MS !== 0) throw new Error(`a report window starts at the start of a day, not at ${w.from.toISOString()}`);
  const asOf = w.asOf < w.from ? w.from : w.asOf;
  const asOfDay = await rollUpEnd(db, asOf);
  let monthFrom = w.from.getUTCDate() === 1 ? w.from : monthStart(w.from, 1);
  let monthTo = monthStart(asOfDay);
  if (monthFrom >= monthTo) monthFrom = monthTo = asOfDay;
  return { from: w.from, asOf, asOfDay, fromDay: dateOf(w.from), asOfDate: dateOf(asOfDay), monthFrom: dateOf(monthFrom), monthTo: dateOf(monthTo) };
}

export interface MilestoneRow {
  cohort: string;
  reached_opportunity: string;
  reached_order: string;
  reached_paid: string;
  won: string;
  decided: string;
  won_value: string | null;
  decided_value: string | null;
  won_in_currency: string;
  invoiced: string | null;
}

/** Each journey's milestones as counted (migration 0119's milestone_facts), a row per milestone. */
const FACTS = `journey_milestones m cross join lateral milestone_facts(m) f`;

/**
 * The cohort started in the period and how far it got before `asOf`, the decisions (won or not,
 * a journey's first ending after an opportunity) and the invoices in the period. A deal's value is
 * its invoiced total, or the amount it ended with when it was not invoiced.
 */
export async function milestoneFigures(db: Knex, journeys: JourneySet, w: KpiWindow): Promise<MilestoneRow> {
  const s = await splitWindow(db, w);
  const source = journeys.every
    ? `select kind, day, start_day, won, currency, journeys, amount from milestones_daily where day >= :fromDay::date and day < :asOfDate::date
       union all
       select f.kind, (f.at at time zone 'UTC')::date, (m.started_at at time zone 'UTC')::date, f.won, coalesce(f.currency, ''), 1, coalesce(f.amount, 0)
       from ${FACTS} where m.stage_at >= :asOfDay and f.seconds is null and f.at >= :asOfDay and f.at < :asOf`
    : `select f.kind, (f.at at time zone 'UTC')::date as day, (m.started_at at time zone 'UTC')::date as start_day, f.won, coalesce(f.currency, '') as currency,
         1 as journeys, coalesce(f.amount, 0) as amount
       from ${FACTS} where m.journey_id in :journeys and f.seconds is null and f.at >= :from and f.at < :asOf`;
  const reached = (kind: string) => `coalesce(sum(journeys) filter (where kind = '${kind}' and start_day >= :fromDay::date), 0)::text`;
  const rows = await reportRows<MilestoneRow>(
    db,
    `with facts as (${source})
     select
       ${reached('started')} as cohort,
       ${reached('opportunity')} as reached_opportunity,
       ${reached('order')} as reached_order,
       ${reached('paid')} as reached_paid,
       coalesce(sum(journeys) filter (where kind = 'decided' and won), 0)::text as won,
       coalesce(sum(journeys) filter (where kind = 'decided'), 0)::text as decided,
       sum(amount) filter (where kind = 'decided' and won and currency = :currency)::text as won_value,
       sum(amount) filter (where kind = 'decided' and currency = :currency)::text as decided_value,
       coalesce(sum(journeys) filter (where kind = 'decided' and won and currency = :currency), 0)::text as won_in_currency,
       sum(amount) filter (where kind = 'invoiced' and currency = :currency)::text as invoiced
     from facts`,
    { journeys: journeys.ids, ...s, currency: w.currency },
  );
  return rows[0]!;
}

export interface LengthRow {
  /** stay (in `stage`), cycle (lead to won) or order_to_cash (order to won). */
  measure: 'stay' | 'cycle' | 'order_to_cash';
  stage: string;
  /** Percentiles in seconds. */
  p50: number;
  p80: number;
  p90: number;
}

/**
 * A percentile over (value, n) rows in value order, interpolated as percentile_cont does: the values
 * at ranks floor and ceil of p × (n - 1), where `upto` is the count up to each value.
 */
const percentileOf = (p: string) => `min(value) filter (where upto > floor(${p}::float8 * (total - 1)))
  + (${p}::float8 * (total - 1) - floor(${p}::float8 * (total - 1)))
  * (min(value) filter (where upto > ceil(${p}::float8 * (total - 1))) - min(value) filter (where upto > floor(${p}::float8 * (total - 1))))`;

/**
 * How long things that ended in the period lasted: stays per stage (by when they ended), sales
 * cycles and orders-to-cash (by when the journey was won). Lengths are counted in buckets 1% wide
 * (length_bucket) and a bucket's value is the mean of its lengths: exact when they are equal,
 * within 1% otherwise, whichever journeys are counted, so every caller gets the same figures for
 * the same journeys.
 */
export async function lengthPercentiles(db: Knex, journeys: JourneySet, w: KpiWindow): Promise<LengthRow[]> {
  const s = await splitWindow(db, w);
  const source = journeys.every
    ? `select measure, stage, bucket, n, seconds from length_histograms where period = 'month' and start >= :monthFrom::date and start < :monthTo::date
       union all
       select measure, stage, bucket, n, seconds from length_histograms where period = 'day'
         and ((start >= :fromDay::date and start < :monthFrom::date) or (start >= :monthTo::date and start < :asOfDate::date))
       union all
       select f.kind, '', length_bucket(f.seconds), 1, f.seconds from ${FACTS}
       where m.stage_at >= :asOfDay and f.seconds is not null and f.at >= :asOfDay and f.at < :asOf
       union all
       select 'stay', t.to_stage, length_bucket(x.seconds), 1, x.seconds
       from journey_transitions t cross join lateral (select extract(epoch from t.left_at - t.at)) as x (seconds)
       where t.left_at >= :asOfDay and t.left_at < :asOf`
    : `select f.kind as measure, '' as stage, length_bucket(f.seconds) as bucket, 1 as n, f.seconds from ${FACTS}
       where m.journey_id in :journeys and f.seconds is not null and f.at >= :from and f.at < :asOf
       union all
       select 'stay', t.to_stage, length_bucket(x.seconds), 1, x.seconds
       from journey_transitions t cross join lateral (select extract(epoch from t.left_at - t.at)) as x (seconds)
       where t.journey_id in :journeys and t.left_at >= :from and t.left_at < :asOf`;
  return reportRows<LengthRow>(
    db,
    `with lengths as (${source}), counted as (
       select measure, stage, bucket, sum(n) as n, (sum(seconds) / sum(n))::float8 as value from lengths group by 1, 2, 3 having sum(n) > 0
     ), ranked as (
       select measure, stage, value, (sum(n) over (partition by measure, stage order by bucket))::float8 as upto,
         (sum(n) over (partition by measure, stage))::float8 as total
       from counted
     )
     select measure, stage, ${percentileOf('0.5')} as p50, ${percentileOf('0.8')} as p80, ${percentileOf('0.9')} as p90
     from ranked
     group by measure, stage, total`,
    { journeys: journeys.ids, ...s },
  );
}

export interface AgeingRow {
  current: string | null;
  d1_30: string | null;
  d31_60: string | null;
  d61_90: string | null;
  d90_plus: string | null;
}

/**
 * What is still due at `asOf` (the amount of journeys resting in awaiting_payment or collections),
 * by days past the due date: invoiced (entered awaiting_payment) plus the definition's payment terms.
 */
export async function receivablesAgeing(
  db: Knex,
  journeys: JourneySet,
  w: KpiWindow,
  paymentTerms: { key: string; version: number; terms: string }[],
): Promise<AgeingRow> {
  const terms =
    paymentTerms.length > 0
      ? db.raw(
          `(values ${paymentTerms.map(() => '(?, ?::int, ?::interval)').join(', ')}) as terms (key, version, terms)`,
          paymentTerms.flatMap((p) => [p.key, p.version, p.terms]),
        )
      : db.raw('(select null::text as key, null::int as version, null::interval as terms) as terms');
  const rows = await reportRows<AgeingRow>(
    db,
    `with ${STATES_AT}, invoiced as (
       select s.*, coalesce(s.invoiced_at, (select max(t.at) from journey_transitions t
         where t.journey_id = s.journey_id and t.at < :asOf and t.to_stage = :invoiced)) as due_from
       from states s
       where ${journeys.every ? 'true' : 's.journey_id in :journeys'} and s.stage = any(:receivable) and s.currency = :currency
     ), open as (
       select s.amount, ceil(extract(epoch from :asOf::timestamptz - (s.due_from + coalesce(terms.terms, :defaultTerms::interval))) / 86400) as days
       from invoiced s
       left join :terms on terms.key = s.definition_key and terms.version = s.definition_version
       where s.due_from is not null
     )
     select
       sum(amount) filter (where days <= 0)::text as current,
       sum(amount) filter (where days between 1 and 30)::text as d1_30,
       sum(amount) filter (where days between 31 and 60)::text as d31_60,
       sum(amount) filter (where days between 61 and 90)::text as d61_90,
       sum(amount) filter (where days > 90)::text as d90_plus
     from open`,
    {
      journeys: journeys.ids,
      asOf: w.asOf,
      currency: w.currency,
      terms,
      defaultTerms: 'P30D',
      invoiced: MILESTONES.invoiced,
      receivable: [...MILESTONES.receivable],
    },
  );
  return rows[0]!;
}
