// Channels that bring new leads without a signed-in user (DESIGN.md section 7.5): web forms made by
// ops, each submission that started a journey, and mail sent to the inbound address. Submissions and
// messages are shown on their journey's timeline beside the workflow's own audit entries.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lead_forms', (t) => {
    // The form key: random and unguessable, it is the form's public address.
    t.string('key', 48).primary();
    t.string('name', 100).notNullable();
    // ["https://www.example.com", ...]: the pages (scheme://host[:port]) that may post to the form.
    t.specificType('allowed_origins', 'text[]').notNullable();
    t.string('created_by', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('form_submissions', (t) => {
    t.string('journey_id', 64).primary();
    t.string('form_key', 48).notNullable().references('key').inTable('lead_forms');
    // The Origin header the browser sent, when it sent one.
    t.string('origin', 200);
    // The journey's stage when the submission arrived, for its timeline entry.
    t.string('stage', 64).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('inbound_messages', (t) => {
    t.string('id', 64).primary();
    // The sender's Message-ID: a mail delivered twice is stored (and starts a journey) once.
    t.string('message_id', 300).notNullable().unique();
    t.string('from_address', 253).notNullable();
    t.string('from_name', 200);
    t.string('subject', 300).notNullable();
    t.text('text').notNullable();
    // new_lead: the mail started the journey; reply: it answered a thread of an existing journey.
    t.string('kind', 16).notNullable();
    t.string('journey_id', 64).notNullable();
    t.string('stage', 64).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['journey_id', 'received_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('inbound_messages');
  await knex.schema.dropTable('form_submissions');
  await knex.schema.dropTable('lead_forms');
}
