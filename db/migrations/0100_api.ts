// Tables the HTTP API owns: idempotency records of creating POSTs, process-definition drafts and
// published versions, owner changes made from the finance monitor, and the indexes the journey
// list, the pipeline and the stuck monitor read by.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_idempotency_keys', (t) => {
    // Keys are per caller: two users may pick the same key without seeing each other's responses.
    t.string('user_id', 64).notNullable();
    t.string('key', 255).notNullable();
    t.string('route', 200).notNullable();
    // sha-256 of method, route, path parameters and the canonical JSON body.
    t.string('request_hash', 64).notNullable();
    // null while the first request is still running.
    t.integer('response_status');
    t.jsonb('response_body');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.primary(['user_id', 'key']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('process_definitions', (t) => {
    t.string('key', 64).notNullable();
    t.integer('version').notNullable();
    // draft → published; a published version is never edited again.
    t.string('status', 16).notNullable().defaultTo('draft');
    t.jsonb('definition').notNullable();
    t.string('created_by', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('published_by', 64);
    t.timestamp('published_at', { useTz: true });
    t.primary(['key', 'version']);
  });
  await knex.raw(`create index process_definitions_published on process_definitions (published_at desc) where status = 'published'`);

  // The journey list pages by (created_at, id); the stuck monitor filters by status and SLA.
  await knex.raw('create index journeys_created_id on journeys (created_at desc, id desc)');
  await knex.raw('create index journeys_sla_due on journeys (sla_due_at) where sla_due_at is not null');
  await knex.raw(`create index journeys_parked on journeys (parked_since) where status = 'parked'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists journeys_parked');
  await knex.raw('drop index if exists journeys_sla_due');
  await knex.raw('drop index if exists journeys_created_id');
  await knex.schema.dropTableIfExists('process_definitions');
  await knex.schema.dropTableIfExists('api_idempotency_keys');
}
