// Rate-limit counts that every API process shares (api/sharedRateStore.ts): one row per caller key
// and fixed window, incremented in batches.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_rate_counts', (t) => {
    t.string('key', 200).notNullable();
    // Epoch milliseconds of the window's start: every process derives the same one.
    t.bigInteger('window_start').notNullable();
    t.integer('hits').notNullable();
    t.primary(['key', 'window_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_rate_counts');
}
