// Stage-transition history for reports (DESIGN.md section 7.4): one row per stage a journey
// entered, with when, from where and the journey's amount at that moment. recordJourney writes it
// from the audit in the same transaction; this migration backfills it from the audit written
// before. Backfilled rows carry the journey's current amount: the audit never held amounts.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('journey_transitions', (t) => {
    t.string('journey_id', 64).notNullable().references('id').inTable('journeys').onDelete('CASCADE');
    // The audit entry's sequence number: a replayed write never adds a transition twice.
    t.integer('seq').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    // Null for the journey's start in its initial stage.
    t.string('from_stage', 64);
    t.string('to_stage', 64).notNullable();
    t.decimal('amount', 18, 2);
    t.string('currency', 3);
    t.primary(['journey_id', 'seq']);
    // Reports read the transitions into a stage within a period, and every transition in one.
    t.index(['to_stage', 'at']);
    t.index(['at']);
  });
  await knex.raw(`insert into journey_transitions (journey_id, seq, at, from_stage, to_stage, amount, currency)
    select a.journey_id, a.seq, a.at, case when a.type = 'transition' then a.detail->>'from' end, a.stage, j.amount, j.currency
    from journey_audit a join journeys j on j.id = a.journey_id
    where a.type in ('started', 'transition')
    on conflict do nothing`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('journey_transitions');
}
