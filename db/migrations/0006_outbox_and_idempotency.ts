// Exactly-once effects. activity_results holds the first result of every (journey, step); it is
// written in the same transaction as the effect, so a retry finds it and repeats nothing.
// email_outbox holds every email, written in that same transaction and sent afterwards; a row is
// sent only while sent_at is null and under its row lock, so a crash neither loses nor doubles it.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('activity_results', (t) => {
    t.string('journey_id', 64).notNullable();
    t.string('step', 200).notNullable();
    t.string('activity', 64).notNullable();
    t.jsonb('result').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['journey_id', 'step']);
  });

  await knex.schema.createTable('email_templates', (t) => {
    t.string('key', 100).primary();
    // auto_response, quote, shipment, invoice, dunning
    t.string('kind', 32).notNullable();
    // For auto-responses: the product interest this template answers.
    t.string('product_interest', 100);
    t.string('subject', 300).notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('email_outbox', (t) => {
    t.string('id', 64).primary();
    t.string('journey_id', 64).notNullable();
    t.string('step', 200).notNullable();
    t.string('kind', 32).notNullable();
    t.string('template_key', 100).notNullable();
    // Stable Message-ID: a resend after a crash carries the same id, so receivers can dedupe.
    t.string('message_id', 300).notNullable().unique();
    t.string('to_address', 320).notNullable();
    t.string('subject', 300).notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['journey_id', 'step']);
  });
  await knex.raw('create index email_outbox_unsent on email_outbox (next_attempt_at) where sent_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_outbox');
  await knex.schema.dropTableIfExists('email_templates');
  await knex.schema.dropTableIfExists('activity_results');
}
