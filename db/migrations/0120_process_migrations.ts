// Migrations of running journeys from one version of a process to another (DESIGN.md section 7.2):
// the plan ops made, and per journey its verdict from the latest dry run and, once applied, what
// happened to it. A plan is never deleted: it is the record of why a journey changed version.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('process_migrations', (t) => {
    t.string('id', 64).primary();
    t.string('definition_key', 64).notNullable();
    t.integer('from_version').notNullable();
    t.integer('to_version').notNullable();
    // {oldStage: newStage}
    t.jsonb('stage_map').notNullable();
    // keep | restart
    t.string('timers', 8).notNullable();
    // {stages?: [], journeyIds?: []}
    t.jsonb('filter').notNullable();
    // planned | running | paused | done | cancelled
    t.string('status', 16).notNullable().defaultTo('planned');
    t.string('created_by', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('dry_run_at', { useTz: true });
  });
  await knex.schema.createTable('process_migration_items', (t) => {
    t.string('migration_id', 64).notNullable().references('id').inTable('process_migrations');
    t.string('journey_id', 64).notNullable().references('id').inTable('journeys').onDelete('CASCADE');
    // The stage the journey was in when judged.
    t.string('stage', 64).notNullable();
    t.string('verdict', 32).notNullable();
    t.text('reason');
    // null until applied: migrated | refused | failed
    t.string('result', 16);
    t.text('result_detail');
    t.timestamp('judged_at', { useTz: true }).notNullable();
    t.primary(['migration_id', 'journey_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('process_migration_items');
  await knex.schema.dropTable('process_migrations');
}
