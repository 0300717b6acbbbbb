// The journey projection: one row per journey, written by the workflow on every stage change so
// lists, pipeline counts and the stuck monitor never scan Temporal. The audit trail keeps every
// transition and confirmation with who and when.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('journeys', (t) => {
    t.string('id', 64).primary();
    t.string('workflow_id', 128).notNullable().unique();
    t.string('definition_key', 64).notNullable();
    t.integer('definition_version').notNullable();
    t.string('stage', 64).notNullable();
    t.string('status', 32).notNullable();
    t.timestamp('stage_entered_at', { useTz: true }).notNullable();
    t.string('owner_id', 64);
    t.string('lead_name', 200);
    t.string('lead_email', 320);
    t.string('company', 200);
    t.decimal('amount', 18, 2);
    t.string('currency', 3);
    t.string('pending_role', 32);
    t.timestamp('pending_since', { useTz: true });
    t.string('parked_activity', 64);
    t.text('last_error');
    t.timestamp('parked_since', { useTz: true });
    t.timestamp('sla_due_at', { useTz: true });
    t.bigInteger('version').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['stage', 'status']);
    t.index(['owner_id', 'stage']);
  });

  await knex.schema.createTable('journey_audit', (t) => {
    t.bigIncrements('id').primary();
    t.string('journey_id', 64).notNullable().references('id').inTable('journeys').onDelete('CASCADE');
    // Unique per journey so a replayed recordJourney call never writes an entry twice.
    t.integer('seq').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.string('type', 32).notNullable();
    t.string('stage', 64).notNullable();
    t.string('event', 64);
    t.string('actor_id', 64);
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.unique(['journey_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('journey_audit');
  await knex.schema.dropTable('journeys');
}
