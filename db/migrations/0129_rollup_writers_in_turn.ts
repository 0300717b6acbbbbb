// Writers of the report roll-ups take turns. Each write subtracts a journey's old contribution and
// adds the new one in several statements, so two transactions could lock the same day's rows in
// opposite orders and deadlock (seen under load: the projection write failed and was retried a
// second later). Every transaction that changes the roll-ups now first takes one transaction-level
// advisory lock. They met on today's rows anyway, so little concurrency is lost.
import type { Knex } from 'knex';

/** The advisory lock's key: any constant the application uses for nothing else. */
const ROLLUP_LOCK = 20_119;

/** The statement that takes the turn: a transaction waits here until no other writer of the roll-ups runs. */
const TAKE_TURN = `perform pg_advisory_xact_lock(${ROLLUP_LOCK});`;

/** 0119's functions for a deleted or migrated journey, beginning with `first` (the turn, or nothing as in 0119). */
const journeyDeleted = (first: string) => `create or replace function journey_deleted() returns trigger language plpgsql as $$
    begin
      ${first}
      perform count_transitions(array(select row(t.journey_id, old.definition_key, old.definition_version, t.to_stage, t.at, t.left_at, t.amount, t.currency)::stage_stay
        from journey_transitions t where t.journey_id = old.id), -1);
      perform count_milestones(array(select m from journey_milestones m where m.journey_id = old.id), -1);
      return old;
    end $$`;
const journeyDefinitionChanged = (first: string) => `create or replace function journey_definition_changed() returns trigger language plpgsql as $$
    begin
      ${first}
      perform count_transitions(array(select row(t.journey_id, old.definition_key, old.definition_version, t.to_stage, t.at, t.left_at, t.amount, t.currency)::stage_stay
        from journey_transitions t where t.journey_id = new.id), -1);
      perform count_transitions(array(select row(t.journey_id, new.definition_key, new.definition_version, t.to_stage, t.at, t.left_at, t.amount, t.currency)::stage_stay
        from journey_transitions t where t.journey_id = new.id), 1);
      update journey_milestones set definition_key = new.definition_key, definition_version = new.definition_version where journey_id = new.id;
      return new;
    end $$`;

export async function up(knex: Knex): Promise<void> {
  // New transitions: before the statement's rows are counted.
  await knex.raw(`create function take_rollup_turn() returns trigger language plpgsql as $$
    begin
      ${TAKE_TURN}
      return null;
    end $$`);
  await knex.raw(`create trigger journey_transitions_take_rollup_turn before insert on journey_transitions
    for each statement execute function take_rollup_turn()`);
  // A deleted or migrated journey: the turn first, then what 0119 did.
  await knex.raw(journeyDeleted(TAKE_TURN));
  await knex.raw(journeyDefinitionChanged(TAKE_TURN));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(journeyDeleted(''));
  await knex.raw(journeyDefinitionChanged(''));
  await knex.raw('drop trigger journey_transitions_take_rollup_turn on journey_transitions');
  await knex.raw('drop function take_rollup_turn()');
}
