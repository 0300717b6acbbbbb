// The SQL behind the KPI report (DESIGN.md section 7.4). It reads what PostgreSQL derives from the
// stage transitions as they are written (migration 0111): each journey's milestones and current
// stage, when each stay ended, and a daily roll-up of stay lengths. Every figure counts only
// transitions before `asOf`, so a report of a past period sees the history as it stood then.
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

const inSet = (journeys: JourneySet, column: string) => (journeys.every ? 'true' : `${column} in :journeys`);

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

/** Where each journey stood at `asOf`: count and amount per definition and stage. */
export async function stageStates(db: Knex, journeys: JourneySet, w: KpiWindow): Promise<StageStateRow[]> {
  const rows = await reportRows<StageStateRow>(
    db,
    `with ${STATES_AT}
     select s.definition_key, s.definition_version, s.stage, count(*)::text as count,
       sum(s.amount) filter (where s.currency = :currency)::text as amount
     from states s
     where ${inSet(journeys, 's.journey_id')}
     group by 1, 2, 3`,
    { journeys: journeys.ids, asOf: w.asOf, currency: w.currency },
  );
  return rows;
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
  cycle_median: number | null;
  cycle_p80: number | null;
  order_to_cash_median: number | null;
  invoiced: string | null;
}

/**
 * Per journey, when it first reached each milestone before `asOf`; then the figures over them: the
 * cohort started in the period and how far it got, the decisions (won or not) and invoices in the
 * period. A deal's value is its invoiced total, or its amount when it ended unpaid.
 */
export async function milestoneFigures(db: Knex, journeys: JourneySet, w: KpiWindow): Promise<MilestoneRow> {
  const rows = await reportRows<MilestoneRow>(
    db,
    `with m as (
       select started_at,
         case when opportunity_at < :asOf then opportunity_at end as opportunity_at,
         case when order_at < :asOf then order_at end as order_at,
         case when invoiced_at < :asOf then invoiced_at end as invoiced_at,
         case when invoiced_at < :asOf then invoiced_amount end as invoiced_amount,
         case when invoiced_at < :asOf then invoiced_currency end as invoiced_currency,
         case when won_at < :asOf then won_at end as won_at,
         case when lost_at < :asOf then lost_at end as lost_at,
         case when lost_at < :asOf then lost_amount end as lost_amount,
         case when lost_at < :asOf then lost_currency end as lost_currency
       from journey_milestones
       where started_at < :asOf and ${inSet(journeys, 'journey_id')}
     ), d as (
       select m.*,
         m.started_at >= :from as in_cohort,
         m.won_at >= :from as won_in_period,
         m.opportunity_at is not null and coalesce(m.won_at, m.lost_at) >= :from as decided_in_period,
         case when m.won_at is not null or m.invoiced_at is not null then m.invoiced_amount else m.lost_amount end as value,
         case when m.won_at is not null or m.invoiced_at is not null then m.invoiced_currency else m.lost_currency end as value_currency
       from m
     )
     select
       count(*) filter (where in_cohort)::text as cohort,
       count(*) filter (where in_cohort and opportunity_at is not null)::text as reached_opportunity,
       count(*) filter (where in_cohort and order_at is not null)::text as reached_order,
       count(*) filter (where in_cohort and won_at is not null)::text as reached_paid,
       count(*) filter (where decided_in_period and won_at is not null)::text as won,
       count(*) filter (where decided_in_period)::text as decided,
       sum(value) filter (where decided_in_period and won_at is not null and value_currency = :currency)::text as won_value,
       sum(value) filter (where decided_in_period and value_currency = :currency)::text as decided_value,
       count(*) filter (where decided_in_period and won_at is not null and value_currency = :currency)::text as won_in_currency,
       percentile_cont(0.5) within group (order by extract(epoch from won_at - started_at) / 86400) filter (where won_in_period) as cycle_median,
       percentile_cont(0.8) within group (order by extract(epoch from won_at - started_at) / 86400) filter (where won_in_period) as cycle_p80,
       percentile_cont(0.5) within group (order by extract(epoch from won_at - order_at) / 86400) filter (where won_in_period and order_at is not null) as order_to_cash_median,
       sum(invoiced_amount) filter (where invoiced_at >= :from and invoiced_currency = :currency)::text as invoiced
     from d`,
    { journeys: journeys.ids, from: w.from, asOf: w.asOf, currency: w.currency },
  );
  return rows[0]!;
}

export interface StageDurationRow {
  stage: string;
  median_hours: number;
  p90_hours: number;
}

const DAY_MS = 86_400_000;

/**
 * A percentile over (hours, stays) counts, interpolated exactly as percentile_cont does: the values
 * at ranks floor and ceil of p × (n - 1), where `upto` is the count of stays up to each length.
 */
const percentileOf = (p: string) => `min(hours) filter (where upto > floor(${p}::float8 * (total - 1)))
  + (${p}::float8 * (total - 1) - floor(${p}::float8 * (total - 1)))
  * (min(hours) filter (where upto > ceil(${p}::float8 * (total - 1))) - min(hours) filter (where upto > floor(${p}::float8 * (total - 1))))`;

/**
 * How long stays in each stage lasted, over the stays that ended in the period. For every journey,
 * the whole days come from the daily roll-up and only the period's partial days from the stays.
 */
export async function stageDurations(db: Knex, journeys: JourneySet, w: KpiWindow): Promise<StageDurationRow[]> {
  // Whole UTC days inside [from, asOf): empty when the period is shorter than one.
  let dayFrom = new Date(Math.ceil(w.from.getTime() / DAY_MS) * DAY_MS);
  let dayTo = new Date(Math.floor(w.asOf.getTime() / DAY_MS) * DAY_MS);
  if (!journeys.every || dayFrom >= dayTo) dayFrom = dayTo = w.asOf;
  const rows = await reportRows<StageDurationRow>(
    db,
    `with lengths as (
       select stage, seconds, stays from stage_stays_daily where day >= :firstDay::date and day < :lastDay::date
       union all
       select t.to_stage, extract(epoch from t.left_at - t.at), 1 from journey_transitions t
       where ((t.left_at >= :from and t.left_at < :dayFrom) or (t.left_at >= :dayTo and t.left_at < :asOf)) and ${inSet(journeys, 't.journey_id')}
     ), counted as (
       select stage, (seconds / 3600)::float8 as hours, sum(stays) as stays from lengths group by stage, seconds having sum(stays) > 0
     ), ranked as (
       select stage, hours, (sum(stays) over (partition by stage order by hours))::float8 as upto, (sum(stays) over (partition by stage))::float8 as total from counted
     )
     select stage, ${percentileOf('0.5')} as median_hours, ${percentileOf('0.9')} as p90_hours
     from ranked
     group by stage, total`,
    {
      journeys: journeys.ids,
      from: w.from,
      asOf: w.asOf,
      dayFrom,
      dayTo,
      firstDay: dayFrom.toISOString().slice(0, 10),
      lastDay: dayTo.toISOString().slice(0, 10),
    },
  );
  return rows;
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
       where ${inSet(journeys, 's.journey_id')} and s.stage = any(:receivable) and s.currency = :currency
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
