// The SQL behind the KPI report (DESIGN.md section 7.4), over the stage-transition history.
// Every query reads the journeys of `journeys` (a subquery of ids the caller may see) and only
// transitions before `asOf`, so a report of a past period sees the history as it stood then.
import type { Knex } from 'knex';

/** The milestones the figures count, as stage names of the process. */
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

/** Where each journey stood at `asOf`: count and amount per definition and stage. */
export async function stageStates(db: Knex, journeys: Knex.QueryBuilder, w: KpiWindow): Promise<StageStateRow[]> {
  const { rows } = (await db.raw(
    `select j.definition_key, j.definition_version, s.to_stage as stage, count(*)::text as count,
       sum(s.amount) filter (where s.currency = :currency)::text as amount
     from journeys j
     join lateral (select t.to_stage, t.amount, t.currency from journey_transitions t
       where t.journey_id = j.id and t.at < :asOf order by t.at desc, t.seq desc limit 1) s on true
     where j.id in :journeys
     group by 1, 2, 3`,
    { journeys, asOf: w.asOf, currency: w.currency },
  )) as { rows: StageStateRow[] };
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
 * Per journey, when it first reached each milestone; then the figures over them: the cohort
 * started in the period and how far it got, the decisions (won or not) and invoices in the period.
 * A deal's value is its invoiced total, or its amount when it ended unpaid.
 */
export async function milestoneFigures(db: Knex, journeys: Knex.QueryBuilder, w: KpiWindow): Promise<MilestoneRow> {
  const { rows } = (await db.raw(
    `with m as (
       select t.journey_id,
         min(t.at) as started_at,
         min(t.at) filter (where t.to_stage = :opportunity) as opportunity_at,
         min(t.at) filter (where t.to_stage = :order) as order_at,
         min(t.at) filter (where t.to_stage = :invoiced) as invoiced_at,
         (array_agg(t.amount order by t.at, t.seq) filter (where t.to_stage = :invoiced))[1] as invoiced_amount,
         (array_agg(t.currency order by t.at, t.seq) filter (where t.to_stage = :invoiced))[1] as invoiced_currency,
         min(t.at) filter (where t.to_stage = any(:won)) as won_at,
         min(t.at) filter (where t.to_stage = any(:notWon)) as lost_at,
         (array_agg(t.amount order by t.at, t.seq) filter (where t.to_stage = any(:notWon)))[1] as lost_amount,
         (array_agg(t.currency order by t.at, t.seq) filter (where t.to_stage = any(:notWon)))[1] as lost_currency
       from journey_transitions t
       where t.journey_id in :journeys and t.at < :asOf
       group by t.journey_id
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
    {
      journeys, from: w.from, asOf: w.asOf, currency: w.currency,
      opportunity: MILESTONES.opportunity, order: MILESTONES.order, invoiced: MILESTONES.invoiced,
      won: [...MILESTONES.won], notWon: [...MILESTONES.notWon],
    },
  )) as { rows: MilestoneRow[] };
  return rows[0]!;
}

export interface StageDurationRow {
  stage: string;
  median_hours: number;
  p90_hours: number;
}

/** How long stays in each stage lasted, over the stays that ended in the period. */
export async function stageDurations(db: Knex, journeys: Knex.QueryBuilder, w: KpiWindow): Promise<StageDurationRow[]> {
  const { rows } = (await db.raw(
    `select stage,
       percentile_cont(0.5) within group (order by hours) as median_hours,
       percentile_cont(0.9) within group (order by hours) as p90_hours
     from (
       select t.to_stage as stage, extract(epoch from lead(t.at) over w - t.at) / 3600 as hours, lead(t.at) over w as left_at
       from journey_transitions t
       where t.journey_id in :journeys and t.at < :asOf
       window w as (partition by t.journey_id order by t.at, t.seq)
     ) stays
     where left_at >= :from
     group by stage`,
    { journeys, from: w.from, asOf: w.asOf },
  )) as { rows: StageDurationRow[] };
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
export async function receivablesAgeing(db: Knex, journeys: Knex.QueryBuilder, w: KpiWindow, paymentTerms: { key: string; version: number; terms: string }[]): Promise<AgeingRow> {
  const terms = paymentTerms.length > 0
    ? db.raw(`(values ${paymentTerms.map(() => '(?, ?::int, ?::interval)').join(', ')}) as terms (key, version, terms)`, paymentTerms.flatMap((p) => [p.key, p.version, p.terms]))
    : db.raw('(select null::text as key, null::int as version, null::interval as terms) as terms');
  const { rows } = (await db.raw(
    `with open as (
       select s.amount, ceil(extract(epoch from :asOf::timestamptz - (i.invoiced_at + coalesce(terms.terms, :defaultTerms::interval))) / 86400) as days
       from journeys j
       join lateral (select t.to_stage, t.amount, t.currency from journey_transitions t
         where t.journey_id = j.id and t.at < :asOf order by t.at desc, t.seq desc limit 1) s on true
       join lateral (select max(t.at) as invoiced_at from journey_transitions t
         where t.journey_id = j.id and t.at < :asOf and t.to_stage = :invoiced) i on true
       left join :terms on terms.key = j.definition_key and terms.version = j.definition_version
       where j.id in :journeys and s.to_stage = any(:receivable) and s.currency = :currency and i.invoiced_at is not null
     )
     select
       sum(amount) filter (where days <= 0)::text as current,
       sum(amount) filter (where days between 1 and 30)::text as d1_30,
       sum(amount) filter (where days between 31 and 60)::text as d31_60,
       sum(amount) filter (where days between 61 and 90)::text as d61_90,
       sum(amount) filter (where days > 90)::text as d90_plus
     from open`,
    { journeys, asOf: w.asOf, currency: w.currency, terms, defaultTerms: 'P30D', invoiced: MILESTONES.invoiced, receivable: [...MILESTONES.receivable] },
  )) as { rows: AgeingRow[] };
  return rows[0]!;
}
