// Roll-ups that let the KPI report (DESIGN.md section 7.4) read a year of a million journeys in a
// few thousand rows, kept by PostgreSQL in the transaction that writes the transitions (as 0111):
// - milestones_daily: per day, how many journeys reached each milestone (by the day they started),
//   were decided (won or not, with the deal's value) or invoiced;
// - stage_occupancy_daily: per day, journeys (and amounts) entering minus leaving each stage of each
//   definition, so the sum up to a day is where every journey stood;
// - length_histograms: per day and per month, how long stays, sales cycles and orders-to-cash
//   lasted, in buckets 1% wide with the exact sum of their seconds: a percentile is read from a
//   bucket's mean, exact when its lengths are equal and within 1% otherwise.
// What a journey contributes is counted by one function per source (count_milestones,
// count_transitions); a change subtracts the old contribution and adds the new, so counts never
// double. A journey's contributions go when it is deleted (before its rows cascade away), and move
// to its new definition when it is migrated to another version.
import type { Knex } from 'knex';

/** The milestones as stage names, as db/queries/kpis.ts MILESTONES has them when this was written. */
const OPPORTUNITY = `'opportunity'`;
const ORDER = `'ordering'`;
const INVOICED = `'awaiting_payment'`;
const WON = `array['paid', 'closed']`;
const NOT_WON = `array['lost', 'cancelled', 'written_off']`;

/** Where 0111 left derive_journey_history: the milestones of a set of journeys, from their transitions. */
const UPSERT_MILESTONES = `insert into journey_milestones (journey_id, definition_key, definition_version, started_at, opportunity_at, order_at, invoiced_at, invoiced_amount,
      invoiced_currency, last_invoiced_at, won_at, lost_at, lost_amount, lost_currency, stage, stage_at, amount, currency)
    select t.journey_id, j.definition_key, j.definition_version,
      min(t.at),
      min(t.at) filter (where t.to_stage = ${OPPORTUNITY}),
      min(t.at) filter (where t.to_stage = ${ORDER}),
      min(t.at) filter (where t.to_stage = ${INVOICED}),
      (array_agg(t.amount order by t.at, t.seq) filter (where t.to_stage = ${INVOICED}))[1],
      (array_agg(t.currency order by t.at, t.seq) filter (where t.to_stage = ${INVOICED}))[1],
      max(t.at) filter (where t.to_stage = ${INVOICED}),
      min(t.at) filter (where t.to_stage = any(${WON})),
      min(t.at) filter (where t.to_stage = any(${NOT_WON})),
      (array_agg(t.amount order by t.at, t.seq) filter (where t.to_stage = any(${NOT_WON})))[1],
      (array_agg(t.currency order by t.at, t.seq) filter (where t.to_stage = any(${NOT_WON})))[1],
      (array_agg(t.to_stage order by t.at desc, t.seq desc))[1],
      max(t.at),
      (array_agg(t.amount order by t.at desc, t.seq desc))[1],
      (array_agg(t.currency order by t.at desc, t.seq desc))[1]
    from journey_transitions t join journeys j on j.id = t.journey_id where t.journey_id = any(journeys)
    group by t.journey_id, j.definition_key, j.definition_version
    on conflict (journey_id) do update set
      started_at = excluded.started_at, opportunity_at = excluded.opportunity_at, order_at = excluded.order_at,
      invoiced_at = excluded.invoiced_at, invoiced_amount = excluded.invoiced_amount, invoiced_currency = excluded.invoiced_currency,
      last_invoiced_at = excluded.last_invoiced_at,
      won_at = excluded.won_at, lost_at = excluded.lost_at, lost_amount = excluded.lost_amount, lost_currency = excluded.lost_currency,
      stage = excluded.stage, stage_at = excluded.stage_at, amount = excluded.amount, currency = excluded.currency`;

