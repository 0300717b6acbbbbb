// The nurture cadence's unsubscribe links: one token per journey and address, given in every nurture
// email, and the addresses that used one. An unsubscribed address gets no further nurture email,
// from this journey or any later one.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('unsubscribe_tokens', (t) => {
    t.string('token', 64).primary();
    t.string('email', 254).notNullable();
    t.string('journey_id', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['journey_id', 'email']);
  });
  await knex.schema.createTable('email_unsubscribes', (t) => {
    // Lower-cased: one address, however it was typed.
    t.string('email', 254).primary();
    t.string('journey_id', 64).notNullable();
    t.timestamp('unsubscribed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_unsubscribes');
  await knex.schema.dropTableIfExists('unsubscribe_tokens');
}
