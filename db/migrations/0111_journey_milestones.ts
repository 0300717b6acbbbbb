// What the KPI report reads instead of every transition (DESIGN.md section 7.4), kept by PostgreSQL
// itself in the transaction that writes the transitions, however they are written (recordJourney,
// the demo seed, a bulk insert):
// - journey_transitions.left_at: when each stay ended (the next transition in (at, seq) order);
// - journey_milestones: per journey, when it first reached each milestone and where it stands now;
// - stage_stays_daily: how many stays of each length ended in each stage on each day (UTC).
// Statement triggers recompute the journeys a statement touched, so a transition arriving late
// moves the roll-up's counts, never doubles them. recordJourney writes one journey per
// transaction under the lock of its projection row, so two writers never derive the same journey.
import type { Knex } from 'knex';

/** The milestones as stage names, as db/queries/kpis.ts MILESTONES had them when this was written. */
const OPPORTUNITY = `'opportunity'`;
const ORDER = `'ordering'`;
const INVOICED = `'awaiting_payment'`;
const WON = `array['paid', 'closed']`;
const NOT_WON = `array['lost', 'cancelled', 'written_off']`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('journey_transitions', (t) => {
    // Null while the journey is still in the stage.
    t.timestamp('left_at', { useTz: true });
    t.index(['left_at']);
  });
  await knex.schema.createTable('journey_milestones', (t) => {
    t.string('journey_id', 64).primary().references('id').inTable('journeys').onDelete('CASCADE');
    // The journey's definition (it never changes), so reports over every journey need not join them.
    t.string('definition_key', 64).notNullable();
    t.integer('definition_version').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('opportunity_at', { useTz: true });
    t.timestamp('order_at', { useTz: true });
    // The first invoicing and the first ending unwon, with the amount of that transition.
    t.timestamp('invoiced_at', { useTz: true });
    t.decimal('invoiced_amount', 18, 2);
    t.string('invoiced_currency', 3);
    // The latest invoicing: receivables fall due from it.
    t.timestamp('last_invoiced_at', { useTz: true });
    t.timestamp('won_at', { useTz: true });
    t.timestamp('lost_at', { useTz: true });
    t.decimal('lost_amount', 18, 2);
    t.string('lost_currency', 3);
    // The last transition: where the journey stands now.
    t.string('stage', 64).notNullable();
    t.timestamp('stage_at', { useTz: true }).notNullable();
    t.decimal('amount', 18, 2);
    t.string('currency', 3);
    // Receivables read the journeys resting in a few stages.
    t.index(['stage', 'stage_at']);
  });
  await knex.schema.createTable('stage_stays_daily', (t) => {
    t.date('day').notNullable();
    t.string('stage', 64).notNullable();
    // The stay's exact length (extract(epoch from left_at - at)): percentiles over it are exact.
    t.specificType('seconds', 'numeric').notNullable();
    t.bigInteger('stays').notNullable();
    t.primary(['day', 'stage', 'seconds']);
  });

  await knex.raw(`create function derive_journey_history(journeys text[]) returns void language sql as $$
    with next as (
      select t.journey_id, t.seq, t.to_stage, t.at, t.left_at as was,
        lead(t.at) over (partition by t.journey_id order by t.at, t.seq) as left_now
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
    -- In key order: two transactions that count the same lengths lock them in the same order, never deadlock.
    select day, stage, seconds, sum(stays) from moves group by 1, 2, 3 order by 1, 2, 3
    on conflict (day, stage, seconds) do update set stays = stage_stays_daily.stays + excluded.stays;

    insert into journey_milestones (journey_id, definition_key, definition_version, started_at, opportunity_at, order_at, invoiced_at, invoiced_amount, invoiced_currency,
      last_invoiced_at, won_at, lost_at, lost_amount, lost_currency, stage, stage_at, amount, currency)
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
      stage = excluded.stage, stage_at = excluded.stage_at, amount = excluded.amount, currency = excluded.currency;
  $$`);
  await knex.raw(`create function journey_transitions_inserted() returns trigger language plpgsql as $$
    begin
      perform derive_journey_history(array(select distinct journey_id from new_transitions));
      return null;
    end $$`);
  await knex.raw(`create trigger journey_transitions_inserted after insert on journey_transitions
    referencing new table as new_transitions for each statement execute function journey_transitions_inserted()`);
  // A deleted journey (its transitions go with it) takes its ended stays out of the roll-up.
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

  // The history written before.
  await knex.raw('select derive_journey_history(array(select distinct journey_id from journey_transitions))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger journey_transitions_deleted on journey_transitions');
  await knex.raw('drop trigger journey_transitions_inserted on journey_transitions');
  await knex.raw('drop function journey_transitions_deleted()');
  await knex.raw('drop function journey_transitions_inserted()');
  await knex.raw('drop function derive_journey_history(text[])');
  await knex.schema.dropTable('stage_stays_daily');
  await knex.schema.dropTable('journey_milestones');
  await knex.schema.alterTable('journey_transitions', (t) => {
    t.dropColumn('left_at');
  });
}