/** Adds rows (period, start, measure, stage, seconds, n) to length_histograms, in key order (no deadlock between writers). */
const ADD_LENGTHS = (rows: string) => `insert into length_histograms (period, start, measure, stage, bucket, n, seconds)
    select p.period, date_trunc(p.period, (l.at at time zone 'UTC'))::date, l.measure, l.stage, length_bucket(l.seconds), sum(l.n), sum(l.n * l.seconds)
    from (${rows}) l cross join (values ('day'), ('month')) as p (period)
    group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
    on conflict (period, start, measure, stage, bucket) do update set n = length_histograms.n + excluded.n, seconds = length_histograms.seconds + excluded.seconds`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('milestones_daily', (t) => {
    t.date('day').notNullable();
    // started, opportunity, order, paid: reached, by the day the journey started; decided; invoiced.
    t.string('kind', 16).notNullable();
    t.date('start_day').notNullable();
    // decided: won or not (false for the other kinds).
    t.boolean('won').notNullable();
    // The money's currency, '' for none.
    t.string('currency', 3).notNullable();
    t.bigInteger('journeys').notNullable();
    t.decimal('amount', 20, 2).notNullable();
    t.primary(['day', 'kind', 'start_day', 'won', 'currency']);
  });
  await knex.schema.createTable('stage_occupancy_daily', (t) => {
    t.date('day').notNullable();
    t.string('definition_key', 64).notNullable();
    t.integer('definition_version').notNullable();
    t.string('stage', 64).notNullable();
    t.string('currency', 3).notNullable();
    // Entered minus left that day.
    t.bigInteger('journeys').notNullable();
    t.decimal('amount', 20, 2).notNullable();
    t.primary(['day', 'definition_key', 'definition_version', 'stage', 'currency']);
  });
  await knex.schema.createTable('length_histograms', (t) => {
    // 'day' or 'month': a year reads twelve months and the days of the months it cuts.
    t.string('period', 5).notNullable();
    t.date('start').notNullable();
    // stay (of `stage`), cycle (lead to won) or order_to_cash (order to won), by the day it ended.
    t.string('measure', 16).notNullable();
    t.string('stage', 64).notNullable();
    t.integer('bucket').notNullable();
    t.bigInteger('n').notNullable();
    t.decimal('seconds', 24, 6).notNullable();
    t.primary(['period', 'start', 'measure', 'stage', 'bucket']);
  });
  // The report reads today's part of the history from the journeys that moved today, and the
  // receivables from the journeys resting in a few stages, from the index alone.
  await knex.schema.alterTable('journey_milestones', (t) => {
    t.index(['stage_at']);
  });
  await knex.raw(`create index journey_milestones_resting_index on journey_milestones (stage, stage_at)
    include (journey_id, definition_key, definition_version, amount, currency, last_invoiced_at)`);
  await knex.raw('drop index journey_milestones_stage_stage_at_index');

  // Bucket b > 0 holds lengths in [1.01^(b-1), 1.01^b) seconds; bucket 0 those under a second.
  await knex.raw(`create function length_bucket(seconds numeric) returns int language sql immutable parallel safe as $$
    select case when seconds < 1 then 0 else 1 + floor(ln(seconds) / ln(1.01))::int end
  $$`);

  // What one journey's milestones count for: the instant each counts at, and what it carries. A
  // journey's decision is its first ending (won or not); it counts if an opportunity came first, and
  // its value is the invoiced total when won or invoiced before, else the amount it ended with.
  await knex.raw(`create function milestone_facts(m journey_milestones)
    returns table (kind text, at timestamptz, won boolean, currency text, amount numeric, seconds numeric)
    language sql immutable as $$
    select f.* from (values
      ('started', m.started_at, false, null::text, null::numeric, null::numeric),
      ('opportunity', m.opportunity_at, false, null, null, null),
      ('order', m.order_at, false, null, null, null),
      ('paid', m.won_at, false, null, null, null),
      ('decided', case when m.opportunity_at <= least(m.won_at, m.lost_at) then least(m.won_at, m.lost_at) end,
        coalesce(m.won_at <= coalesce(m.lost_at, m.won_at), false),
        case when m.won_at <= coalesce(m.lost_at, m.won_at) or m.invoiced_at <= m.lost_at then m.invoiced_currency else m.lost_currency end,
        case when m.won_at <= coalesce(m.lost_at, m.won_at) or m.invoiced_at <= m.lost_at then m.invoiced_amount else m.lost_amount end, null),
      ('invoiced', m.invoiced_at, false, m.invoiced_currency, m.invoiced_amount, null),
      ('cycle', m.won_at, false, null, null, extract(epoch from m.won_at - m.started_at)),
      ('order_to_cash', case when m.order_at <= m.won_at then m.won_at end, false, null, null, extract(epoch from m.won_at - m.order_at))
    ) as f (kind, at, won, currency, amount, seconds)
    where f.at is not null
  $$`);

  await knex.raw(`create function count_milestones(rows journey_milestones[], sign int) returns void language sql as $$
    insert into milestones_daily (day, kind, start_day, won, currency, journeys, amount)
    select (f.at at time zone 'UTC')::date, f.kind, (m.started_at at time zone 'UTC')::date, f.won, coalesce(f.currency, ''), sum(sign), coalesce(sum(sign * f.amount), 0)
    from unnest(rows) m cross join lateral milestone_facts(m) f
    where f.seconds is null
    group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
    on conflict (day, kind, start_day, won, currency) do update
      set journeys = milestones_daily.journeys + excluded.journeys, amount = milestones_daily.amount + excluded.amount;
    ${ADD_LENGTHS(`select f.at, f.kind as measure, '' as stage, f.seconds, sign as n from unnest(rows) m cross join lateral milestone_facts(m) f where f.seconds is not null`)};
  $$`);

  // A transition as counted: a stay in a stage of a definition from \`at\` until \`left_at\` (null while in it).
  await knex.raw(
    `create type stage_stay as (journey_id text, definition_key text, definition_version int, stage text, at timestamptz, left_at timestamptz, amount numeric, currency text)`,
  );
  await knex.raw(`create function count_transitions(rows stage_stay[], sign int) returns void language sql as $$
    insert into stage_occupancy_daily (day, definition_key, definition_version, stage, currency, journeys, amount)
    select e.day, r.definition_key, r.definition_version, r.stage, coalesce(r.currency, ''), sum(e.n), coalesce(sum(e.n * r.amount), 0)
    from unnest(rows) r
    cross join lateral (values ((r.at at time zone 'UTC')::date, sign), ((r.left_at at time zone 'UTC')::date, -sign)) as e (day, n)
    where e.day is not null
    group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
    on conflict (day, definition_key, definition_version, stage, currency) do update
      set journeys = stage_occupancy_daily.journeys + excluded.journeys, amount = stage_occupancy_daily.amount + excluded.amount;
    ${ADD_LENGTHS(`select r.left_at as at, 'stay' as measure, r.stage, extract(epoch from r.left_at - r.at) as seconds, sign as n from unnest(rows) r where r.left_at is not null`)};
  $$`);

  // 0111's derivation, now also counting what changed: the stays whose end moved (as they were,
  // subtracted; as they are, added) and the journeys' milestones (old subtracted, new added).
  await knex.raw(`create or replace function derive_journey_history(journeys text[]) returns void language plpgsql as $$
    declare
      before stage_stay[];
      after stage_stay[];
    begin
      with next as (
        select t.journey_id, t.seq, t.left_at as was, lead(t.at) over (partition by t.journey_id order by t.at, t.seq) as left_now
        from journey_transitions t where t.journey_id = any(journeys)
      ), changed as (
        update journey_transitions t set left_at = n.left_now from next n
        where t.journey_id = n.journey_id and t.seq = n.seq and n.was is distinct from n.left_now
        returning t.journey_id, t.to_stage, t.at, n.was, n.left_now, t.amount, t.currency
      )
      select array_agg(row(c.journey_id, j.definition_key, j.definition_version, c.to_stage, c.at, c.was, c.amount, c.currency)::stage_stay),
        array_agg(row(c.journey_id, j.definition_key, j.definition_version, c.to_stage, c.at, c.left_now, c.amount, c.currency)::stage_stay)
      into before, after from changed c join journeys j on j.id = c.journey_id;
      if before is not null then
        perform count_transitions(before, -1);
        perform count_transitions(after, 1);
      end if;

      perform count_milestones(array(select m from journey_milestones m where m.journey_id = any(journeys)), -1);
      ${UPSERT_MILESTONES};
      perform count_milestones(array(select m from journey_milestones m where m.journey_id = any(journeys)), 1);
    end $$`);

  // New transitions count as written (a bulk load may bring them with their ends); the derivation
  // then corrects any end that is not the next transition's start.
  await knex.raw(`create or replace function journey_transitions_inserted() returns trigger language plpgsql as $$
    begin
      perform count_transitions(array(select row(n.journey_id, j.definition_key, j.definition_version, n.to_stage, n.at, n.left_at, n.amount, n.currency)::stage_stay
        from new_transitions n join journeys j on j.id = n.journey_id), 1);
      perform derive_journey_history(array(select distinct journey_id from new_transitions));
      return null;
    end $$`);
  await knex.raw('drop trigger journey_transitions_deleted on journey_transitions');
  await knex.raw('drop function journey_transitions_deleted()');
  await knex.raw(`create function journey_deleted() returns trigger language plpgsql as $$
    begin
      perform count_transitions(array(select row(t.journey_id, old.definition_key, old.definition_version, t.to_stage, t.at, t.left_at, t.amount, t.currency)::stage_stay
        from journey_transitions t where t.journey_id = old.id), -1);
      perform count_milestones(array(select m from journey_milestones m where m.journey_id = old.id), -1);
      return old;
    end $$`);
  await knex.raw(`create trigger journey_deleted before delete on journeys for each row execute function journey_deleted()`);
  // A journey migrated to another version: its stays count under the new one from now on.
  await knex.raw(`create function journey_definition_changed() returns trigger language plpgsql as $$
    begin
      perform count_transitions(array(select row(t.journey_id, old.definition_key, old.definition_version, t.to_stage, t.at, t.left_at, t.amount, t.currency)::stage_stay
        from journey_transitions t where t.journey_id = new.id), -1);
      perform count_transitions(array(select row(t.journey_id, new.definition_key, new.definition_version, t.to_stage, t.at, t.left_at, t.amount, t.currency)::stage_stay
        from journey_transitions t where t.journey_id = new.id), 1);
      update journey_milestones set definition_key = new.definition_key, definition_version = new.definition_version where journey_id = new.id;
      return new;
    end $$`);
  await knex.raw(`create trigger journey_definition_changed after update of definition_key, definition_version on journeys for each row
    when (old.definition_key is distinct from new.definition_key or old.definition_version is distinct from new.definition_version)
    execute function journey_definition_changed()`);

  // The history written before, counted once; 0111's roll-up of stays gives way to the histograms.
  await knex.raw(
    `select count_transitions(array(select row(t.journey_id, j.definition_key, j.definition_version, t.to_stage, t.at, t.left_at, t.amount, t.currency)::stage_stay
      from journey_transitions t join journeys j on j.id = t.journey_id), 1)`,
  );
  await knex.raw(`select count_milestones(array(select m from journey_milestones m), 1)`);
  await knex.schema.dropTable('stage_stays_daily');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('stage_stays_daily', (t) => {
    t.date('day').notNullable();
    t.string('stage', 64).notNullable();
    t.specificType('seconds', 'numeric').notNullable();
    t.bigInteger('stays').notNullable();
    t.primary(['day', 'stage', 'seconds']);
  });
  await knex.raw(`insert into stage_stays_daily (day, stage, seconds, stays)
    select (left_at at time zone 'UTC')::date, to_stage, extract(epoch from left_at - at), count(*) from journey_transitions where left_at is not null group by 1, 2, 3`);
  await knex.raw('drop trigger journey_definition_changed on journeys');
  await knex.raw('drop function journey_definition_changed()');
  await knex.raw('drop trigger journey_deleted on journeys');
  await knex.raw('drop function journey_deleted()');
  await knex.raw(`create function journey_transitions_deleted() returns trigger language plpgsql as $$
    begin
      update stage_stays_daily d set stays = d.stays - gone.stays
      from (select (left_at at time zone 'UTC')::date as day, to_stage as stage, extract(epoch from left_at - at) as seconds, count(*) as stays
        from old_transitions where left_at is not null group by 1, 2, 3) gone
      where d.day = gone.day and d.stage = gone.stage and d.seconds = gone.seconds;
      return null;
    end $$`);
  await knex.raw(`create trigger journey_transitions_deleted after delete on journey_transitions
    referencing old table as old_transitions for each statement execute function journey_transitions_deleted()`);
  await knex.raw(`create or replace function journey_transitions_inserted() returns trigger language plpgsql as $$
    begin
      perform derive_journey_history(array(select distinct journey_id from new_transitions));
      return null;
    end $$`);
  await knex.raw('drop function derive_journey_history(text[])');
  await knex.raw(`create function derive_journey_history(journeys text[]) returns void language plpgsql as $$
    begin
      with next as (
        select t.journey_id, t.seq, t.to_stage, t.at, t.left_at as was, lead(t.at) over (partition by t.journey_id order by t.at, t.seq) as left_now
        from journey_transitions t where t.journey_id = any(journeys)
      ), changed as (
        update journey_transitions t set left_at = n.left_now from next n
        where t.journey_id = n.journey_id and t.seq = n.seq and n.was is distinct from n.left_now
        returning n.to_stage, n.at, n.was, n.left_now
      ), moves as (
        select (was at time zone 'UTC')::date as day, to_stage as stage, extract(epoch from was - at) as seconds, -1 as stays from changed where was is not null
        union all
        select (left_now at time zone 'UTC')::date, to_stage, extract(epoch from left_now - at), 1 from changed where left_now is not null
      )
      insert into stage_stays_daily (day, stage, seconds, stays)
      select day, stage, seconds, sum(stays) from moves group by 1, 2, 3 order by 1, 2, 3
      on conflict (day, stage, seconds) do update set stays = stage_stays_daily.stays + excluded.stays;
      ${UPSERT_MILESTONES};
    end $$`);
  await knex.raw('drop function count_transitions(stage_stay[], int)');
  await knex.raw('drop type stage_stay');
  await knex.raw('drop function count_milestones(journey_milestones[], int)');
  await knex.raw('drop function milestone_facts(journey_milestones)');
  await knex.raw('drop function length_bucket(numeric)');
  await knex.raw('drop index journey_milestones_resting_index');
  await knex.schema.alterTable('journey_milestones', (t) => {
    t.dropIndex(['stage_at']);
    t.index(['stage', 'stage_at']);
  });
  await knex.schema.dropTable('length_histograms');
  await knex.schema.dropTable('stage_occupancy_daily');
  await knex.schema.dropTable('milestones_daily');
}
